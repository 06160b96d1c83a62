package ebs

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// DefaultEncryption is AWS-EBS-014: the account's EBS encryption by default turned off.
// With the baseline profile, an account that does not turn it on at all is reported too.
var DefaultEncryption = setting.WithAccount(setting.Rule(rules.Meta{
	ID:    "AWS-EBS-014",
	Name:  "ebs-encryption-by-default-disabled",
	Title: "EBS encryption by default is turned off",
	Description: "With EBS encryption by default, every new volume and snapshot copy of the account and region is " +
		"encrypted, whatever the template, console user or tool that creates it asks for. Turned off, each volume is " +
		"encrypted only if its creator remembers. aws_ebs_encryption_by_default's `enabled` defaults to true; " +
		"CloudFormation has no resource for the setting.",
	Remediation: "Terraform: `enabled = true` on aws_ebs_encryption_by_default (or remove the argument). With the " +
		"baseline profile, declare the resource if the account has none.",
	Severity: rules.Medium,
	Tags:     tags("encryption", "CWE-311"),
	Fix:      rules.FixAuto,
}, setting.Spec{
	Kinds:     []graph.Kind{graph.EBSEncryptionByDefault},
	Terraform: "enabled",
	Problem:   "EBS encryption by default is turned off",
	Safe:      setting.True,
	Default:   graph.BoolValue(true),
	Fixed:     graph.BoolValue(true),
}), setting.Account{
	Kinds:   []graph.Kind{graph.EBSEncryptionByDefault},
	Message: "EBS encryption by default is not turned on for the account",
	Advice:  `declare resource "aws_ebs_encryption_by_default" with enabled = true`,
})
