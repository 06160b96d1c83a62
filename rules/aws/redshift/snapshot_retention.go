package redshift

import (
	"strconv"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// retentionParam is the number of days AWS-RS-019's fix keeps automated snapshots.
const retentionParam = "retention-days"

// SnapshotRetention is AWS-RS-019: automated snapshots turned off by a retention period of
// 0. The fix keeps them for the configured number of days, 7 unless told (Conformity's).
var SnapshotRetention = &rules.Rule{Meta: retentionMeta, Check: checkRetention}

// retentionMeta is AWS-RS-019's metadata, which its check passes to the setting engine.
var retentionMeta = rules.Meta{
	ID:    "AWS-RS-019",
	Name:  "redshift-automated-snapshots-disabled",
	Title: "Redshift cluster takes no automated snapshots",
	Description: "With an automated snapshot retention period of 0, Redshift takes no automated snapshots: a " +
		"dropped table, a bad load or a deleted cluster cannot be restored to a recent point in time. The " +
		"period defaults to 1 day (automated_snapshot_retention_period / AutomatedSnapshotRetentionPeriod), so " +
		"only an explicit 0 is reported.",
	Remediation: "Terraform: `automated_snapshot_retention_period = 7` (1 to 35 days) on aws_redshift_cluster. " +
		"CloudFormation: `AutomatedSnapshotRetentionPeriod: 7` on AWS::Redshift::Cluster.",
	Severity: rules.Low,
	Tags:     tags("backup", "resilience"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixAuto,
	Params: []rules.Param{{
		Name:        retentionParam,
		Description: "the days of automated snapshots the fix keeps (1 to 35)",
		Value:       7,
	}},
}

func checkRetention(ctx *rules.Context) {
	days := min(max(ctx.Int(retentionParam), 1), 35) // what Redshift accepts for automated snapshots
	spec := setting.Spec{
		Kinds:          []graph.Kind{graph.RedshiftCluster},
		Terraform:      "automated_snapshot_retention_period",
		CloudFormation: "AutomatedSnapshotRetentionPeriod",
		Problem:        "Redshift cluster takes no automated snapshots",
		Safe:           setting.AtLeast(1),
		Default:        &graph.Value{Type: graph.Number, Num: 1, Str: "1"},
		Fixed:          &graph.Value{Type: graph.Number, Num: float64(days), Str: strconv.Itoa(days)},
	}
	for _, r := range ctx.Graph.OfKind(spec.Kinds...) {
		spec.Check(ctx, &retentionMeta, r)
	}
}
