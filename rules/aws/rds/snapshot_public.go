package rds

import (
	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// SnapshotPublic is AWS-RDS-023: a DB or cluster snapshot shared with "all", which makes
// it public. Only that item is removed: the account IDs it is shared with stay.
var SnapshotPublic = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-RDS-023",
	Name:  "rds-snapshot-public",
	Title: "DB or cluster snapshot is shared with everyone",
	Description: "A snapshot whose shared_accounts include \"all\" is public: any AWS account can restore it and " +
		"read the whole database. Sharing with named accounts is not public and is kept. CloudFormation has no " +
		"snapshot resource.",
	Remediation: "Remove `\"all\"` from `shared_accounts` of aws_db_snapshot and aws_db_cluster_snapshot; list the " +
		"account IDs that need the snapshot instead.",
	Severity: rules.High,
	Tags:     tags("public-access", "CWE-284"),
	Formats:  []graph.Format{graph.Terraform},
	Fix:      rules.FixAuto,
}, Check: checkSnapshotPublic}

func checkSnapshotPublic(ctx *rules.Context) {
	for _, r := range ctx.Graph.OfKind(graph.DBSnapshot, graph.DBClusterSnapshot) {
		found := setting.Lookup(r, []string{"shared_accounts"})
		switch {
		case found.Unknown != nil:
			ctx.Unresolved(r, found.Unknown, "shared_accounts is not known statically")
		case found.Attr != nil:
			checkShared(ctx, r, found.Attr.Value)
		}
	}
}

// checkShared reports each "all" of the list, and records the items that are not known.
// Removing the only item leaves `[]`, sharing with nobody, which the provider reads as no
// sharing at all: the smallest edit that keeps the file valid.
func checkShared(ctx *rules.Context, r *graph.Resource, list *graph.Value) {
	for _, it := range list.Items {
		if !it.Known() {
			ctx.Unresolved(r, it, "an item of shared_accounts is not known statically")
			continue
		}
		if s, ok := it.AsString(); !ok || s != "all" {
			continue
		}
		o := rules.Offer{
			Description: `remove "all" from shared_accounts`,
			Changes:     []fixers.Change{{Op: fixers.RemoveItem, Resource: r, Target: it, Parent: list}},
		}
		ctx.Report(r, it, `snapshot is public: shared_accounts includes "all"`, o.Option(""))
	}
}
