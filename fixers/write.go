package fixers

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrChanged reports a file whose content changed between the scan and the write.
var ErrChanged = errors.New("file changed since it was read; not rewritten")

// ErrOutsideRoot reports a path (or symlink target) outside the scanned root.
var ErrOutsideRoot = errors.New("outside the scanned root; not rewritten")

// WriteFile replaces the file at name with data, but only if it still holds orig (what the
// scan read), and only if it resolves to a file inside root. It writes a temporary file in
// the same directory and renames it over the original, so a crash never leaves a half
// written file, and it keeps the original's permission bits. A symlink inside root is
// followed and its target rewritten; the link itself stays.
func WriteFile(root, name string, orig, data []byte) error {
	target, err := resolveInside(root, name)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	current, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, orig) {
		return fmt.Errorf("%s: %w", name, ErrChanged)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".iacscan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// resolveInside follows symlinks in name and checks that the result lies inside root.
func resolveInside(root, name string) (string, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	realRoot, err = filepath.Abs(realRoot)
	if err != nil {
		return "", err
	}
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return "", err
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(realRoot, target)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%s: %w", name, ErrOutsideRoot)
	}
	return target, nil
}
