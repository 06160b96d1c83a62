//go:build unix

package fixers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileUnusual covers the files a rewrite would silently damage: special mode
// bits, other hard links, read-only files, and a cancelled run.
func TestWriteFileUnusual(t *testing.T) {
	root := t.TempDir()
	orig := []byte("acl = \"public-read\"\n")
	fixed := []byte("acl = \"private\"\n")
	write := func(t *testing.T, name string, mode os.FileMode) string {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	content := func(p string) string { b, _ := os.ReadFile(p); return string(b) }

	t.Run("keeps setgid and sticky bits", func(t *testing.T) {
		p := write(t, "s.tf", 0o640|os.ModeSetgid|os.ModeSticky)
		before, _ := os.Stat(p)
		if err := WriteFile(root, p, orig, fixed); err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(p)
		if content(p) != string(fixed) || info.Mode() != before.Mode() {
			t.Fatalf("content %q mode %v, want mode %v", content(p), info.Mode(), before.Mode())
		}
	})
	t.Run("refuses to split a hard link unless forced", func(t *testing.T) {
		p := write(t, "h.tf", 0o644)
		other := filepath.Join(root, "h-other.tf")
		if err := os.Link(p, other); err != nil {
			t.Skip("no hard links:", err)
		}
		if err := WriteFile(root, p, orig, fixed); !errors.Is(err, ErrHardLink) {
			t.Fatalf("err = %v, want ErrHardLink", err)
		}
		if content(p) != string(orig) {
			t.Fatal("file rewritten")
		}
		if err := WriteFileContext(t.Context(), root, p, orig, fixed, WriteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		if content(p) != string(fixed) || content(other) != string(orig) {
			t.Fatalf("forced: %q and the other name %q", content(p), content(other))
		}
	})
	t.Run("refuses a read-only file unless forced", func(t *testing.T) {
		p := write(t, "r.tf", 0o444)
		if err := WriteFile(root, p, orig, fixed); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("err = %v, want ErrReadOnly", err)
		}
		if err := WriteFileContext(t.Context(), root, p, orig, fixed, WriteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(p); content(p) != string(fixed) || info.Mode().Perm() != 0o444 {
			t.Fatalf("forced: %q, mode %v", content(p), info.Mode())
		}
	})
	t.Run("a cancelled run leaves the file and no temporary", func(t *testing.T) {
		p := write(t, "c.tf", 0o644)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := WriteFileContext(ctx, root, p, orig, fixed, WriteOptions{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if left, _ := filepath.Glob(filepath.Join(root, ".c.tf.iacscan-*")); content(p) != string(orig) || len(left) != 0 {
			t.Fatalf("content %q, temporaries %v", content(p), left)
		}
	})
	t.Run("an edit after the first check is not overwritten", func(t *testing.T) {
		p := write(t, "e.tf", 0o644)
		info, _ := os.Stat(p)
		edited := []byte("acl = \"public-read\" # edited\n")
		if err := os.WriteFile(p, edited, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := unchanged(p, p, info, orig); !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want ErrChanged", err)
		}
	})
}
