// Package ruletest runs rules over txtar archives with the real parsers and compares the
// findings with the archive's "want" section, one finding per line:
//
//	path:line:col: RULE-ID message
//
// Run the tests with -update to rewrite the want sections from what the rules report.
package ruletest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

var update = flag.Bool("update", false, "rewrite the want sections of rule test archives")

// WantSection is the name of the expected-findings section of an archive.
const WantSection = "want"

// Run scans the inputs of the txtar archive at path with rs and compares the findings with
// its want section. Sections whose names end in ".fixed" are fix goldens and not inputs.
func Run(t *testing.T, path string, rs ...*rules.Rule) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	findings, diags := Scan(t, ar, rs...)
	for _, d := range diags {
		t.Errorf("%s: unexpected diagnostic: %v", path, d)
	}
	got := Format(findings)
	wantIdx := -1
	for i, f := range ar.Files {
		if f.Name == WantSection {
			wantIdx = i
		}
	}
	if *update {
		if wantIdx < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: WantSection})
			wantIdx = len(ar.Files) - 1
		}
		ar.Files[wantIdx].Data = []byte(got)
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if wantIdx < 0 {
		t.Fatalf("%s: no %q section (run with -update to create it)", path, WantSection)
	}
	if want := string(ar.Files[wantIdx].Data); got != want {
		t.Errorf("%s: findings differ (-want +got):\n%s", path, lineDiff(want, got))
	}
}

// Scan parses the archive's input sections and runs rs over the graph.
func Scan(t testing.TB, ar *txtar.Archive, rs ...*rules.Rule) ([]rules.Finding, source.Diagnostics) {
	t.Helper()
	var inputs []parsers.Input
	for _, f := range ar.Files {
		if f.Name == WantSection || strings.HasSuffix(f.Name, ".fixed") {
			continue
		}
		format := detect.Classify(f.Name, f.Data)
		if format == graph.FormatNone {
			t.Fatalf("archive section %q is not an input iacscan reads", f.Name)
		}
		inputs = append(inputs, parsers.Input{File: source.NewFile(f.Name, f.Data), Format: format})
	}
	g, diags := parsers.Load(inputs)
	findings, ruleDiags := rules.Run(g, rs)
	return findings, append(diags, ruleDiags...)
}

// Format renders findings one per line as "path:line:col: ID message".
func Format(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d: %s %s\n", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column, f.Rule.ID, f.Message)
	}
	return b.String()
}

func lineDiff(want, got string) string {
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	inWant := map[string]int{}
	for _, l := range w {
		inWant[l]++
	}
	var b bytes.Buffer
	for _, l := range g {
		if inWant[l] > 0 {
			inWant[l]--
			continue
		}
		if l != "" {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	for _, l := range w {
		if inWant[l] > 0 && l != "" {
			inWant[l]--
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	return b.String()
}
