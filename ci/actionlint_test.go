package ci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// actionlint is run from the module proxy at a pinned version, so that nothing needs
// installing and every run lints with the same rules.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// TestActionlint lints every workflow of .github/workflows; the dogfood workflow's use of
// the action (uses: ./) is also checked against action.yml's inputs and outputs. The
// other cases prove that a broken workflow fails, so that a silently skipped lint cannot
// pass for a clean one.
func TestActionlint(t *testing.T) {
	skipIfShort(t)
	tests := []struct {
		name     string
		old, new string // a replacement in the workflow
		wantErr  string
	}{
		{name: "the workflow"},
		{name: "a misspelled input", old: "soft-fail:", new: "soft-fial:", wantErr: `input "soft-fial" is not defined in action "iacscan"`},
		{name: "an unknown step output", old: "steps.iacscan.outputs.findings", new: "steps.iacscan.outputs.finding", wantErr: `property "finding" is not defined`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, filepath.Join(repoRoot, ".github"), filepath.Join(dir, ".github"))
			action, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "action.yml"), action, 0o644); err != nil {
				t.Fatal(err)
			}
			workflow := filepath.Join(dir, ".github", "workflows", "iacscan.yml")
			if tc.old != "" {
				replaceInFile(t, workflow, tc.old, tc.new)
			}
			if r := run(t, dir, nil, "git", "init", "-q"); r.code != 0 {
				t.Fatalf("git init: %s", r.stderr)
			}
			r := run(t, dir, nil, "go", "run", actionlint, "-color=false") // every workflow
			switch {
			case tc.wantErr == "" && r.code != 0:
				t.Errorf("actionlint exited with %d:\n%s%s", r.code, r.stdout, r.stderr)
			case tc.wantErr != "" && (r.code != 1 || !strings.Contains(r.stdout, tc.wantErr)):
				t.Errorf("actionlint exited with %d, want 1 and %q:\n%s%s", r.code, tc.wantErr, r.stdout, r.stderr)
			}
		})
	}
}

// replaceInFile replaces the one occurrence of old in the file at path.
func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), old); n != 1 {
		t.Fatalf("%q occurs %d times in %s, want once", old, n, path)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
