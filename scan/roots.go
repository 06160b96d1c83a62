package scan

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
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
func evaluationFS(paths []string, evalRoot string) fs.FS {
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
		roots = append(roots, scanRoot{prefix: prefix, fsys: root.FS()}) // open for the process's life: fixes re-run evaluation
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
	prefix string // the root's path, as inputs under it are named
	fsys   fs.FS
}

// rootFS serves the files under its roots by their input paths; any other name is
// refused with fs.ErrPermission.
type rootFS []scanRoot

// locate returns the root holding name and name relative to it.
func (r rootFS) locate(op, name string) (fs.FS, string, error) {
	if fs.ValidPath(name) {
		for _, sr := range r {
			if sr.prefix == "." {
				return sr.fsys, name, nil
			}
			if name == sr.prefix {
				return sr.fsys, ".", nil
			}
			if rest, ok := strings.CutPrefix(name, sr.prefix+"/"); ok {
				return sr.fsys, path.Clean(rest), nil
			}
		}
	}
	return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrPermission}
}

func (r rootFS) Open(name string) (fs.File, error) {
	fsys, rel, err := r.locate("open", name)
	if err != nil {
		return nil, err
	}
	return fsys.Open(rel)
}

func (r rootFS) ReadFile(name string) ([]byte, error) {
	fsys, rel, err := r.locate("read", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, rel)
}

func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	fsys, rel, err := r.locate("readdir", name)
	if err != nil {
		return nil, err
	}
	return fs.ReadDir(fsys, rel)
}

func (r rootFS) Stat(name string) (fs.FileInfo, error) {
	fsys, rel, err := r.locate("stat", name)
	if err != nil {
		return nil, err
	}
	return fs.Stat(fsys, rel)
}
