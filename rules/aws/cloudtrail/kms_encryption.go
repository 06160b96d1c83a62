package cloudtrail

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// KMSEncryption is AWS-CT-008: trail logs encrypted only with the bucket's S3-managed
// keys. The fix needs a key whose policy lets CloudTrail use it, which iacscan cannot
// write: a suggestion.
var KMSEncryption = setting.Rule(rules.Meta{
	ID:    "AWS-CT-008",
	Name:  "cloudtrail-not-kms-encrypted",
	Title: "Trail logs are not encrypted with a KMS key",
	Description: "Without a KMS key, trail logs are encrypted with S3-managed keys, which anyone who can read the " +
		"bucket can decrypt. With SSE-KMS, reading the logs also needs kms:Decrypt on the key, so the key policy " +
		"decides who may read the account's audit trail, and every decryption is itself logged.",
	Remediation: "Create a KMS key whose key policy allows `cloudtrail.amazonaws.com` to `kms:GenerateDataKey*` " +
		"and the readers to `kms:Decrypt`, then set `kms_key_id` (Terraform) or `KMSKeyId` (CloudFormation) to its ARN.",
	Severity: rules.Medium,
	Tags:     tags("encryption", "CWE-311"),
	Fix:      rules.FixSuggest,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.CloudTrail},
	Terraform:      "kms_key_id",
	CloudFormation: "KMSKeyId",
	Problem:        "trail logs are not encrypted with a KMS key",
	Safe:           setting.NotEmpty,
	Required:       true,
	Advice:         "set the KMS key ARN of a key whose policy lets CloudTrail encrypt with it",
	Skip:           setting.ReferencesResource("kms_key_id", "KMSKeyId"),
})
