package suppress

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// today is the fixed clock of the archive tests.
var today = time.Date(2026, 6, 15, 13, 0, 0, 0, time.UTC)

// Two test rules, independent of the real catalog so that the archives test placement,
// not rule semantics. badValue reports every attribute `bad`/`Bad` that is true, at its
// value; openHeader reports, at the header, every resource with `open`/`Open` true.
var (
	badValue = &rules.Rule{
		Meta: rules.Meta{ID: "AWS-TST-001", Name: "tst-bad", Severity: rules.High,
			Aliases: []string{"TST-001", "CKV_TST_1", "AVD-TST-0001"}},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.Resources {
				r.Body.Walk(func(v *graph.Value) {
					for _, a := range v.Attrs {
						if (a.Name == "bad" || a.Name == "Bad") && a.Value.IsTrue() {
							ctx.Report(r, a.Value, "bad is true")
						}
					}
				})
			}
		},
	}
	openHeader = &rules.Rule{
		Meta: rules.Meta{ID: "AWS-TST-002", Name: "tst-open", Severity: rules.Medium,
			Aliases: []string{"TST-002", "CKV_TST_2", "AVD-TST-0002"}},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.Resources {
				if a := r.Get("open", "Open"); a != nil && a.Value.IsTrue() {
					ctx.Report(r, nil, "resource is open")
				}
			}
		},
	}
	testRules = []*rules.Rule{badValue, openHeader}
)

// TestArchives runs the rules over each archive in testdata, applies the inline and
// Metadata ignores at the fixed date, and compares the outcome with the want section:
// the findings still reported, the suppressed ones with their suppression, and the
// diagnostics. -update rewrites the want sections.
func TestArchives(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			requireReason := strings.Contains(string(ar.Comment), "require-reason")
			got := outcome(t, ar, Options{Now: today, RequireReason: requireReason, Catalog: testRules, Ran: testRules})
			compareWant(t, path, ar, got)
		})
	}
}

// load parses the archive's inputs into a graph.
func load(t *testing.T, ar *txtar.Archive) (*graph.Graph, []parsers.Input) {
	t.Helper()
	var inputs []parsers.Input
	for _, f := range ar.Files {
		if f.Name == "want" {
			continue
		}
		format := detect.Classify(f.Name, f.Data)
		if format == graph.FormatNone {
			t.Fatalf("section %q is no input", f.Name)
		}
		inputs = append(inputs, parsers.Input{File: source.NewFile(f.Name, f.Data), Format: format})
	}
	g, diags := parsers.Load(inputs)
	for _, d := range diags {
		t.Fatalf("parse: %v", d)
	}
	return g, inputs
}

// outcome runs the rules and the ignores and renders the result.
func outcome(t *testing.T, ar *txtar.Archive, opts Options) string {
	t.Helper()
	g, inputs := load(t, ar)
	findings, diags := rules.Run(g, testRules)
	for _, d := range diags {
		t.Fatalf("rules: %v", d)
	}
	var ignores []*Ignore
	for _, in := range inputs {
		ignores = append(ignores, Inline(in.File, in.Format, g.Resources)...)
	}
	for _, r := range g.Resources {
		ignores = append(ignores, Metadata(r)...)
	}
	opts.Resources = Index(g)
	kept, suppressed, applyDiags := Apply(findings, ignores, opts)
	return render(kept, suppressed, applyDiags)
}

func render(kept []rules.Finding, suppressed []Suppressed, diags source.Diagnostics) string {
	var b strings.Builder
	for _, f := range kept {
		fmt.Fprintf(&b, "%s %s %s\n", pos(f.Range), f.Rule.ID, f.Message)
	}
	for _, s := range suppressed {
		sup := s.Suppression
		fmt.Fprintf(&b, "%s %s suppressed %s by %s", pos(s.Range), s.Rule.ID, sup.Kind, pos(*sup.Location))
		if sup.Expires != "" {
			fmt.Fprintf(&b, " until %s", sup.Expires)
		}
		fmt.Fprintf(&b, ": %q\n", sup.Reason)
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "%s %s: %s\n", pos(*d.Subject), d.Severity, d.Summary)
	}
	return b.String()
}

func pos(r source.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Path, r.Start.Line, r.Start.Column)
}

func compareWant(t *testing.T, path string, ar *txtar.Archive, got string) {
	t.Helper()
	idx := -1
	for i, f := range ar.Files {
		if f.Name == "want" {
			idx = i
		}
	}
	if *update {
		if idx < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: "want"})
			idx = len(ar.Files) - 1
		}
		ar.Files[idx].Data = []byte(got)
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if idx < 0 {
		t.Fatal("no want section (run with -update)")
	}
	if want := string(ar.Files[idx].Data); got != want {
		t.Errorf("outcome differs\n--- got:\n%s--- want:\n%s", got, want)
	}
}
