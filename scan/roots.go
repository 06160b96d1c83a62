package scan

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// evaluationFS returns the tree that evaluation reads files from (Terraform's file(),
// templatefile(), fileset(), fileexists(), modules not among the inputs, serverless
// ${file()}): the scanned roots and nothing else, whatever the working directory. Names
// are the slash-separated paths the inputs are known by (relative to the working
// directory); each root is an os.Root, so that a symbolic link inside it cannot lead out
// either. A root is evalRoot (the configuration's directory) when it holds a scanned
// path, else the Git repository that holds it (the checkout a gate scans: a module two
// directories up is still read), else the scanned directory or a scanned file's
// directory. A scanned path outside the working directory has no valid name in the
// tree, and evaluation reads nothing there.
func evaluationFS(paths []string, evalRoot string, maxBytes int64) fs.FS {
	var roots rootFS
	for _, p := range paths {
		dir := p
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			dir = filepath.Dir(p)
		}
		candidates := []string{dir}
		if repo := repository(dir); repo != "" {
			candidates = append([]string{repo}, candidates...)
		}
		if evalRoot != "" && holds(evalRoot, dir) {
			candidates = append([]string{evalRoot}, candidates...)
		}
		// The widest root that has a name in the tree: one above the working directory
		// has none (inputs are named relative to it), so the argument's directory serves.
		prefix := ""
		for _, c := range candidates {
			if name := displayPath(c); fs.ValidPath(name) {
				dir, prefix = c, name
				break
			}
		}
		if prefix == "" {
			continue
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			continue
		}
		roots = append(roots, scanRoot{prefix: prefix, root: root, maxBytes: maxBytes}) // open for the process's life: fixes re-run evaluation
	}
	return roots
}

// repository returns the nearest directory at or above dir that holds .git, or "".
func repository(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// holds reports whether the directory dir lies in (or is) root.
func holds(root, dir string) bool {
	r, err1 := filepath.Abs(root)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(r, d)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

type scanRoot struct {
	prefix   string // the root's path, as inputs under it are named
	root     *os.Root
	maxBytes int64 // the file-bytes budget
}

// rootFS serves the files under its roots by their input paths; any other name is
// refused with fs.ErrPermission. Only directories and regular files within the
// file-bytes budget are opened, without blocking: a FIFO a configuration reads through
// file() must not hang the scan, nor /dev/zero-like devices fill memory.
type rootFS []scanRoot

// locate returns the root holding name and name relative to it.
func (r rootFS) locate(op, name string) (scanRoot, string, error) {
	if fs.ValidPath(name) {
		for _, sr := range r {
			if sr.prefix == "." {
				return sr, name, nil
			}
			if name == sr.prefix {
				return sr, ".", nil
			}
			if rest, ok := strings.CutPrefix(name, sr.prefix+"/"); ok {
				return sr, path.Clean(rest), nil
			}
		}
	}
	return scanRoot{}, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrPermission}
}

func (r rootFS) Open(name string) (fs.File, error) {
	sr, rel, err := r.locate("open", name)
	if err != nil {
		return nil, err
	}
	f, err := sr.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
	case info.IsDir():
		return f, nil
	case !info.Mode().IsRegular():
		err = fmt.Errorf("%s, not a regular file", kindOf(info.Mode().Type()))
	case info.Size() > sr.maxBytes:
		err = fmt.Errorf("%w (%d bytes)", errTooLarge, info.Size())
	default:
		return f, nil
	}
	f.Close()
	return nil, &fs.PathError{Op: "open", Path: name, Err: err}
}

func (r rootFS) ReadFile(name string) ([]byte, error) {
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sr, _, _ := r.locate("read", name)
	b, err := io.ReadAll(io.LimitReader(f, sr.maxBytes+1))
	if err == nil && int64(len(b)) > sr.maxBytes {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errTooLarge}
	}
	return b, err
}

func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	sr, rel, err := r.locate("readdir", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadDir(sr.root.FS(), rel)
}

func (r rootFS) Stat(name string) (fs.FileInfo, error) {
	sr, rel, err := r.locate("stat", name)
	if err != nil {
		return nil, err
	}
	return fs.Stat(sr.root.FS(), rel)
}
