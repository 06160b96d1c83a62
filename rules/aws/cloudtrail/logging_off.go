package cloudtrail

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// LoggingOff is AWS-CT-101: a trail declared with logging turned off records nothing.
var LoggingOff = setting.Rule(rules.Meta{
	ID:    "AWS-CT-101",
	Name:  "cloudtrail-logging-disabled",
	Title: "Trail is defined with logging turned off",
	Description: "A trail whose logging is off records no API call: the account has an audit trail on paper only. " +
		"Logging is on by default in Terraform (`enable_logging` defaults to true); CloudFormation requires `IsLogging`.",
	Remediation: "Turn the trail's logging on. Terraform: `enable_logging = true` (or remove the argument). CloudFormation: `IsLogging: true`.",
	Severity:    rules.High,
	Tags:        tags(),
	Fix:         rules.FixAuto,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.CloudTrail},
	Terraform:      "enable_logging",
	CloudFormation: "IsLogging",
	Problem:        "trail logging is turned off",
	Safe:           setting.True,
	Default:        graph.BoolValue(true),
	Fixed:          graph.BoolValue(true),
})
