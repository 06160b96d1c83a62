package fixers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrChanged reports a file whose content changed between the scan and the write.
var ErrChanged = errors.New("file changed since it was read; not rewritten")

// ErrOutsideRoot reports a path (or symlink target) outside the scanned root.
var ErrOutsideRoot = errors.New("outside the scanned root; not rewritten")

// ErrHardLink reports a file with other hard links: the rewrite (a new file renamed over
// the name) would leave the other names with the unfixed content.
var ErrHardLink = errors.New("file has other hard links, which the rewrite would split from it; not rewritten (--force rewrites it anyway)")

// ErrReadOnly reports a file without write permission, which a rename would replace
// anyway: someone made it read-only on purpose.
var ErrReadOnly = errors.New("file is read-only; not rewritten (--force rewrites it anyway)")

// WriteOptions change what WriteFile refuses.
type WriteOptions struct {
	// Force rewrites a file with other hard links (splitting them) or without write
	// permission.
	Force bool
}

// WriteFile replaces the file at name with data as WriteFileContext does, with a
// background context and the default options.
func WriteFile(root, name string, orig, data []byte) error {
	return WriteFileContext(context.Background(), root, name, orig, data, WriteOptions{})
}

// WriteFileContext replaces the file at name with data, but only if it still holds orig
// (what the scan read), and only if it resolves to a file inside root. It writes a
// temporary file in the same directory and renames it over the original, so a crash
// never leaves a half written file. The new file keeps the original's permission bits,
// setuid, setgid and sticky bits, and its owner and group where the process may set
// them. A file with other hard links or without write permission is refused unless
// opts.Force. Right before the rename the original is checked again (the same file, the
// same size, time and content), which leaves an edit made in between as short a window
// as a rename allows. When ctx is done before the rename (SIGINT, SIGTERM), the temporary
// file is removed and the original left alone. A symlink inside root is followed and its
// target rewritten; the link itself stays.
func WriteFileContext(ctx context.Context, root, name string, orig, data []byte, opts WriteOptions) error {
	target, err := resolveInside(root, name)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if err := writable(name, info, opts); err != nil {
		return err
	}
	if err := unchanged(name, target, info, orig); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".iacscan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := fill(tmp, data, info); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: not rewritten: %w", name, err)
	}
	if err := unchanged(name, target, info, orig); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// writable refuses what a rewrite would silently damage, unless forced.
func writable(name string, info fs.FileInfo, opts WriteOptions) error {
	if opts.Force {
		return nil
	}
	if hardLinks(info) > 1 {
		return fmt.Errorf("%s: %w", name, ErrHardLink)
	}
	if info.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s: %w", name, ErrReadOnly)
	}
	return nil
}

// unchanged checks that target is still the file that was stat'ed as info and still
// holds orig.
func unchanged(name, target string, info fs.FileInfo, orig []byte) error {
	now, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !os.SameFile(info, now) || now.Size() != info.Size() || !now.ModTime().Equal(info.ModTime()) {
		return fmt.Errorf("%s: %w", name, ErrChanged)
	}
	current, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, orig) {
		return fmt.Errorf("%s: %w", name, ErrChanged)
	}
	return nil
}

// fill writes data to tmp with the owner and mode of the original, and closes it.
func fill(tmp *os.File, data []byte, info fs.FileInfo) error {
	_, err := tmp.Write(data)
	if err == nil {
		keepOwner(tmp, info) // before the mode: a change of owner clears setuid and setgid
		err = tmp.Chmod(info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return err
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
