package ebs

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// SnapshotPublic is AWS-EBS-009: the region's block of public snapshot sharing explicitly
// set to "unblocked". Public sharing of one snapshot cannot be written in Terraform
// (aws_snapshot_create_volume_permission takes account IDs only); the region-wide block
// is what templates control.
var SnapshotPublic = setting.Rule(rules.Meta{
	ID:    "AWS-EBS-009",
	Name:  "ebs-snapshot-public-sharing-unblocked",
	Title: "EBS snapshot public sharing is not blocked",
	Description: "A public EBS snapshot can be copied and restored by any AWS account: every file of the disk, " +
		"secrets included. aws_ebs_snapshot_block_public_access with `state = \"unblocked\"` lets any snapshot of " +
		"the region be made public; `block-all-sharing` blocks every public share, `block-new-sharing` keeps " +
		"existing ones. (Removing the resource also unblocks sharing.) CloudFormation has no resource for the " +
		"setting.",
	Remediation: "Terraform: `state = \"block-all-sharing\"` on aws_ebs_snapshot_block_public_access, after checking " +
		"that no snapshot of the region is meant to be public (it stops being so).",
	Severity: rules.High,
	Tags:     tags("public-access", "CWE-284"),
	Fix:      rules.FixSuggest,
}, setting.Spec{
	Kinds:     []graph.Kind{graph.EBSSnapshotBlockPublic},
	Terraform: "state",
	Problem:   "public sharing of the region's EBS snapshots is not blocked",
	Safe:      setting.NoneOf("unblocked"),
	Fixed:     graph.StringValue("block-all-sharing"),
	Advice:    "block-all-sharing also stops the public shares that exist: check none is intended",
})
