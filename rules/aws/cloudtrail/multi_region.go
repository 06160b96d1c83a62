package cloudtrail

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// MultiRegion is AWS-CT-001: a trail that records one region only, or leaves out global
// service events (IAM, STS, CloudFront). Both are settings of the trail; with the baseline
// profile, an account without any trail is reported too.
var MultiRegion = setting.WithAccount(setting.Rule(rules.Meta{
	ID:    "AWS-CT-001",
	Name:  "cloudtrail-not-multi-region",
	Title: "Trail is not multi-region or leaves out global service events",
	Description: "A single-region trail records nothing of what happens in the other regions, where an attacker " +
		"can start instances or create resources unseen; a trail without global service events misses IAM, STS " +
		"and CloudFront calls, the ones that change who can do what. The AWS provider and CloudFormation both " +
		"create single-region trails unless told otherwise (is_multi_region_trail / IsMultiRegionTrail default to " +
		"false); global service events are included by default.",
	Remediation: "Make the trail record every region and global service events. Terraform: `is_multi_region_trail = true` and `include_global_service_events = true` (or leave it " +
		"unset). CloudFormation: `IsMultiRegionTrail: true`, `IncludeGlobalServiceEvents: true`. With the baseline " +
		"profile, also declare a trail if the account has none.",
	Severity: rules.High,
	Tags:     tags(),
	Fix:      rules.FixAuto,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.CloudTrail},
	Terraform:      "is_multi_region_trail",
	CloudFormation: "IsMultiRegionTrail",
	Problem:        "trail records only its own region",
	Safe:           setting.True,
	Default:        graph.BoolValue(false),
	Fixed:          graph.BoolValue(true),
}, setting.Spec{
	Kinds:          []graph.Kind{graph.CloudTrail},
	Terraform:      "include_global_service_events",
	CloudFormation: "IncludeGlobalServiceEvents",
	Problem:        "trail leaves out global service events (IAM, STS, CloudFront)",
	Safe:           setting.True,
	Default:        graph.BoolValue(true),
	Fixed:          graph.BoolValue(true),
}), setting.Account{
	Kinds:   []graph.Kind{graph.CloudTrail},
	Message: "no CloudTrail trail is defined for the account",
	Advice:  "declare a multi-region trail with log file validation (aws_cloudtrail / AWS::CloudTrail::Trail)",
})
