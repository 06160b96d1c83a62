package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// existsFunc is fileexists(): whether a regular file is at the path (a directory is an
// error, as in Terraform).
func (r *fileReader) existsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := r.resolve(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			fi, err := fs.Stat(r.root, p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, err
			case !fi.Mode().IsRegular():
				return cty.NilVal, fmt.Errorf("%s is not a regular file", args[0].AsString())
			}
			return cty.True, nil
		},
	})
}

// setFunc is fileset(): the regular files under path that pattern matches, relative to
// path, found by doublestar, the glob module Terraform uses, over the scan root.
func (r *fileReader) setFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			dir, pattern := args[0].AsString(), args[1].AsString()
			base, err := r.resolve(dir)
			if err != nil {
				return cty.NilVal, err
			}
			p := path.Join(base, pattern) // cleaned, as Terraform's filepath.Join cleans it
			if !fs.ValidPath(p) {
				return cty.NilVal, fmt.Errorf("pattern %s is outside the scanned directory", pattern)
			}
			if readsDifferently(p) {
				return cty.NilVal, fmt.Errorf("pattern %s may match other files in Terraform", pattern)
			}
			// Unreadable directories are skipped, as by Terraform; running out of entries
			// is not, so the budget is checked after.
			fsys := &limitedFS{FS: r.root, left: maxGlobEntries}
			matches, err := doublestar.Glob(fsys, p)
			if err == nil && fsys.left < 0 {
				err = fmt.Errorf("fileset() would read more than %d directory entries", maxGlobEntries)
			}
			if err != nil {
				return cty.NilVal, err
			}
			return regularFiles(r.root, base, matches)
		},
	})
}

// readsDifferently reports whether doublestar v1, which Terraform's fileset still uses,
// reads pattern otherwise than v4 does (checked on both): a backslash escape, a "[!"
// class (v1 has only "[^"), or a star that touches or sits in alternatives ("*{,.json}",
// "{**/,}*.txt"). Such a call stays Unknown rather than guessed.
func readsDifferently(p string) bool {
	if strings.ContainsAny(p, `\`) || strings.Contains(p, "[!") || strings.Contains(p, "*{") || strings.Contains(p, "}*") {
		return true
	}
	depth := 0
	for i := range len(p) {
		switch p[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '*':
			if depth > 0 && strings.HasPrefix(p[i:], "**") {
				return true
			}
		}
	}
	return false
}

// maxGlobEntries bounds the directory entries one fileset() call reads: "**" over a large
// tree (or a loop of symbolic links) would otherwise read it all.
const maxGlobEntries = 1 << 14

// limitedFS reads no more directories once more than left entries have been read
// through it.
type limitedFS struct {
	fs.FS
	left int
}

var errTooManyEntries = errors.New("too many directory entries")

func (c *limitedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if c.left < 0 {
		return nil, errTooManyEntries
	}
	entries, err := fs.ReadDir(c.FS, name)
	if c.left -= len(entries); c.left < 0 {
		return nil, errTooManyEntries
	}
	return entries, err
}

// regularFiles returns the matches that are regular files, relative to base; a broken
// symbolic link is none.
func regularFiles(root fs.FS, base string, matches []string) (cty.Value, error) {
	var out []cty.Value
	for _, p := range matches {
		fi, err := fs.Stat(root, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return cty.NilVal, err
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		rel, err := filepath.Rel(filepath.FromSlash(base), filepath.FromSlash(p))
		if err != nil {
			return cty.NilVal, err
		}
		out = append(out, cty.StringVal(filepath.ToSlash(rel)))
	}
	if len(out) == 0 {
		return cty.SetValEmpty(cty.String), nil
	}
	return cty.SetVal(out), nil
}
