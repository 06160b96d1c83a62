package custom_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/rules/custom"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestPolicies runs the example policies over every format, fixes included.
func TestPolicies(t *testing.T) {
	rs, diags := custom.Load(filepath.Join("testdata", "rules"), builtin.All())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(rs) != 3 {
		t.Fatalf("loaded %d rules, want 3", len(rs))
	}
	ruletest.Run(t, filepath.Join("testdata", "policies.txtar"), rs...)
}

// TestShared checks that resources whose inputs are partly or wholly identical are each
// judged on their own: findings and unresolved checks at each resource, whatever an
// expression reads (names of resource.values, whole fields, value, resource as a whole,
// neighbours).
func TestShared(t *testing.T) {
	rs, diags := custom.Load(filepath.Join("testdata", "shared"), builtin.All())
	if len(diags) > 0 || len(rs) != 5 {
		t.Fatal(len(rs), diags)
	}
	ruletest.Run(t, filepath.Join("testdata", "shared.txtar"), rs...)
}

// TestProblems checks that a bad rule gives a diagnostic at its file, line and column and
// leaves the file's other rules loaded.
func TestProblems(t *testing.T) {
	const good = `
  - id: ACME-OK-001
    title: t
    description: d
    remediation: r
    severity: low
    select: {kinds: [aws_s3_bucket]}
    require: {cel: "true"}
`
	tests := []struct {
		name, src, want string
		loaded          int
	}{
		{name: "not YAML", src: "rules: [\n", want: "x.yaml:1:1: invalid YAML"},
		{name: "schema", src: "rules:\n  - id: acme\n    title: t\n", want: "x.yaml:2:9: rules.0.id"},
		{name: "unknown key", src: "rules:" + good + "    colour: red\n", want: `x.yaml:9:5: rules.0: unknown key "colour"`},
		{name: "reserved namespace", src: "rules:" + good[:9] + "AWS-S3-999" + good[20:], want: "x.yaml:2:9: rule ID AWS-S3-999: the AWS- namespace is iacscan's own"},
		{name: "taken", src: "rules:" + good + good, want: "x.yaml:10:9: rule ID ACME-OK-001 or name acme-ok-001 is taken by rule ACME-OK-001", loaded: 1},
		{name: "CEL syntax", src: "rules:" + good + strings.Replace(strings.Replace(good, "OK-001", "OK-002", 1), `"true"`, `"resource.kind =="`, 1), want: "x.yaml:16:20: cel: ERROR: <input>:1:17: Syntax error", loaded: 1},
		{name: "CEL type", src: "rules:" + strings.Replace(good, `"true"`, `"size(resource.tags) == 'two'"`, 1), want: "x.yaml:8:20: cel: ERROR: <input>:1:21: found no matching overload for '_==_' applied to '(int, string)'"},
		{name: "CEL not a bool", src: "rules:" + strings.Replace(good, `"true"`, `"'yes'"`, 1), want: "x.yaml:8:20: cel: the expression is a string; it must be a bool"},
		{name: "undeclared", src: "rules:" + strings.Replace(good, `"true"`, `"bucket.acl == 'private'"`, 1), want: "undeclared reference to 'bucket'"},
		{name: "setting condition without setting", src: "rules:" + strings.Replace(good, `{cel: "true"}`, `{equals: x}`, 1), want: "x.yaml:8:15: condition equals needs a setting"},
		{name: "bad regexp", src: "rules:" + strings.Replace(good, `{cel: "true"}`, `{matches: "("}`, 1) + "    setting: {terraform: acl}\n", want: "x.yaml:8:24: matches: error parsing regexp"},
		{name: "bad CIDR", src: "rules:" + strings.Replace(good, `{cel: "true"}`, `{cidr_within: [10.0.0.0/33]}`, 1) + "    setting: {terraform: cidr}\n", want: `x.yaml:8:29: "10.0.0.0/33" is not a CIDR`},
		{name: "fix without setting", src: "rules:" + good + "    fix: {set: x}\n", want: "x.yaml:9:10: a fix needs a setting to change"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := custom.Parse("x.yaml", []byte(tc.src), builtin.All())
			if len(rs) != tc.loaded {
				t.Errorf("loaded %d rules, want %d", len(rs), tc.loaded)
			}
			var got []string
			for _, d := range diags {
				got = append(got, fmt.Sprintf("%s:%d:%d: %s", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column, d.Detail))
			}
			if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, tc.want) }) {
				t.Errorf("diagnostics %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// TestSchemaProblems checks that every schema violation of a file is reported once, at its
// key or value, in file order; a missing required key is not also reported as a null value.
func TestSchemaProblems(t *testing.T) {
	src := `rules:
  - id: acme
    name: Bad_Name
    title: ""
    description: d
    remediation: r
    severity: urgent
    colour: red
    select: {}
    require: {present: false, equals: 1, matches: x, not: {cel: ""}}
    tags: [1, a]
  - title: t
    select: {kinds: []}
    require: {}
`
	want := []string{
		`x.yaml:2:9: rules.0.id: "acme" does not match the pattern ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`,
		`x.yaml:3:11: rules.0.name: "Bad_Name" does not match the pattern ^[a-z0-9]+(-[a-z0-9]+)*$`,
		`x.yaml:4:12: rules.0.title: must not be empty`,
		`x.yaml:7:15: rules.0.severity: got "urgent", want one of: low, medium, high, critical`,
		`x.yaml:8:5: rules.0: unknown key "colour"`,
		`x.yaml:9:13: rules.0.select: missing key 'kinds'`,
		`x.yaml:10:14: rules.0.require: got 4 keys, want at most 1`,
		`x.yaml:10:24: rules.0.require.present: got false, want true`,
		`x.yaml:10:65: rules.0.require.not.cel: must not be empty`,
		`x.yaml:11:12: rules.0.tags.0: got integer, want string`,
		`x.yaml:12:5: rules.1: missing keys 'id', 'description', 'remediation', 'severity'`,
		`x.yaml:13:21: rules.1.select.kinds: got 0 items, want at least 1`,
		`x.yaml:14:14: rules.1.require: got 0 keys, want at least 1`,
	}
	_, diags := custom.Parse("x.yaml", []byte(src), builtin.All())
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s:%d:%d: %s", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column, d.Detail))
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCostLimit checks that an expression too costly to evaluate stops its rule with one
// diagnostic while the other rules still report.
func TestCostLimit(t *testing.T) {
	src := `rules:
  - id: ACME-COST-001
    title: t
    description: d
    remediation: r
    severity: low
    select: {kinds: [aws_s3_bucket]}
    require: {cel: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, [1,2,3,4,5,6,7,8,9,10].all(g, a + b + c + d + e + f + g > 0)))))))"}
  - id: ACME-TAG-002
    title: no owner
    description: d
    remediation: r
    severity: low
    select: {kinds: [aws_s3_bucket]}
    require: {cel: "'owner' in resource.tags"}
`
	rs, diags := custom.Parse("x.yaml", []byte(src), nil)
	if len(diags) > 0 || len(rs) != 2 {
		t.Fatal(rs, diags)
	}
	ar := txtar.Parse([]byte("-- main.tf --\nresource \"aws_s3_bucket\" \"a\" {}\nresource \"aws_s3_bucket\" \"b\" {}\n"))
	findings, diags := ruletest.Scan(t, ar, rs...)
	if len(findings) != 2 || findings[0].Rule.ID != "ACME-TAG-002" {
		t.Errorf("findings = %v, want ACME-TAG-002 on both buckets", findings)
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Summary, "ACME-COST-001") || !strings.Contains(diags[0].Detail, "cost limit") {
		t.Errorf("diagnostics = %v, want one about ACME-COST-001's cost limit", diags)
	}
}

// TestCostLimitBySize checks that the cost limit holds on the values at hand: an
// expression cheap on a bucket with two tags runs on it, and stops with a diagnostic on a
// bucket with 150 (which stops the rule: a bucket after it is not judged).
func TestCostLimitBySize(t *testing.T) {
	src := `rules:
  - id: ACME-COST-002
    title: t
    description: d
    remediation: r
    severity: low
    select: {kinds: [aws_s3_bucket]}
    require: {cel: "!('bad' in resource.tags) && resource.tags.all(a, resource.tags.all(b, resource.tags.all(c, a + b + c != '')))"}
`
	rs, diags := custom.Parse("x.yaml", []byte(src), nil)
	if len(diags) > 0 || len(rs) != 1 {
		t.Fatal(rs, diags)
	}
	var big strings.Builder
	for i := range 150 {
		fmt.Fprintf(&big, "    t%d = \"v\"\n", i)
	}
	small := "resource \"aws_s3_bucket\" \"small\" {\n  tags = { bad = \"1\", b = \"2\" }\n}\n"
	large := "resource \"aws_s3_bucket\" \"large\" {\n  tags = {\n" + big.String() + "  }\n}\n"
	for _, order := range [][]string{{small, large}, {large, small}} {
		ar := txtar.Parse([]byte("-- main.tf --\n" + strings.Join(order, "\n")))
		findings, diags := ruletest.Scan(t, ar, rs...)
		if want := len(order[0]) == len(small); (len(findings) == 1) != want || want && findings[0].Resource.Address != "aws_s3_bucket.small" {
			t.Errorf("findings = %v, want one on the small bucket when it comes first", findings)
		}
		if len(diags) != 1 || !strings.Contains(diags[0].Summary, "aws_s3_bucket.large") || !strings.Contains(diags[0].Detail, "cost limit") {
			t.Errorf("diagnostics = %v, want one about the large bucket's cost limit", diags)
		}
	}
}
