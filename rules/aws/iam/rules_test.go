package iam_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/iam"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// archives are r's archives: testdata/<name>.txtar and its variants
// testdata/<name>.<variant>.txtar.
func archives(t *testing.T, r *rules.Rule) []string {
	t.Helper()
	variants, err := filepath.Glob(filepath.Join("testdata", r.Name+".*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join("testdata", r.Name+".txtar")}, variants...)
}

// TestRules runs each rule over its archives, alone: the informational rules would
// otherwise report every user of every archive.
func TestRules(t *testing.T) {
	for _, r := range iam.Rules {
		for _, path := range archives(t, r) {
			t.Run(filepath.Base(path), func(t *testing.T) { ruletest.Run(t, path, r) })
		}
	}
}

// wantMeta is the catalog's severity, fix mode and default of each rule (RULES.md 3.7,
// decision 3: the informational rules are off by default).
var wantMeta = map[string]struct {
	severity rules.Severity
	fix      rules.FixMode
	off      bool
}{
	"AWS-IAM-001": {rules.Low, rules.FixNone, true},
	"AWS-IAM-005": {rules.Medium, rules.FixAuto, false},
	"AWS-IAM-013": {rules.High, rules.FixSuggest, false},
	"AWS-IAM-022": {rules.Medium, rules.FixSuggest, false},
	"AWS-IAM-036": {rules.High, rules.FixSuggest, false},
	"AWS-IAM-045": {rules.High, rules.FixSuggest, false},
	"AWS-IAM-101": {rules.Low, rules.FixNone, true},
	"AWS-IAM-102": {rules.Critical, rules.FixSuggest, false},
}

func TestMeta(t *testing.T) {
	var ids []string
	for _, r := range iam.Rules {
		ids = append(ids, r.ID)
		want, ok := wantMeta[r.ID]
		if !ok {
			t.Errorf("%s: not in the catalog", r.ID)
			continue
		}
		if r.Severity != want.severity || r.Fix != want.fix || r.DefaultOff != want.off {
			t.Errorf("%s: severity, fix, off = %v, %v, %v; want %v, %v, %v", r.ID, r.Severity, r.Fix, r.DefaultOff, want.severity, want.fix, want.off)
		}
	}
	if !slices.IsSorted(ids) || len(ids) != len(wantMeta) {
		t.Errorf("rule IDs %v: want the %d catalog rules in ID order", ids, len(wantMeta))
	}
}

// TestEveryFormat demands a finding in each format a rule claims, in its main archive
// (the want sections show the negatives next to them).
func TestEveryFormat(t *testing.T) {
	for _, r := range iam.Rules {
		t.Run(r.ID, func(t *testing.T) {
			findings, _ := ruletest.Scan(t, archive(t, filepath.Join("testdata", r.Name+".txtar")), r)
			seen := map[graph.Format]bool{}
			g := ruletest.Load(t, archive(t, filepath.Join("testdata", r.Name+".txtar")))
			for _, f := range findings {
				for _, res := range g.Resources {
					if res.ID == f.Resource {
						seen[res.Format] = true
					}
				}
			}
			for _, format := range r.Formats {
				if !seen[format] {
					t.Errorf("no finding in %v", format)
				}
			}
		})
	}
}

func archive(t *testing.T, path string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ar
}

// TestRelatedAndTrace pins what the want sections cannot show: a statement read from a
// data source names where the document is attached and traces its way there, and
// AdministratorAccess reaching a console user is critical, pointing at the login.
func TestRelatedAndTrace(t *testing.T) {
	findings, _ := ruletest.Scan(t, archive(t, filepath.Join("testdata", iam.FullAdmin.Name+".txtar")), iam.FullAdmin)
	var got []string
	for _, f := range findings {
		if f.Range.Path != "main.tf" || f.Range.Start.Line != 74 {
			continue
		}
		for _, rel := range f.Related {
			got = append(got, fmt.Sprintf("related %d:%d %s", rel.Range.Start.Line, rel.Range.Start.Column, rel.Message))
		}
		for _, s := range f.Trace {
			got = append(got, fmt.Sprintf("trace %d:%d %s", s.Range.Start.Line, s.Range.Start.Column, s.What))
		}
	}
	want := []string{
		"related 57:5 the policy document is attached to aws_iam_role.inline here",
		"trace 72:13 data.aws_iam_policy_document.base statement \"FromSource\"",
		"trace 57:5 aws_iam_role.inline policy",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	findings, _ = ruletest.Scan(t, archive(t, filepath.Join("testdata", iam.AdminAttached.Name+".txtar")), iam.AdminAttached)
	got = nil
	for _, f := range findings {
		if f.Severity == rules.Critical {
			got = append(got, fmt.Sprintf("%s:%d -> %s:%d", f.Range.Path, f.Range.Start.Line, f.Related[0].Range.Path, f.Related[0].Range.Start.Line))
		}
	}
	want = []string{"main.tf:25 -> main.tf:9", "main.tf:60 -> main.tf:9", "template.yaml:9 -> template.yaml:6"}
	if !slices.Equal(got, want) {
		t.Errorf("critical findings %v, want %v", got, want)
	}
}
