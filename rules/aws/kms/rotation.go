package kms

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Rotation is AWS-KMS-002: a customer managed key whose key material is never rotated.
// KMS rotates only symmetric encryption keys whose material it generated and holds, so
// asymmetric and HMAC keys, keys with imported material and keys in a custom key store are
// not checked: they cannot rotate.
var Rotation = rotationRule()

var rotationSpec = setting.Spec{
	Kinds:          []graph.Kind{graph.KMSKey},
	Terraform:      "enable_key_rotation",
	CloudFormation: "EnableKeyRotation",
	Problem:        "key material is never rotated",
	Safe:           setting.True,
	Default:        graph.BoolValue(false),
	Fixed:          graph.BoolValue(true),
}

func rotationRule() *rules.Rule {
	r := &rules.Rule{Meta: rules.Meta{
		ID:    "AWS-KMS-002",
		Name:  "kms-key-rotation-disabled",
		Title: "Customer managed KMS key does not rotate its key material",
		Description: "Without automatic rotation a symmetric KMS key encrypts with the same key material for its " +
			"whole life, so a leaked or broken key material exposes everything ever encrypted with it, and key " +
			"rotation policies (CIS, PCI DSS) are not met. With rotation on, KMS creates new material every year " +
			"and keeps the old for decryption: nothing that uses the key changes. Rotation is off unless enabled " +
			"(enable_key_rotation / EnableKeyRotation default to false). Only symmetric encryption keys whose " +
			"material KMS holds can rotate; asymmetric and HMAC keys, imported material and custom key stores " +
			"are not checked.",
		Remediation: "Turn automatic key rotation on. Terraform: `enable_key_rotation = true`. CloudFormation: `EnableKeyRotation: true`.",
		Severity:    rules.Medium,
		Tags:        tags("CWE-320", "CIS-3.6"),
		Formats:     rules.AllFormats,
		Fix:         rules.FixAuto,
	}}
	r.Check = func(ctx *rules.Context) {
		for _, key := range ctx.Graph.OfKind(graph.KMSKey) {
			switch ok, unknown := rotatable(key); {
			case unknown != nil:
				ctx.Unresolved(key, unknown.value, unknown.name+" is not known statically, so whether the key can rotate is not")
			case ok:
				rotationSpec.Check(ctx, &r.Meta, key)
			}
		}
	}
	return r
}

// A keySetting is a setting of a key that decides whether KMS can rotate it: in each
// format, its name, and the values that allow rotation (nil: the setting must be absent).
type keySetting struct {
	terraform, cloudFormation string
	rotatable                 setting.Matcher
}

// keySettings are the settings that make a key one KMS cannot rotate (provider and
// CloudFormation documentation: key spec and usage default to a symmetric encryption key;
// a custom or external key store, or imported material, rule rotation out).
var keySettings = []keySetting{
	{"customer_master_key_spec", "KeySpec", setting.OneOf("SYMMETRIC_DEFAULT")},
	{"key_usage", "KeyUsage", setting.OneOf("ENCRYPT_DECRYPT")},
	{"custom_key_store_id", "", nil},
	{"xks_key_id", "", nil},
	{"", "Origin", setting.OneOf("AWS_KMS")},
}

// unknownSetting is a key setting whose value is not known statically.
type unknownSetting struct {
	name  string
	value *graph.Value
}

// rotatable reports whether KMS can rotate key, or returns the setting that decides it
// when that is not known.
func rotatable(key *graph.Resource) (bool, *unknownSetting) {
	for _, s := range keySettings {
		name := s.cloudFormation
		if key.Format.IsTerraform() {
			name = s.terraform
		}
		if name == "" {
			continue
		}
		found := setting.Lookup(key, []string{name})
		switch {
		case found.Attr == nil && found.Unknown == nil:
			continue // absent: the default allows rotation
		case s.rotatable == nil:
			return false, nil // a custom or external key store, whatever its ID
		case found.Unknown != nil:
			return false, &unknownSetting{name, found.Unknown}
		case !s.rotatable(found.Attr.Value):
			return false, nil
		}
	}
	return true, nil
}
