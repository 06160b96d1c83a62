package iam

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// AccessKeys is AWS-IAM-001: an IAM user access key is managed in the template.
var AccessKeys = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-001",
		Name:  "iam-access-key-managed",
		Title: "Long-lived IAM user access key managed in IaC",
		Description: "An `aws_iam_access_key` (CloudFormation `AWS::IAM::AccessKey`) creates a long-lived credential for a user. " +
			"Its age is only known at run time (Conformity rotates keys older than 30 or 90 days), but a key created by a template lives as long as the stack, " +
			"and its secret ends up in the state or in outputs. Informational, off by default.",
		Remediation: "Prefer roles (instance profiles, IRSA, OIDC federation for CI) or IAM Identity Center over user access keys. " +
			"If a key is unavoidable, rotate it on a schedule and keep its secret out of state and outputs (Terraform `pgp_key`).",
		Severity:   rules.Low,
		Tags:       tags("credentials", "CWE-798"),
		Formats:    []graph.Format{graph.Terraform, graph.CloudFormationYAML, graph.CloudFormationJSON},
		Fix:        rules.FixNone,
		DefaultOff: true,
	},
	Check: checkAccessKeys,
}

func checkAccessKeys(ctx *rules.Context) {
	for _, r := range ctx.Graph.OfKind(graph.IAMAccessKey) {
		status := r.Get("status", "Status")
		if status != nil && status.Value.Known() {
			if s, _ := status.Value.AsString(); s == "Inactive" {
				continue
			}
		}
		ctx.Report(r, nil, "access key "+r.ID.Address+" is a long-lived credential managed in the template; prefer roles or SSO")
	}
}

// Users is AWS-IAM-101: IAM users and group memberships are defined in IaC.
var Users = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-101",
		Name:  "iam-user-defined",
		Title: "IAM users or group memberships defined in IaC",
		Description: "An `aws_iam_user` (CloudFormation `AWS::IAM::User`) or a group membership (`aws_iam_user_group_membership`, `aws_iam_group_membership`, " +
			"`AWS::IAM::UserToGroupAddition`) is declared. IAM users carry long-lived passwords and keys; " +
			"people are better served by IAM Identity Center and workloads by roles. Informational inventory, off by default; " +
			"the users it lists are those AWS-IAM-036 and AWS-IAM-013 reason about.",
		Remediation: "Manage people in IAM Identity Center (SSO) with permission sets, and give workloads roles. Keep IAM users for the rare systems that cannot assume a role.",
		Severity:    rules.Low,
		Tags:        tags("inventory"),
		Formats:     []graph.Format{graph.Terraform, graph.CloudFormationYAML, graph.CloudFormationJSON},
		Fix:         rules.FixNone,
		DefaultOff:  true,
	},
	Check: checkUsers,
}

func checkUsers(ctx *rules.Context) {
	for _, r := range ctx.Graph.OfKind(graph.IAMUser) {
		ctx.Report(r, nil, "IAM user "+r.ID.Address+" is defined; prefer IAM Identity Center for people and roles for workloads")
	}
	for _, r := range ctx.Graph.OfKind(graph.IAMUserGroupMembership, graph.IAMGroupMembership) {
		ctx.Report(r, nil, "group membership "+r.ID.Address+" adds IAM users to a group; prefer IAM Identity Center groups")
	}
}
