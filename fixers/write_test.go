package fixers

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	orig := []byte("acl = \"public-read\"\n")
	fixed := []byte("acl = \"private\"\n")

	write := func(t *testing.T, name string, mode os.FileMode) string {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, orig, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("rewrites and keeps mode", func(t *testing.T) {
		p := write(t, "a.tf", 0o640)
		if err := WriteFile(root, p, orig, fixed); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		info, _ := os.Stat(p)
		if string(got) != string(fixed) || info.Mode().Perm() != 0o640 {
			t.Fatalf("content %q mode %v", got, info.Mode().Perm())
		}
		if left, _ := filepath.Glob(filepath.Join(root, ".a.tf.iacscan-*")); len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	})
	t.Run("refuses a file changed since it was read", func(t *testing.T) {
		p := write(t, "b.tf", 0o644)
		edited := []byte("acl = \"public-read\" # edited meanwhile\n")
		os.WriteFile(p, edited, 0o644)
		if err := WriteFile(root, p, orig, fixed); !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want ErrChanged", err)
		}
		if got, _ := os.ReadFile(p); string(got) != string(edited) {
			t.Fatalf("file touched: %q", got)
		}
	})
	t.Run("refuses a symlink out of the root", func(t *testing.T) {
		target := filepath.Join(outside, "c.tf")
		os.WriteFile(target, orig, 0o644)
		link := filepath.Join(root, "c.tf")
		if err := os.Symlink(target, link); err != nil {
			t.Skip("symlinks unsupported:", err)
		}
		if err := WriteFile(root, link, orig, fixed); !errors.Is(err, ErrOutsideRoot) {
			t.Fatalf("err = %v, want ErrOutsideRoot", err)
		}
		if got, _ := os.ReadFile(target); string(got) != string(orig) {
			t.Fatalf("target outside the root was rewritten: %q", got)
		}
	})
	t.Run("follows a symlink inside the root", func(t *testing.T) {
		target := write(t, "d.tf", 0o600)
		link := filepath.Join(root, "d-link.tf")
		if err := os.Symlink(target, link); err != nil {
			t.Skip("symlinks unsupported:", err)
		}
		if err := WriteFile(root, link, orig, fixed); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Fatal("the link was replaced by a file")
		}
		if got, _ := os.ReadFile(target); string(got) != string(fixed) {
			t.Fatalf("target = %q", got)
		}
	})
}
