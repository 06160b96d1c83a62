package account

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// GuardDuty is AWS-GD-001: a GuardDuty detector declared disabled; with the baseline
// profile, an account without a detector too.
var GuardDuty = setting.WithAccount(setting.Rule(rules.Meta{
	ID:    "AWS-GD-001",
	Name:  "guardduty-detector-disabled",
	Title: "GuardDuty detector is disabled",
	Description: "A disabled detector analyses no CloudTrail, VPC flow log or DNS event: credential theft, crypto " +
		"mining and reconnaissance in the region go unnoticed. The AWS provider enables a detector unless " +
		"`enable = false` (the argument defaults to true); CloudFormation requires `Enable`.",
	Remediation: "Terraform: `enable = true` (or remove the argument). CloudFormation: `Enable: true`. With the " +
		"baseline profile, also declare a detector (`aws_guardduty_detector` / `AWS::GuardDuty::Detector`) if " +
		"the account has none.",
	Severity: rules.Medium,
	Tags:     tags("guardduty", "monitoring"),
	Fix:      rules.FixAuto,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.GuardDutyDetector},
	Terraform:      "enable",
	CloudFormation: "Enable",
	Problem:        "GuardDuty detector is disabled",
	Safe:           setting.True,
	Default:        graph.BoolValue(true),
	Fixed:          graph.BoolValue(true),
}), setting.Account{
	Kinds:   []graph.Kind{graph.GuardDutyDetector},
	Message: "no GuardDuty detector is defined for the account",
	Advice:  "declare an enabled detector (aws_guardduty_detector / AWS::GuardDuty::Detector with Enable: true)",
})
