//go:build unix

package scan

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDiscoverReadsOnlyRegularFiles names and walks a FIFO, a device, an oversized file,
// a symlinked root and symbolic links inside it, and asserts that each special file is an
// error diagnostic instead of a read (a FIFO would block forever, /dev/zero never end),
// that the symlinked root is walked, and that the links inside are reported, not
// followed.
func TestDiscoverReadsOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(repo, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	tf := "resource \"aws_s3_bucket\" \"b\" {}\n"
	for name, content := range map[string]string{"main.tf": tf, "sub/other.tf": tf, "big.tf": tf + strings.Repeat("#", 200)} {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(repo, "pipe.tf"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for link, target := range map[string]string{"link": repo, "repo/again": repo, "repo/alias.tf": filepath.Join(repo, "main.tf")} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	done := make(chan struct{})
	var (
		paths []string
		diags []string
	)
	go func() {
		defer close(done)
		inputs, ds, err := DiscoverWithin(t.Context(), []string{"link", "repo/pipe.tf", "/dev/zero"}, true, 100)
		if err != nil {
			t.Error(err)
			return
		}
		for _, in := range inputs {
			paths = append(paths, in.File.Path)
		}
		for _, d := range ds {
			at := ""
			if d.Subject != nil {
				at = d.Subject.Path + ": "
			}
			diags = append(diags, d.Severity.String()+" "+at+d.Summary)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a hang is the bug; the test must not hang with it
		t.Fatal("discovery blocked on a special file")
	}
	if got, want := strings.Join(paths, " "), "link/main.tf link/sub/other.tf"; got != want {
		t.Errorf("inputs %s, want %s", got, want)
	}
	want := []string{
		"warning link/again: symbolic link to " + repo + " not followed; what it points to is scanned under its own path when inside the scanned directory",
		"warning link/alias.tf: symbolic link to " + filepath.Join(repo, "main.tf") + " not followed; what it points to is scanned under its own path when inside the scanned directory",
		"error link/big.tf: larger than the file-bytes budget (232 bytes, budget 100): not scanned; raise budgets.file-bytes in .iacscan.yaml to scan it",
		"error link/pipe.tf: a named pipe (FIFO), not a regular file; not read",
		"error repo/pipe.tf: a named pipe (FIFO), not a regular file; not read",
		"error /dev/zero: a character device, not a regular file; not read",
	}
	if strings.Join(diags, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(want, "\n"))
	}
}
