package sarif

import (
	"reflect"
	"testing"

	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/source"
)

// TestSuppressed checks that listed suppressed findings become results with a complete,
// schema-valid suppression, baselined ones with baselineState, and that the run counts
// what was kept out of the report.
func TestSuppressed(t *testing.T) {
	res := sampleResult(t)
	ignoreAt := source.Range{Path: "infra/main.tf", Start: source.Pos{Line: 1, Column: 1}, End: source.Pos{Line: 1, Column: 9, Byte: 8}}
	res.Suppressed = []suppress.Suppressed{
		{Finding: res.Findings[0], Suppression: suppress.Suppression{Kind: suppress.KindInSource, Reason: "public website", Expires: "2027-01-31", Location: &ignoreAt}},
		{Finding: res.Findings[1], Suppression: suppress.Suppression{Kind: suppress.KindExternal, Reason: "recorded in the baseline", Baseline: true}},
	}
	res.Findings = res.Findings[2:]
	res.Stats.Suppressed, res.Stats.Baselined = 1, 1
	doc, log := render(t, res, "1.2.3")
	validateSchema(t, doc)
	run := log.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("got %d results, want the reported one and the two suppressed", len(run.Results))
	}
	inline, baselined := run.Results[1], run.Results[2]
	tests := []struct {
		name      string
		got, want any
	}{
		{"reported result has no suppression", len(run.Results[0].Suppressions), 0},
		{"inline rule", deref(inline.RuleID), "AWS-S3-001"},
		{"inline kind", inline.Suppressions[0].Kind, "inSource"},
		{"inline status", deref(inline.Suppressions[0].Status), "accepted"},
		{"inline justification", deref(inline.Suppressions[0].Justification), "public website"},
		{"inline location", deref(inline.Suppressions[0].Location.PhysicalLocation.ArtifactLocation.URI), "infra/main.tf"},
		{"inline guid", deref(inline.Suppressions[0].Guid), suppressionGUID(&res.Suppressed[0])},
		{"baseline kind", baselined.Suppressions[0].Kind, "external"},
		{"baseline state", deref(baselined.BaselineState), "unchanged"},
		{"baseline location", deref(baselined.Suppressions[0].Location.Message.Text), "recorded in the baseline"},
		{"inline has no baseline state", inline.BaselineState, (*string)(nil)},
		{"counts", map[string]any(run.Properties), map[string]any{"suppressed": 1.0, "baselined": 1.0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
	if g1, g2 := suppressionGUID(&res.Suppressed[0]), suppressionGUID(&res.Suppressed[1]); g1 == g2 || g1[14] != '5' {
		t.Errorf("GUIDs %s and %s: want distinct version-5 GUIDs", g1, g2)
	}
}
