package account

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// AllFeatures is AWS-ORG-002: an organization with consolidated billing only. Enabling
// all features asks every member account to approve: an organization-wide change, so
// only suggested.
var AllFeatures = setting.Rule(rules.Meta{
	ID:    "AWS-ORG-002",
	Name:  "organization-not-all-features",
	Title: "Organization does not use all features",
	Description: "An organization with consolidated billing only cannot apply service control policies, tag or " +
		"backup policies, or delegate security services (GuardDuty, Config, Security Hub) to an administrator " +
		"account: the management account has no guardrail over what member accounts do. `feature_set` and " +
		"`FeatureSet` default to ALL.",
	Remediation: "Terraform: `feature_set = \"ALL\"` (or remove the argument). CloudFormation: `FeatureSet: ALL`. " +
		"Every invited member account must approve the change.",
	Severity: rules.Medium,
	Tags:     tags("organizations", "governance"),
	Fix:      rules.FixSuggest,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.Organization},
	Terraform:      "feature_set",
	CloudFormation: "FeatureSet",
	Problem:        "organization uses consolidated billing only, without service control policies",
	Safe:           setting.NoneOf("CONSOLIDATED_BILLING"),
	Default:        graph.StringValue("ALL"),
	Fixed:          graph.StringValue("ALL"),
	Advice:         "every member account invited to the organization must approve all features",
})
