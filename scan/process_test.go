package scan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iacscan/iacscan/baseline"
	"github.com/iacscan/iacscan/config"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/rules/suppress"
)

// badRule reports every `bad = true` at its value, with an automatic fix.
var badRule = &rules.Rule{
	Meta: rules.Meta{ID: "AWS-TST-001", Severity: rules.High, Aliases: []string{"CKV_TST_1"}, Fix: rules.FixAuto},
	Check: func(ctx *rules.Context) {
		for _, r := range ctx.Graph.Resources {
			if a := r.Get("bad"); a != nil && a.Value.IsTrue() {
				ctx.Report(r, a.Value, "bad is true", rules.WithFix(rules.FixAuto, "set bad to false"))
			}
		}
	},
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func run(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	if opts.Rules == nil {
		opts.Rules = []*rules.Rule{badRule}
	}
	res, err := Run(t.Context(), []string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// lines renders findings as "file:line RULE message" with the file relative to dir.
func lines(dir string, fs []rules.Finding) string {
	var out []string
	for _, f := range fs {
		rel, _ := filepath.Rel(dir, filepath.FromSlash(f.Range.Path))
		out = append(out, fmt.Sprintf("%s:%d %s %s", filepath.ToSlash(rel), f.Range.Start.Line, f.Rule.ID, f.Message))
	}
	return strings.Join(out, "\n")
}

func TestBaselineSurvivesMovedCode(t *testing.T) {
	dir := t.TempDir()
	before := "resource \"x_thing\" \"a\" {\n  bad = true\n}\n"
	writeFiles(t, dir, map[string]string{"main.tf": before})
	var buf bytes.Buffer
	if err := baseline.Write(&buf, run(t, dir, Options{}).Findings, ""); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	// Lines inserted above the recorded finding, and a new finding below it.
	after := "# header\n\nvariable \"v\" {\n  default = 1\n}\n\n" + before + "resource \"x_thing\" \"b\" {\n  bad = true\n}\n"
	writeFiles(t, dir, map[string]string{"main.tf": after})
	res := run(t, dir, Options{Baseline: b})
	if got := lines(dir, res.Findings); got != "main.tf:11 AWS-TST-001 bad is true" {
		t.Errorf("findings = %q, want only the new one", got)
	}
	if res.Stats.Baselined != 1 || res.Stats.Suppressed != 0 || len(res.Suppressed) != 1 || !res.Suppressed[0].Suppression.Baseline || res.Suppressed[0].Range.Start.Line != 8 {
		t.Errorf("baselined %d, suppressed %+v: want the moved finding at line 8", res.Stats.Baselined, res.Suppressed)
	}
}

func TestIgnoresAndClock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `resource "x_thing" "a" {
  bad = true # iacscan:ignore:AWS-TST-001:exp:2026-06-15 until the migration
}
`})
	day := func(d int) func() time.Time {
		return func() time.Time { return time.Date(2026, 6, d, 23, 59, 0, 0, time.UTC) }
	}
	tests := []struct {
		name       string
		opts       Options
		findings   string
		suppressed int
	}{
		{"on the expiry day", Options{Now: day(15)}, "", 1},
		{"the day after", Options{Now: day(16)}, "main.tf:2 AWS-TST-001 bad is true (the ignore at " + filepath.ToSlash(filepath.Join(dir, "main.tf")) + ":2:16 expired on 2026-06-15)", 0},
		{"no ignores", Options{Now: day(15), NoIgnores: true}, "main.tf:2 AWS-TST-001 bad is true", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, dir, tc.opts)
			if got := lines(dir, res.Findings); got != tc.findings {
				t.Errorf("findings = %q, want %q", got, tc.findings)
			}
			if res.Stats.Suppressed != tc.suppressed || len(res.Suppressed) != tc.suppressed {
				t.Errorf("suppressed %d (%d listed), want %d", res.Stats.Suppressed, len(res.Suppressed), tc.suppressed)
			}
		})
	}
}

func TestExclusions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf":              "resource \"x_thing\" \"a\" {\n  bad = true\n}\nresource \"x_thing\" \"b\" {\n  bad  = true\n  tags = { CASB-Audit = \"No\" }\n}\n",
		"vendor/mod/main.tf":   "resource \"x_thing\" \"v\" {\n  bad = true\n}\n",
		"legacy/old.tf":        "resource \"x_thing\" \"o\" {\n  bad = true\n}\n",
		"legacy/keep/main.tf":  "resource \"x_thing\" \"k\" {\n  bad = true\n}\n",
		"modules/x/test/a.tf":  "resource \"x_thing\" \"t\" {\n  bad = true\n}\n",
		"modules/x/testing.tf": "resource \"x_thing\" \"u\" {\n  bad = true\n}\n",
	})
	res := run(t, dir, Options{
		ExcludePaths: []string{"vendor", "legacy/*.tf", "**/test/**"},
		ExcludeRoot:  dir,
		ExcludeTags:  []suppress.Tag{{Key: "CASB-Audit", Value: "No"}},
		FixDisable:   []string{"CKV_TST_1"},
	})
	want := "legacy/keep/main.tf:2 AWS-TST-001 bad is true\nmain.tf:2 AWS-TST-001 bad is true\nmodules/x/testing.tf:2 AWS-TST-001 bad is true"
	if got := lines(dir, res.Findings); got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
	if res.Stats.ExcludedFiles != 3 || res.Stats.Files != 3 || res.Stats.ExcludedResources != 1 || res.Stats.Suppressed != 1 {
		t.Errorf("stats = %+v: want 3 files excluded, 3 scanned, 1 resource excluded and suppressed", res.Stats)
	}
	for _, f := range res.Findings {
		if f.Fix == nil || f.Fix.Mode != rules.FixSuggest || f.Fix.Description != "set bad to false" {
			t.Errorf("fix of %s = %+v: fix.disable should make it a suggestion", f.Range.Path, f.Fix)
		}
	}
	if fix := run(t, dir, Options{}).Findings[0].Fix; fix.Mode != rules.FixAuto {
		t.Errorf("without fix.disable the fix is %s, want auto", fix.Mode)
	}
}

// TestParamReachesRule checks that `rules: {AWS-EC2-034: {allowed-ports: [...]}}` in the
// configuration changes what the real AWS-EC2-034 reports.
func TestParamReachesRule(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `resource "aws_security_group" "web" {
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`})
	catalog := builtin.All()
	tests := []struct {
		name, config string
		want         int
	}{
		{"default allow-list", "", 1},
		{"8443 allowed", "rules:\n  AWS-EC2-034:\n    allowed-ports: [443, 8443]\n", 0},
		{"by alias", "rules:\n  EC2-034:\n    allowed-ports: [8443]\n", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse(".iacscan.yaml", []byte(tc.config), catalog)
			if err != nil {
				t.Fatal(err)
			}
			configured, err := cfg.Catalog(catalog)
			if err != nil {
				t.Fatal(err)
			}
			res := run(t, dir, Options{Rules: configured, Enable: []string{"AWS-EC2-034"}})
			if len(res.Findings) != tc.want {
				t.Errorf("AWS-EC2-034 findings = %d, want %d:\n%s", len(res.Findings), tc.want, lines(dir, res.Findings))
			}
		})
	}
}

// unknownRule records an unresolved check at every `bad` that is not statically known.
var unknownRule = &rules.Rule{
	Meta: rules.Meta{ID: "AWS-TST-002", Severity: rules.High},
	Check: func(ctx *rules.Context) {
		for _, r := range ctx.Graph.Resources {
			if a := r.Get("bad"); a != nil && !a.Value.Known() {
				ctx.Unresolved(r, a.Value, "bad is not known statically")
			}
		}
	},
}

// TestUnresolvedFollowsExclusions checks that the ignores, tag exclusions and excluded
// paths that take findings out of the report take out unresolved checks too, and that
// the count matches the list.
func TestUnresolvedFollowsExclusions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `variable "v" {}
resource "x_thing" "a" {
  bad = var.v
}
resource "x_thing" "b" {
  bad = var.v # iacscan:ignore:AWS-TST-002 decided at deploy time
}
resource "x_thing" "c" {
  bad  = var.v
  tags = { CASB-Audit = "No" }
}
`,
		"vendor/main.tf": "variable \"w\" {}\nresource \"x_thing\" \"v\" {\n  bad = var.w\n}\n",
	})
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"everything", Options{NoIgnores: true}, "main.tf:3 x_thing.a; main.tf:6 x_thing.b; main.tf:9 x_thing.c; vendor/main.tf:3 x_thing.v"},
		{"ignores, tags and paths", Options{ExcludePaths: []string{"vendor"}, ExcludeRoot: dir, ExcludeTags: []suppress.Tag{{Key: "CASB-Audit", Value: "No"}}}, "main.tf:3 x_thing.a"},
		{"rule disabled", Options{Disable: []string{"AWS-TST-002"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Rules = []*rules.Rule{badRule, unknownRule}
			res := run(t, dir, tc.opts)
			var got []string
			for _, u := range res.Unresolved {
				rel, _ := filepath.Rel(dir, filepath.FromSlash(u.Range.Path))
				got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), u.Range.Start.Line, u.Resource.Address))
			}
			if s := strings.Join(got, "; "); s != tc.want {
				t.Errorf("unresolved = %q, want %q", s, tc.want)
			}
			if res.Stats.Unresolved != len(res.Unresolved) {
				t.Errorf("Stats.Unresolved = %d, want %d", res.Stats.Unresolved, len(res.Unresolved))
			}
			if len(res.Findings) != 0 || len(res.Diagnostics) != 0 {
				t.Errorf("findings %v, diagnostics %v: want none (no guess on an unknown value)", res.Findings, res.Diagnostics)
			}
		})
	}
}

// TestUnresolvedReportOnly checks that a pre-commit scan lists only the unresolved checks
// in the files it was given, although it reads their neighbours.
func TestUnresolvedReportOnly(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"variables.tf": "variable \"v\" {}\n",
		"a.tf":         "resource \"x_thing\" \"a\" {\n  bad = var.v\n}\n",
		"b.tf":         "resource \"x_thing\" \"b\" {\n  bad = var.v\n}\n",
	})
	res, err := Run(t.Context(), []string{filepath.Join(dir, "a.tf")}, Options{Rules: []*rules.Rule{unknownRule}, ReportOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unresolved) != 1 || res.Unresolved[0].Resource.Address != "x_thing.a" || res.Stats.Unresolved != 1 {
		t.Errorf("unresolved = %+v, count %d; want only x_thing.a's", res.Unresolved, res.Stats.Unresolved)
	}
}
