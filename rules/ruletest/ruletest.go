// Package ruletest runs rules over txtar archives with the real parsers and compares what
// they report with the archive's expected sections:
//
//   - "want": the findings, one per line, as "path:line:col: RULE-ID message";
//   - "fixes" (optional): the fix of every finding that has one, as
//     "path:line:col: RULE-ID auto|suggest: description";
//   - "unresolved" (optional): the checks skipped because a value is not statically
//     known, as "path:line:col: RULE-ID reason", at the value;
//   - "<input>.fixed" (optional): what --fix makes of the input. When an archive has such
//     sections, its auto fixes are planned and applied, and the result is checked: see
//     [Run].
//
// Every other section is an input. A section holds bytes a file may lack, so flags after a
// '#' in an input's name say how to read it: "main.tf#crlf" has CRLF line endings where the
// section has "\n", "main.tf#noeol" has no final newline, "main.tf#crlf,noeol" both. The
// input's path is the name before the '#', and its .fixed section ("main.tf.fixed") is read
// the same way.
//
// Run the tests with -update to rewrite the expected sections from what the rules do; then
// read the rewritten sections and check each line by hand.
package ruletest

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/cases"
	engine "github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

var update = flag.Bool("update", false, "rewrite the expected sections of rule test archives")

// The names of the expected sections; fix goldens are named after their input plus
// FixedSuffix.
const (
	WantSection       = cases.WantSection
	FixesSection      = cases.FixesSection
	UnresolvedSection = cases.UnresolvedSection
	FixedSuffix       = cases.FixedSuffix
)

// Format, FormatFixes and FormatUnresolved render what rules report one per line, as the
// expected sections hold it.
var (
	Format           = cases.Format
	FormatFixes      = cases.FormatFixes
	FormatUnresolved = cases.FormatUnresolved
)

// Inputs returns the archive's input sections as parser inputs; a section that is no
// input fails the test.
func Inputs(t testing.TB, ar *txtar.Archive) []parsers.Input {
	t.Helper()
	inputs, err := cases.Inputs(ar)
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}

func isFixed(f txtar.File) bool { return strings.HasSuffix(f.Name, FixedSuffix) }

// Run scans the inputs of the txtar archive at path with rs and compares the findings with
// its want section, their fixes with its fixes section if it has one, the unresolved
// checks with its unresolved section if it has one, and, if it has .fixed
// sections, the fixed inputs with them. Fixed inputs must parse, the findings whose fixes
// were applied must be gone, no finding may appear, a second fix pass must change nothing,
// and every edit must stay within the lines its changes name, so that all other lines are
// byte-identical.
func Run(t *testing.T, path string, rs ...*rules.Rule) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inputs := Inputs(t, ar)
	res := scanAll(t, inputs, rs)
	findings := res.Findings
	engine.PlanFindings(inputs, findings) // as reports show them: what no patcher writes is a suggestion
	got := []txtar.File{{Name: WantSection, Data: []byte(Format(findings))}}
	if section(ar, FixesSection) != nil {
		got = append(got, txtar.File{Name: FixesSection, Data: []byte(FormatFixes(findings))})
	}
	if section(ar, UnresolvedSection) != nil {
		got = append(got, txtar.File{Name: UnresolvedSection, Data: []byte(FormatUnresolved(res.Unresolved))})
	}
	if slices.ContainsFunc(ar.Files, isFixed) {
		got = append(got, fixAll(t, ar, inputs, findings, rs)...)
	}
	if *update {
		for _, f := range got {
			setSection(ar, f)
		}
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range got {
		want := section(ar, f.Name)
		switch {
		case want == nil:
			t.Errorf("%s: no %q section (run with -update to create it)", path, f.Name)
		case !bytes.Equal(want.Data, f.Data):
			t.Errorf("%s: section %q differs (-want +got):\n%s", path, f.Name, cases.LineDiff(string(want.Data), string(f.Data)))
		}
	}
}

// Scan parses the archive's input sections and runs rs over the graph.
func Scan(t testing.TB, ar *txtar.Archive, rs ...*rules.Rule) ([]rules.Finding, source.Diagnostics) {
	t.Helper()
	res, diags := run(Inputs(t, ar), rs)
	return res.Findings, diags
}

func run(inputs []parsers.Input, rs []*rules.Rule) (rules.Results, source.Diagnostics) {
	files := fstest.MapFS{} // what rain modules read: the archive's own files
	for _, in := range inputs {
		files[in.File.Path] = &fstest.MapFile{Data: in.File.Src}
	}
	g, diags := parsers.LoadWith(inputs, parsers.Options{CloudFormation: cloudformation.Options{Files: files}})
	res, ruleDiags := rules.RunAll(g, rs)
	return res, append(diags, ruleDiags...)
}

// scanAll is Scan for a test, with the unresolved checks: diagnostics fail it.
func scanAll(t *testing.T, inputs []parsers.Input, rs []*rules.Rule) rules.Results {
	t.Helper()
	res, diags := run(inputs, rs)
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %v", d)
	}
	return res
}

// scan is scanAll's findings.
func scan(t *testing.T, inputs []parsers.Input, rs []*rules.Rule) []rules.Finding {
	t.Helper()
	return scanAll(t, inputs, rs).Findings
}

// Load parses the archive's inputs into a graph; diagnostics fail the test.
func Load(t testing.TB, ar *txtar.Archive) *graph.Graph {
	t.Helper()
	g, diags := parsers.Load(Inputs(t, ar))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	return g
}

func section(ar *txtar.Archive, name string) *txtar.File {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			return &ar.Files[i]
		}
	}
	return nil
}

func setSection(ar *txtar.Archive, f txtar.File) {
	if s := section(ar, f.Name); s != nil {
		s.Data = f.Data
		return
	}
	ar.Files = append(ar.Files, f)
}
