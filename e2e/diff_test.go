package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffApplies runs --diff on a copy of examples/: its stdout must be one patch that
// `git apply --check` and `patch -p1 --dry-run` accept as a whole, and applying it must
// give exactly the files --fix writes on another copy. The suggestions are on stderr.
func TestDiffApplies(t *testing.T) {
	diffDir, fixDir := t.TempDir(), t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "examples"), diffDir)
	copyTree(t, filepath.Join(repoRoot, "examples"), fixDir)

	code, patch, stderr := iacscanAt(t, diffDir, "--diff", ".")
	if code != 1 {
		t.Fatalf("--diff: exit code %d, want 1 (findings); stderr:\n%s", code, stderr)
	}
	if !strings.HasPrefix(patch, "--- a/") || strings.Contains(patch, "# suggestion") {
		t.Fatalf("stdout is not one patch of the automatic fixes:\n%s", patch)
	}
	if !strings.Contains(stderr, "iacscan: suggestions, not part of the patch") || !strings.Contains(stderr, "# suggestion (not applied by --fix)") {
		t.Errorf("the suggestions of examples/ are not on stderr:\n%s", stderr)
	}
	for _, check := range [][]string{
		{"git", "apply", "--check", "-"},
		{"patch", "-p1", "--dry-run", "--batch", "--silent"},
	} {
		if _, err := exec.LookPath(check[0]); err != nil && check[0] == "patch" {
			t.Logf("patch is not installed: only git apply checks the patch")
			continue
		}
		cmd := exec.Command(check[0], check[1:]...)
		cmd.Dir, cmd.Stdin = diffDir, strings.NewReader(patch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(check, " "), err, out)
		}
	}
	apply := exec.Command("git", "apply", "-")
	apply.Dir, apply.Stdin = diffDir, strings.NewReader(patch)
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	if code, _, stderr := iacscanAt(t, fixDir, "-q", "--fix", "."); code > 1 {
		t.Fatalf("--fix: exit code %d; stderr:\n%s", code, stderr)
	}
	patched, fixed := readTree(t, diffDir), readTree(t, fixDir)
	for name, want := range fixed {
		if got, ok := patched[name]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s after git apply differs from what --fix writes:\n--- applied:\n%s\n--- fixed:\n%s", name, got, want)
		}
	}
}

// copyTree copies the regular files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	for name, data := range readTree(t, src) {
		path := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns the regular files under dir by slash-separated relative name.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
