package custom

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/cases"
	"github.com/iacscan/iacscan/source"
)

// Outcome is the result of one test case of a rule directory.
type Outcome struct {
	Path string
	// Failures are the expected sections that differ, each with its line diff, or the
	// reason the case could not run.
	Failures []string
}

// Test loads the rules of dir and runs each test case below it: every .txtar archive,
// whose input sections are scanned with all the directory's rules (default-off ones
// too) and whose "want" section (and "fixes" and "unresolved", when present) must equal
// what they report, in the format of rules/cases. diags are the rule files' problems:
// with them no case runs.
func Test(dir string, taken []*rules.Rule) (outcomes []Outcome, diags source.Diagnostics, err error) {
	rs, diags := Load(dir, taken)
	if len(diags) > 0 {
		return nil, diags, nil
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".txtar" {
			return err
		}
		ar, err := txtar.ParseFile(path)
		if err != nil {
			return err
		}
		outcomes = append(outcomes, Outcome{Path: path, Failures: runCase(ar, rs)})
		return nil
	})
	return outcomes, nil, err
}

// runCase scans one archive and compares its expected sections.
func runCase(ar *txtar.Archive, rs []*rules.Rule) []string {
	inputs, err := cases.Inputs(ar)
	if err != nil {
		return []string{err.Error()}
	}
	g, diags := parsers.Load(inputs)
	res, ruleDiags := rules.RunAll(g, rs)
	var failures []string
	for _, d := range append(diags, ruleDiags...) {
		failures = append(failures, "diagnostic: "+d.Error())
	}
	got := map[string]string{
		cases.WantSection:       cases.Format(res.Findings),
		cases.FixesSection:      cases.FormatFixes(res.Findings),
		cases.UnresolvedSection: cases.FormatUnresolved(res.Unresolved),
	}
	for _, name := range []string{cases.WantSection, cases.FixesSection, cases.UnresolvedSection} {
		want, ok := section(ar, name)
		if !ok && name != cases.WantSection {
			continue
		}
		if !bytes.Equal(want, []byte(got[name])) {
			failures = append(failures, fmt.Sprintf("section %q differs (-want +got):\n%s", name, strings.TrimSuffix(cases.LineDiff(string(want), got[name]), "\n")))
		}
	}
	return failures
}

func section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}
