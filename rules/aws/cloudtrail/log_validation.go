package cloudtrail

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// LogValidation is AWS-CT-007: a trail whose log files carry no digest, so that a deleted
// or edited log file goes unnoticed.
var LogValidation = setting.Rule(rules.Meta{
	ID:    "AWS-CT-007",
	Name:  "cloudtrail-log-validation-disabled",
	Title: "Trail log file integrity validation is off",
	Description: "Without log file validation CloudTrail writes no signed digest files, so nobody can prove that a " +
		"log file was not modified or deleted after delivery: an intruder who reaches the bucket can erase their " +
		"tracks. Validation is off unless enabled (the provider's and CloudFormation's default is false).",
	Remediation: "Turn log file validation on. Terraform: `enable_log_file_validation = true`. CloudFormation: `EnableLogFileValidation: true`.",
	Severity:    rules.Medium,
	Tags:        tags("integrity"),
	Fix:         rules.FixAuto,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.CloudTrail},
	Terraform:      "enable_log_file_validation",
	CloudFormation: "EnableLogFileValidation",
	Problem:        "trail does not validate its log files",
	Safe:           setting.True,
	Default:        graph.BoolValue(false),
	Fixed:          graph.BoolValue(true),
})
