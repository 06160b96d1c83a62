package ruletest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
)

// RunDir runs Run on every archive in dir, each as a subtest; a directory without
// archives fails, so that a moved testdata folder cannot pass silently.
func RunDir(t *testing.T, dir string, rs ...*rules.Rule) {
	t.Helper()
	archives, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives in %s: %v", dir, err)
	}
	for _, path := range archives {
		t.Run(filepath.Base(path), func(t *testing.T) { Run(t, path, rs...) })
	}
}

// Related returns the related locations of the finding of rule id that starts on line of
// path, as "path:line:col-line:col message" joined by "; "; the test fails when there is
// no such finding.
func Related(t testing.TB, fs []rules.Finding, path string, line int, id string) string {
	t.Helper()
	for _, f := range fs {
		if f.Range.Path != path || f.Range.Start.Line != line || f.Rule.ID != id {
			continue
		}
		var out []string
		for _, r := range f.Related {
			out = append(out, fmt.Sprintf("%s:%d:%d-%d:%d %s", r.Range.Path, r.Range.Start.Line, r.Range.Start.Column, r.Range.End.Line, r.Range.End.Column, r.Message))
		}
		return strings.Join(out, "; ")
	}
	t.Fatalf("no %s finding at %s:%d", id, path, line)
	return ""
}
