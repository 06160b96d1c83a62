package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

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
// path, with the glob syntax of the doublestar module Terraform uses.
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
			patterns, err := expandBraces(path.Join(base, pattern))
			if err != nil {
				return cty.NilVal, err
			}
			g := &globber{root: r.root, found: map[string]bool{}}
			for _, p := range patterns {
				if !fs.ValidPath(p) || strings.Contains(p, `\/`) {
					return cty.NilVal, fmt.Errorf("pattern %s is outside the scanned directory", pattern)
				}
				if err := g.glob(".", strings.Split(p, "/")); err != nil {
					return cty.NilVal, err
				}
			}
			return g.files(base)
		},
	})
}

// maxGlobEntries bounds the directory entries one fileset() call reads: "**" over a large
// tree (or a loop of symbolic links) would otherwise read it all.
const maxGlobEntries = 1 << 14

// globber walks the directories a pattern's components match, as doublestar's Glob does:
// "**" is any number of directories, each other component is matched against the
// entries of a directory.
type globber struct {
	root  fs.FS
	found map[string]bool // matched paths, files or not
	read  int             // directory entries read
}

// glob adds to g.found the paths under dir that comps match.
func (g *globber) glob(dir string, comps []string) error {
	for len(comps) > 1 && !strings.ContainsAny(comps[0], `*?[{\`) {
		dir, comps = path.Join(dir, comps[0]), comps[1:] // a literal directory
	}
	fi, err := fs.Stat(g.root, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil || !fi.IsDir() {
		return err
	}
	entries, err := fs.ReadDir(g.root, dir)
	if err != nil {
		return err
	}
	if g.read += len(entries); g.read > maxGlobEntries {
		return fmt.Errorf("fileset() would read more than %d directory entries", maxGlobEntries)
	}
	last := len(comps) == 1
	if comps[0] == "**" {
		if err := g.descend(dir, comps, entries); err != nil || last {
			return err
		}
		comps, last = comps[1:], len(comps) == 2
	}
	for _, e := range entries {
		ok, err := path.Match(comps[0], e.Name())
		switch {
		case err != nil:
			return err
		case ok && last:
			g.found[path.Join(dir, e.Name())] = true
		case ok:
			if err := g.glob(path.Join(dir, e.Name()), comps[1:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// descend matches "**" (comps[0]) against one or more directories: it globs comps in
// each subdirectory, following symbolic links, and when "**" is the last component
// takes every entry.
func (g *globber) descend(dir string, comps []string, entries []fs.DirEntry) error {
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := fs.Stat(g.root, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue // a broken link
			}
			if err != nil {
				return err
			}
			isDir = fi.IsDir()
		}
		if len(comps) == 1 {
			g.found[p] = true
		}
		if isDir {
			if err := g.glob(p, comps); err != nil {
				return err
			}
		}
	}
	return nil
}

// files returns the regular files found, relative to base.
func (g *globber) files(base string) (cty.Value, error) {
	var out []cty.Value
	for p := range g.found {
		fi, err := fs.Stat(g.root, p)
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

// maxBraceExpansions bounds the patterns {a,b}{c,d}… expands to.
const maxBraceExpansions = 64

// expandBraces expands the alternatives of a pattern, {a,b}/x to a/x and b/x, as
// doublestar matches them. Alternatives that nest, hold a star or a class, or touch a
// star are refused: doublestar does not read their expansion as a pattern of its own
// ("{**,x}" and "*{,*}" are not "**").
func expandBraces(pattern string) ([]string, error) {
	open := braceAt(pattern, 0)
	if open < 0 {
		return []string{pattern}, nil
	}
	end := braceAt(pattern, open+1)
	if end < 0 || pattern[end] != '}' || strings.ContainsAny(pattern[open:end], `*[\`) ||
		strings.HasSuffix(pattern[:open], "*") || strings.HasPrefix(pattern[end+1:], "*") {
		return nil, fmt.Errorf("unsupported alternatives in pattern %s", pattern)
	}
	var out []string
	for alt := range strings.SplitSeq(pattern[open+1:end], ",") {
		rest, err := expandBraces(alt + pattern[end+1:])
		if err != nil {
			return nil, err
		}
		for _, r := range rest {
			out = append(out, pattern[:open]+r)
		}
		if len(out) > maxBraceExpansions {
			return nil, fmt.Errorf("pattern %s has too many alternatives", pattern)
		}
	}
	return out, nil
}

// braceAt returns the index of the first unescaped brace in s from i, -1 when none.
func braceAt(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{', '}':
			return i
		}
	}
	return -1
}
