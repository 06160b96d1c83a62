package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func testRule(id string, off bool, check func(*Context)) *Rule {
	return &Rule{Meta: Meta{ID: id, Name: strings.ToLower(id), Aliases: []string{"CKV_" + id}, Severity: Medium, DefaultOff: off}, Check: check}
}

func ids(rs []*Rule) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

func TestSelect(t *testing.T) {
	all := []*Rule{testRule("AWS-EC2-002", false, nil), testRule("AWS-EC2-033", true, nil), testRule("AWS-S3-001", false, nil)}
	tests := []struct {
		name             string
		enable, disable  []string
		want, wantErrSub string
	}{
		{name: "defaults leave default-off rules out", want: "AWS-EC2-002,AWS-S3-001"},
		{name: "enable names a default-off rule", enable: []string{"aws-ec2-033"}, want: "AWS-EC2-033"},
		{name: "glob", enable: []string{"AWS-EC2-*"}, want: "AWS-EC2-002,AWS-EC2-033"},
		{name: "alias and name", enable: []string{"CKV_AWS-S3-001", "aws-ec2-002"}, want: "AWS-EC2-002,AWS-S3-001"},
		{name: "disable after enable", enable: []string{"AWS-*"}, disable: []string{"AWS-S3-001"}, want: "AWS-EC2-002,AWS-EC2-033"},
		{name: "unknown pattern is an error", disable: []string{"AWS-EC2-999"}, wantErrSub: `no rule matches "AWS-EC2-999"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Select(all, tc.enable, tc.disable)
			if tc.wantErrSub != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
					t.Fatalf("err = %v, want %q", err, tc.wantErrSub)
				}
				return
			}
			if err != nil || ids(got) != tc.want {
				t.Fatalf("Select = %s, %v; want %s", ids(got), err, tc.want)
			}
		})
	}
	if Lookup(all, "ckv_aws-s3-001") != all[2] || Lookup(all, "AWS-*") != nil {
		t.Fatal("Lookup wrong")
	}
}

func TestRunRecoversSortsAndShares(t *testing.T) {
	f := source.NewFile("b.tf", []byte("resource \"x\" \"y\" {}\n"))
	a := &graph.Resource{ID: graph.ID{Path: "b.tf", Address: "x.y"}, Kind: "x", Header: f.Range(0, 16), Body: &graph.Value{Type: graph.Map}}
	g := graph.New([]*graph.Resource{a})
	built := 0
	view := func(ctx *Context) int { return Memo(ctx, "view", func() int { built++; return 42 }) }
	rs := []*Rule{
		testRule("AWS-Z-002", false, func(ctx *Context) { view(ctx); ctx.Report(a, nil, "second") }),
		testRule("AWS-A-001", false, func(ctx *Context) { view(ctx); ctx.Report(a, nil, "first", WithSeverity(Low)) }),
		testRule("AWS-P-003", false, func(ctx *Context) { panic("boom") }),
	}
	fs, diags := Run(g, rs)
	if len(fs) != 2 || fs[0].Rule.ID != "AWS-A-001" || fs[0].Severity != Low || fs[1].Severity != Medium {
		t.Fatalf("findings = %+v", fs)
	}
	if fs[0].Range != a.Header || fs[0].Resource != a.ID {
		t.Fatalf("finding not at the header: %+v", fs[0])
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Summary, "AWS-P-003") {
		t.Fatalf("diags = %v", diags)
	}
	if built != 1 {
		t.Fatalf("memoised view built %d times, want 1", built)
	}
	if fs[0].Fingerprint() == fs[1].Fingerprint() || len(fs[0].Fingerprint()) != 32 {
		t.Fatal("fingerprints must differ per rule and be 128-bit hex")
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Low, Medium, High, Critical} {
		got, err := ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Fatalf("round trip of %v: %v, %v", s, got, err)
		}
	}
	if level, score := Critical.SARIF(); level != "error" || score != "9.5" {
		t.Fatalf("critical → %s %s", level, score)
	}
	if level, score := Low.SARIF(); level != "note" || score != "2.0" {
		t.Fatalf("low → %s %s", level, score)
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Fatal("unknown severity accepted")
	}
}

// TestUnresolved checks that unresolved checks are recorded once per rule, resource and
// location, sorted like findings, and dropped with the findings of a rule that panics.
func TestUnresolved(t *testing.T) {
	f := source.NewFile("a.tf", []byte("resource \"x\" \"y\" {\n  acl = var.acl\n}\n"))
	acl := &graph.Value{Type: graph.Unknown, Range: f.Range(27, 34), Refs: []*graph.Ref{{Address: "var.acl"}, {Address: "var.acl"}, {Address: "aws_s3_bucket.b", Attr: "id"}}}
	a := &graph.Resource{ID: graph.ID{Path: "a.tf", Address: "x.y"}, Kind: "x", Header: f.Range(0, 16), Body: &graph.Value{Type: graph.Map}}
	g := graph.New([]*graph.Resource{a})
	rs := []*Rule{
		testRule("AWS-Z-002", false, func(ctx *Context) {
			ctx.Unresolved(a, acl, "acl is not known statically")
			ctx.Unresolved(a, acl, "recorded twice")
			ctx.Unresolved(a, nil, "bucket is not known statically")
		}),
		testRule("AWS-A-001", false, func(ctx *Context) { ctx.Unresolved(a, acl, "acl is not known statically") }),
		testRule("AWS-P-003", false, func(ctx *Context) { ctx.Unresolved(a, acl, "before the panic"); panic("boom") }),
	}
	res, diags := RunAll(g, rs)
	if len(diags) != 1 || len(res.Findings) != 0 {
		t.Fatalf("diags = %v, findings = %v; want one diagnostic, no finding", diags, res.Findings)
	}
	var got []string
	for _, u := range res.Unresolved {
		got = append(got, fmt.Sprintf("%s:%d:%d-%d:%d %s %s: %s %v", u.Range.Path, u.Range.Start.Line, u.Range.Start.Column,
			u.Range.End.Line, u.Range.End.Column, u.Rule.ID, u.Resource.Address, u.Reason, u.Reads))
	}
	want := []string{
		"a.tf:1:1-1:17 AWS-Z-002 x.y: bucket is not known statically []",
		"a.tf:2:9-2:16 AWS-A-001 x.y: acl is not known statically [var.acl aws_s3_bucket.b.id]",
		"a.tf:2:9-2:16 AWS-Z-002 x.y: acl is not known statically [var.acl aws_s3_bucket.b.id]",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("unresolved =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
