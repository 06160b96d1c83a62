package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

func TestJSONGolden(t *testing.T) {
	tests := []struct {
		name   string
		res    *scan.Result
		golden string
	}{
		{"findings", sampleResult(t), "json.golden"},
		{"clean", cleanResult(), "json-clean.golden"},
		{"empty result", &scan.Result{}, "json-empty.golden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.res.Stats.Duration = 0 // the one field that varies between runs
			var out bytes.Buffer
			if err := JSON(&out, tc.res, Options{Version: "1.2.3", Color: true}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, out.Bytes())
		})
	}
}

// TestJSONFields decodes the report generically and checks values a consumer reads, so
// that a golden regenerated carelessly cannot hide a schema change.
func TestJSONFields(t *testing.T) {
	var out bytes.Buffer
	if err := JSON(&out, sampleResult(t), Options{Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	findings := doc["findings"].([]any)
	mysql := findings[4].(map[string]any)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"top-level keys", keys(doc), []string{"diagnostics", "findings", "schema_version", "stats", "tool", "unresolved"}},
		{"schema version", doc["schema_version"], "1"},
		{"tool", doc["tool"], map[string]any{"name": "iacscan", "version": "1.2.3"}},
		{"finding keys", keys(mysql), []string{"file", "fingerprint", "fix", "help_uri", "message", "path", "range", "related", "resource", "rule_id", "rule_name", "severity", "suppressed", "title", "trace"}},
		{"a reported finding is not suppressed", mysql["suppressed"], nil},
		{"a finding without a fix", mysql["fix"], nil},
		{"rule id", mysql["rule_id"], "AWS-EC2-005"},
		{"severity", mysql["severity"], "medium"},
		{"file", mysql["file"], "infra/stack.yaml"},
		{"range", mysql["range"], map[string]any{
			"start": map[string]any{"line": 11.0, "column": 87.0, "byte": 270.0},
			"end":   map[string]any{"line": 11.0, "column": 96.0, "byte": 279.0},
		}},
		{"resource", mysql["resource"], map[string]any{"address": "Db", "kind": "aws_security_group", "file": "infra/stack.yaml"}},
		{"path", mysql["path"], "SecurityGroupIngress[0].CidrIp"},
		{"fingerprint", mysql["fingerprint"], sampleResult(t).Findings[4].Fingerprint()},
		{"help uri", mysql["help_uri"], "https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-005.md"},
		{"related", mysql["related"], []any{map[string]any{"message": "value defined here", "file": "infra/stack.yaml", "range": map[string]any{
			"start": map[string]any{"line": 4.0, "column": 14.0, "byte": 50.0},
			"end":   map[string]any{"line": 4.0, "column": 23.0, "byte": 59.0},
		}}}},
		{"trace", mysql["trace"], []any{map[string]any{"what": "parameter Cidr default", "file": "infra/stack.yaml", "range": map[string]any{
			"start": map[string]any{"line": 4.0, "column": 14.0, "byte": 50.0},
			"end":   map[string]any{"line": 4.0, "column": 23.0, "byte": 59.0},
		}}}},
		{"header finding has an empty path", findings[0].(map[string]any)["path"], ""},
		{"no related is an empty list", findings[0].(map[string]any)["related"], []any{}},
		{"no trace is an empty list", findings[0].(map[string]any)["trace"], []any{}},
		{"no unresolved check is an empty list", doc["unresolved"], []any{}},
		{"positionless diagnostic", doc["diagnostics"].([]any)[1], map[string]any{
			"severity": "warning", "summary": "infra/notes.yaml: not a Terraform, CloudFormation or serverless file; skipped",
			"detail": "", "file": nil, "range": nil,
		}},
		{"stats", doc["stats"], map[string]any{
			"files": 3.0, "resources": 3.0, "files_failed": 1.0, "rules_run": 5.0, "duration_ms": 12.0,
			"suppressed": 0.0, "baselined": 0.0, "excluded_files": 0.0, "excluded_resources": 0.0, "unresolved": 0.0, "hidden_by_severity": 0.0,
			"files_by_format":      map[string]any{"terraform": 1.0, "cloudformation-yaml": 1.0, "cloudformation-json": 1.0},
			"findings_by_severity": map[string]any{"critical": 1.0, "high": 1.0, "medium": 2.0, "low": 1.0},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v\nwant %#v", tc.got, tc.want)
			}
		})
	}
}

// TestJSONSuppressed checks that suppressed findings, when the result lists them, take
// their place among the others with why they are suppressed, and that stats count them.
func TestJSONSuppressed(t *testing.T) {
	res := sampleResult(t)
	ssh, site := res.Findings[3], res.Findings[0]
	ignoreAt := source.Range{Path: "infra/main.tf", Start: source.Pos{Line: 9, Column: 5, Byte: 120}, End: source.Pos{Line: 9, Column: 40, Byte: 155}}
	res.Findings = slices.Delete(res.Findings, 3, 4)
	res.Findings = res.Findings[1:]
	res.Suppressed = []suppress.Suppressed{
		{Finding: ssh, Suppression: suppress.Suppression{Kind: suppress.KindInSource, Reason: "bastion host", Expires: "2027-01-31", Location: &ignoreAt}},
		{Finding: site, Suppression: suppress.Suppression{Kind: suppress.KindExternal, Reason: "recorded in the baseline", Baseline: true}},
	}
	res.Stats.Suppressed, res.Stats.Baselined, res.Stats.ExcludedFiles, res.Stats.ExcludedResources = 1, 1, 2, 3
	var out bytes.Buffer
	if err := JSON(&out, res, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			RuleID     string         `json:"rule_id"`
			Suppressed map[string]any `json:"suppressed"`
		} `json:"findings"`
		Stats map[string]any `json:"stats"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.RuleID)
	}
	if want := []string{"AWS-S3-016", "AWS-S3-001", "AWS-EC2-106", "AWS-EC2-002", "AWS-EC2-005"}; !slices.Equal(got, want) {
		t.Errorf("findings in order %v, want %v", got, want)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"inline ignore", doc.Findings[3].Suppressed, map[string]any{
			"kind": "inSource", "reason": "bastion host", "expires": "2027-01-31",
			"location": map[string]any{"file": "infra/main.tf", "range": map[string]any{
				"start": map[string]any{"line": 9.0, "column": 5.0, "byte": 120.0},
				"end":   map[string]any{"line": 9.0, "column": 40.0, "byte": 155.0},
			}},
		}},
		{"baseline", doc.Findings[0].Suppressed, map[string]any{"kind": "external", "reason": "recorded in the baseline", "expires": nil, "location": nil}},
		{"reported", doc.Findings[1].Suppressed, map[string]any(nil)},
		{"counts", []any{doc.Stats["suppressed"], doc.Stats["baselined"], doc.Stats["excluded_files"], doc.Stats["excluded_resources"]}, []any{1.0, 1.0, 2.0, 3.0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v\nwant %#v", tc.got, tc.want)
			}
		})
	}
}

// TestJSONUnresolved checks the list of checks skipped because a value is not statically
// known, and their count.
func TestJSONUnresolved(t *testing.T) {
	res := unresolvedResult(t)
	var out bytes.Buffer
	if err := JSON(&out, res, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Unresolved []any          `json:"unresolved"`
		Stats      map[string]any `json:"stats"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{
		"rule_id":  "AWS-EC2-002",
		"resource": map[string]any{"address": "aws_security_group.web", "kind": "aws_security_group", "file": "infra/main.tf"},
		"file":     "infra/main.tf",
		"range": map[string]any{
			"start": map[string]any{"line": 8.0, "column": 17.0, "byte": 150.0},
			"end":   map[string]any{"line": 8.0, "column": 19.0, "byte": 152.0},
		},
		"reason":  "port is not known statically",
		"reads":   []any{"var.port"},
		"related": []any{},
	}}
	if !reflect.DeepEqual(doc.Unresolved, want) {
		t.Errorf("unresolved = %#v\nwant %#v", doc.Unresolved, want)
	}
	if doc.Stats["unresolved"] != 1.0 {
		t.Errorf("stats.unresolved = %v, want 1", doc.Stats["unresolved"])
	}
}

func TestJSONWriteError(t *testing.T) {
	if err := JSON(failingWriter{}, sampleResult(t), Options{}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("JSON on a failing writer = %v, want %v", err, os.ErrClosed)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestJSONFix checks a finding's fix: its mode, description and the byte edits --fix
// applies (an auto fix) or --diff shows (a suggestion).
func TestJSONFix(t *testing.T) {
	res := sampleResult(t)
	res.Findings[1].Fix = &rules.Fix{Mode: rules.FixAuto, Description: `set acl to "private"`,
		Edits: []fixers.Edit{{Path: "infra/main.tf", Start: 67, End: 80, New: `"private"`}}}
	res.Findings[3].Fix = &rules.Fix{Mode: rules.FixSuggest, Description: "restrict the source"}
	var out bytes.Buffer
	if err := JSON(&out, res, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			Fix json.RawMessage `json:"fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`null`,
		`{"mode":"auto","description":"set acl to \"private\"","edits":[{"path":"infra/main.tf","start":67,"end":80,"new":"\"private\""}]}`,
		`null`,
		`{"mode":"suggest","description":"restrict the source","edits":[]}`,
		`null`,
	}
	for i, f := range doc.Findings {
		var compact bytes.Buffer
		if err := json.Compact(&compact, f.Fix); err != nil {
			t.Fatal(err)
		}
		if compact.String() != want[i] {
			t.Errorf("finding %d: fix %s, want %s", i, compact.String(), want[i])
		}
	}
}
