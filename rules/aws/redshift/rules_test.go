package redshift_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"

	"github.com/iacscan/iacscan/rules/aws/redshift"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, redshift.Rules) }

// TestGroupUsers checks that a parameter group is reported once, with every cluster that
// uses it, by reference or by name, as a related location.
func TestGroupUsers(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/redshift-user-activity-logging-disabled.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fs, diags := ruletest.Scan(t, ar, redshift.UserActivityLogging)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := "main.tf:48:1-48:47 used by aws_redshift_cluster.by_reference; main.tf:54:1-54:42 used by aws_redshift_cluster.by_name"
	if got := ruletest.Related(t, fs, "main.tf", 11, "AWS-RS-023"); got != want {
		t.Errorf("related = %q, want %q", got, want)
	}
}

// TestParams checks the rule parameters of the family: the provider major version whose
// publicly_accessible default AWS-RS-001 follows, and the retention AWS-RS-019 writes.
func TestParams(t *testing.T) {
	const input = `-- main.tf --
resource "aws_redshift_cluster" "c" {
  automated_snapshot_retention_period = 0
}
`
	for _, tc := range []struct {
		name   string
		rule   *rules.Rule
		params map[string]any
		want   string
	}{
		{"provider 6", redshift.PubliclyAccessible, nil, ""},
		{"provider 5", redshift.PubliclyAccessible, map[string]any{"aws-provider-major": 5},
			"main.tf:1:1: AWS-RS-001 Redshift cluster is publicly accessible: publicly_accessible is not set, and defaults to true; auto: add publicly_accessible = false\n"},
		{"retention 7", redshift.SnapshotRetention, nil,
			"main.tf:2:41: AWS-RS-019 Redshift cluster takes no automated snapshots: automated_snapshot_retention_period is 0; auto: set automated_snapshot_retention_period to 7\n"},
		{"retention 14", redshift.SnapshotRetention, map[string]any{"retention-days": 14},
			"main.tf:2:41: AWS-RS-019 Redshift cluster takes no automated snapshots: automated_snapshot_retention_period is 0; auto: set automated_snapshot_retention_period to 14\n"},
		{"retention beyond what Redshift takes", redshift.SnapshotRetention, map[string]any{"retention-days": 90},
			"main.tf:2:41: AWS-RS-019 Redshift cluster takes no automated snapshots: automated_snapshot_retention_period is 0; auto: set automated_snapshot_retention_period to 35\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := rules.Configure(tc.rule, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			fs, diags := ruletest.Scan(t, txtar.Parse([]byte(input)), r)
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			var got strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&got, "%s:%d:%d: %s %s; %s: %s\n", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column, f.Rule.ID, f.Message, f.Fix.Mode, f.Fix.Description)
			}
			if got.String() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got.String(), tc.want)
			}
		})
	}
}
