package kinesis

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Unencrypted is AWS-KINESIS-001: a stream whose records are stored unencrypted. Stream
// encryption is two settings, the type and the key, so the rule reads both and reports
// one finding per stream: the fix sets the type to KMS and, where no key is named, the
// AWS managed key alias/aws/kinesis, as Conformity's remediation does.
var Unencrypted = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-KINESIS-001",
	Name:  "kinesis-stream-unencrypted",
	Title: "Kinesis stream does not encrypt its records at rest",
	Description: "Records in an unencrypted stream are stored in plain text for the whole retention period, " +
		"readable by anyone who reaches the underlying storage or a stream consumer role. With server-side " +
		"encryption, Kinesis encrypts each record with a KMS key before writing it; the AWS managed key " +
		"alias/aws/kinesis costs nothing to use and needs no key policy. Streams are unencrypted unless declared " +
		"otherwise (encryption_type defaults to NONE; CloudFormation streams without StreamEncryption are not " +
		"encrypted).",
	Remediation: "Encrypt the stream with a KMS key: the AWS managed alias/aws/kinesis, or a customer managed key. Terraform: `encryption_type = \"KMS\"` and `kms_key_id = \"alias/aws/kinesis\"` (or a customer " +
		"managed key). CloudFormation: `StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}`.",
	Severity: rules.High,
	Tags:     []string{"security", "aws", "kinesis", "encryption", "CWE-311"},
	Formats:  rules.AllFormats,
	Fix:      rules.FixAuto,
}, Check: checkEncryption}

// The stream's encryption settings, and what the fix writes.
var (
	encryptionType = setting.Spec{Terraform: "encryption_type", CloudFormation: "StreamEncryption.EncryptionType"}
	encryptionKey  = setting.Spec{Terraform: "kms_key_id", CloudFormation: "StreamEncryption.KeyId"}
	kmsType        = graph.StringValue("KMS")
	managedKey     = graph.StringValue("alias/aws/kinesis")
)

func checkEncryption(ctx *rules.Context) {
	for _, s := range ctx.Graph.OfKind(graph.KinesisStream) {
		typ := setting.Lookup(s, encryptionType.Path(s))
		key := setting.Lookup(s, encryptionKey.Path(s))
		name := strings.Join(encryptionType.Path(s), ".")
		switch {
		case typ.Unknown != nil:
			ctx.Unresolved(s, typ.Unknown, name+" is not known statically")
		case typ.Attr == nil:
			ctx.Report(s, nil, "stream records are not encrypted: "+absent(s, typ), encrypt(s, typ, key).Option(""))
		case !setting.OneOf("KMS")(typ.Attr.Value):
			v := typ.Attr.Value
			msg := fmt.Sprintf("stream records are not encrypted: %s is %s", name, setting.Render(v, s.Format))
			ctx.Report(s, v, msg, encrypt(s, typ, key).Option(""))
		case key.Attr == nil && key.Unknown == nil, key.Attr != nil && !setting.NotEmpty(key.Attr.Value):
			keyName := strings.Join(encryptionKey.Path(s), ".")
			msg := fmt.Sprintf("stream encryption names no KMS key: %s is not set", keyName)
			var at rules.Locatable // the header
			if key.Attr != nil {
				msg = fmt.Sprintf("stream encryption names no KMS key: %s is %s", keyName, setting.Render(key.Attr.Value, s.Format))
				at = key.Attr.Value
			}
			ctx.Report(s, at, msg, useManagedKey(s, key).Option(""))
		}
	}
}

// absent says which part of the encryption type's path is missing, and the Terraform
// default (CloudFormation has no value for "not encrypted": StreamEncryption is absent).
func absent(s *graph.Resource, typ setting.Found) string {
	path := encryptionType.Path(s)
	name := strings.Join(path[:len(path)-len(typ.Missing)+1], ".")
	if s.Format.IsTerraform() {
		return fmt.Sprintf("%s is not set, and defaults to \"NONE\"", name)
	}
	return name + " is not set"
}

// encrypt offers to set the encryption type to KMS and, unless the stream names a key
// already, to name the AWS managed key. A CloudFormation stream without StreamEncryption
// gets the whole map at once.
func encrypt(s *graph.Resource, typ, key setting.Found) rules.Offer {
	if len(typ.Missing) == 2 {
		m := graph.MapValue(false, graph.Attr("EncryptionType", kmsType), graph.Attr("KeyId", managedKey))
		return rules.AddSetting(s, typ.Parent, typ.Missing[0], m, "StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}")
	}
	var o rules.Offer
	if typ.Attr != nil {
		o = rules.SetValue(s, typ.Attr.Name, typ.Attr.Value, kmsType, setting.Render(kmsType, s.Format))
	} else {
		o = rules.AddSetting(s, typ.Parent, typ.Missing[0], kmsType, describe(typ.Missing[0], kmsType, s.Format))
	}
	if key.Attr != nil && setting.NotEmpty(key.Attr.Value) || key.Unknown != nil {
		return o
	}
	return join(o, useManagedKey(s, key))
}

// useManagedKey offers to name the AWS managed key.
func useManagedKey(s *graph.Resource, key setting.Found) rules.Offer {
	if key.Attr != nil {
		return rules.SetValue(s, key.Attr.Name, key.Attr.Value, managedKey, setting.Render(managedKey, s.Format))
	}
	return rules.AddSetting(s, key.Parent, key.Missing[0], managedKey, describe(key.Missing[0], managedKey, s.Format))
}

// describe spells a new setting as its format does.
func describe(name string, v *graph.Value, f graph.Format) string {
	if f.IsTerraform() {
		return fmt.Sprintf("%s = %s", name, setting.Render(v, f))
	}
	return fmt.Sprintf("%s: %s", name, setting.Render(v, f))
}

// join is the offer making both changes.
func join(a, b rules.Offer) rules.Offer {
	return rules.Offer{
		Description: a.Description + " and " + b.Description,
		Changes:     append(append([]fixers.Change{}, a.Changes...), b.Changes...),
		Blocked:     cmp.Or(a.Blocked, b.Blocked),
	}
}
