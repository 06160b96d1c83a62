package s3

import (
	"fmt"
	"slices"
	"sync"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// NoDefaultEncryption is AWS-S3-016: a bucket without default server-side encryption.
var NoDefaultEncryption = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-S3-016",
		Name:  "s3-default-encryption-missing",
		Title: "Bucket has no default server-side encryption",
		Description: "A bucket without a default server-side encryption configuration relies on whatever each upload asks for; " +
			"the template does not state that objects are encrypted at rest, nor with which key. " +
			"S3 now applies SSE-S3 to new objects by default, but an explicit configuration (ideally SSE-KMS with a customer managed key) " +
			"documents the intent, survives account-level changes and lets key policies control who can decrypt.",
		Remediation: "Declare default encryption. " +
			"Terraform: add an `aws_s3_bucket_server_side_encryption_configuration` resource with " +
			"`rule { apply_server_side_encryption_by_default { sse_algorithm = \"aws:kms\" kms_master_key_id = aws_kms_key.k.arn } }` " +
			"(or `\"AES256\"`; older providers: the inline `server_side_encryption_configuration` block of `aws_s3_bucket`). " +
			"CloudFormation: set `BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref Key}}]}`.",
		Severity: rules.High,
		Tags:     tags("encryption", "CWE-311"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixAuto,
	},
	Check: checkDefaultEncryption,
}

// sseAlgorithms are the default encryption algorithms S3 accepts.
var sseAlgorithms = []string{"AES256", "aws:kms", "aws:kms:dsse"}

// addEncryption adds AES256 default encryption, which needs no key (RULES.md 3.1).
var addEncryption = missingSetting{
	splitWhat:  "sse_algorithm AES256",
	inlineWhat: "sse_algorithm AES256",
	cfnWhat:    "SSEAlgorithm: AES256",
	split:      graph.S3BucketEncryption,
	inline:     "server_side_encryption_configuration",
	cfn:        "BucketEncryption",
	splitBody:  sync.OnceValue(func() []*graph.Attribute { return []*graph.Attribute{aes256Rule()} }),
	inlineBody: sync.OnceValue(func() *graph.Value { return graph.MapValue(true, aes256Rule()) }),
	cfnBody: sync.OnceValue(func() *graph.Value {
		rule := graph.MapValue(false, graph.Attr("ServerSideEncryptionByDefault", graph.MapValue(false,
			graph.Attr("SSEAlgorithm", graph.StringValue("AES256")))))
		return graph.MapValue(false, graph.Attr("ServerSideEncryptionConfiguration", &graph.Value{Type: graph.List, Items: []*graph.Value{rule}}))
	}),
}

// aes256Rule is the Terraform `rule` block setting AES256 default encryption.
func aes256Rule() *graph.Attribute {
	return graph.Attr("rule", graph.MapValue(true,
		graph.Attr("apply_server_side_encryption_by_default", graph.MapValue(true,
			graph.Attr("sse_algorithm", graph.StringValue("AES256"))))))
}

func checkDefaultEncryption(ctx *rules.Context) {
	for _, b := range bucketsOf(ctx) {
		if len(b.Encryption) == 0 {
			if b.declared() && !recorded(ctx, b.strayUnknown("default encryption", encryptionSetting)) {
				ctx.Report(b.Resource, nil, "bucket has no default server-side encryption configuration", addEncryption.add(ctx, b.Resource).Option(""))
			}
			continue
		}
		var (
			encrypted bool
			unknowns  []unknown
		)
		for _, s := range b.Encryption {
			yes, u := encrypts(s)
			encrypted, unknowns = encrypted || yes, append(unknowns, u...)
		}
		switch {
		case encrypted:
		case len(unknowns) > 0:
			for _, u := range unknowns {
				u.record(ctx)
			}
		default:
			for _, s := range b.Encryption {
				reportEncryption(ctx, s)
			}
		}
	}
}

// algorithms returns the default algorithm of each rule of an encryption configuration
// (nil for a rule without one) and the configuration, rules or `dynamic` rules that are
// not statically known.
func algorithms(s Setting) ([]*graph.Value, []unknown) {
	const why = "encryption configuration is not known statically"
	v := s.Value()
	if u := unknownAt(s.Resource, v, why); u != nil {
		return nil, []unknown{*u}
	}
	var (
		algs     []*graph.Value
		unknowns []unknown
	)
	for _, rule := range slices.Concat(v.Elements("rule", "ServerSideEncryptionConfiguration"), v.UnexpandedBlocks("rule")) {
		if u := unknownAt(s.Resource, rule, why); u != nil {
			unknowns = append(unknowns, *u)
			continue
		}
		algs = append(algs, get(get(rule, "apply_server_side_encryption_by_default", "ServerSideEncryptionByDefault"), "sse_algorithm", "SSEAlgorithm"))
	}
	return algs, unknowns
}

// encrypts reports whether a configuration sets a default algorithm S3 accepts and, when
// it does not, the values through which it may, which are not statically known.
func encrypts(s Setting) (bool, []unknown) {
	algs, unknowns := algorithms(s)
	for _, a := range algs {
		if name, ok := a.AsString(); ok && slices.Contains(sseAlgorithms, name) {
			return true, nil
		}
		unknowns = append(unknowns, unknownIn(s.Resource, a, "encryption algorithm is not known statically")...)
	}
	return false, unknowns
}

// reportEncryption reports a configuration that sets no usable default algorithm: at each
// algorithm S3 does not accept, or at the configuration when it names none. Both fixes are
// suggestions: a misspelt algorithm may have meant aws:kms and its key, and a configuration
// without one can lack it at several levels.
func reportEncryption(ctx *rules.Context, s Setting) {
	algs, _ := algorithms(s)
	reported := false
	for _, a := range algs {
		if name, ok := a.AsString(); ok {
			fix := setValue(s.Resource, algorithmName(s), a, graph.StringValue("AES256"), `"AES256"`)
			ctx.Report(s.Resource, a, fmt.Sprintf("default encryption algorithm %q is not one S3 accepts (AES256, aws:kms, aws:kms:dsse)", name),
				fix.Option("the intended algorithm may be aws:kms with a key"))
			reported = true
		}
	}
	if !reported {
		ctx.Report(s.Resource, s, "encryption configuration sets no default encryption algorithm",
			rules.Suggestion("set "+algorithmName(s)+" to \"AES256\" (or aws:kms with a key) in each rule's default encryption"))
	}
}

// algorithmName spells the algorithm setting as the configuration's format does.
func algorithmName(s Setting) string {
	if s.Resource.Format.IsTerraform() {
		return "sse_algorithm"
	}
	return "SSEAlgorithm"
}
