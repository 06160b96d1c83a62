package scan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// gitIgnores are the gitignore patterns in force in a directory of a git repository: those
// of .git/info/exclude and of the .gitignore files of the repository's root and of every
// directory down to this one, lowest priority first, as git applies them. They are read
// as the walk enters each directory, so that scanning one file reads the few .gitignore
// files above it and never the whole repository's. Global excludes (core.excludesFile)
// are not read: what a scan sees must not depend on the user's home directory.
type gitIgnores struct {
	root     string   // the repository's root: patterns match paths relative to it
	rel      []string // the directory's path under root, by element
	patterns []gitignore.Pattern
	matcher  gitignore.Matcher // of patterns
}

// repoIgnores returns the patterns in force in dir (with dir's own .gitignore), or nil
// when dir is in no git repository or git ignores dir itself: a directory named on the
// command line is scanned whole.
func repoIgnores(dir string) *gitIgnores {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	root := repoRoot(abs)
	if root == "" {
		return nil
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return nil
	}
	ig := (&gitIgnores{root: root}).with(nil, readIgnoreFile(filepath.Join(root, ".git", "info", "exclude"), nil))
	ig = ig.enter(root, nil)
	if rel == "." {
		return ig
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i := range parts {
		if ig.ignored(parts[i], true) {
			return nil
		}
		ig = ig.enter(filepath.Join(root, filepath.Join(parts[:i+1]...)), parts[:i+1])
	}
	return ig
}

// repoRoot returns the nearest directory at or above abs that holds .git (a directory,
// or the file of a worktree or submodule), or "".
func repoRoot(abs string) string {
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// enter returns the patterns in force in the directory dir at rel under the root: these
// plus those of dir's .gitignore.
func (ig *gitIgnores) enter(dir string, rel []string) *gitIgnores {
	return ig.with(rel, readIgnoreFile(filepath.Join(dir, ".gitignore"), rel))
}

// with returns the patterns in force in the directory at rel: these and more, of higher
// priority.
func (ig *gitIgnores) with(rel []string, more []gitignore.Pattern) *gitIgnores {
	next := &gitIgnores{root: ig.root, rel: rel, patterns: append(slices.Clip(ig.patterns), more...)}
	next.matcher = gitignore.NewMatcher(next.patterns)
	return next
}

// enterChild returns the patterns in force in dir, the subdirectory name of this one, or
// nil outside a repository.
func (ig *gitIgnores) enterChild(dir, name string) *gitIgnores {
	if ig == nil {
		return nil
	}
	return ig.enter(dir, ig.child(name))
}

// nested returns the patterns in force in dir, which holds .git: another repository (a
// submodule, or a clone in a directory of clones), whose own patterns apply in it.
func (ig *gitIgnores) nested(dir string) *gitIgnores {
	if abs, err := filepath.Abs(dir); err == nil && ig != nil && abs == ig.root {
		return ig
	}
	return repoIgnores(dir)
}

// child returns the path elements of the entry name of this directory.
func (ig *gitIgnores) child(name string) []string {
	return append(slices.Clip(ig.rel), name)
}

// ignored reports whether git ignores the entry name of this directory.
func (ig *gitIgnores) ignored(name string, isDir bool) bool {
	return ig != nil && len(ig.patterns) > 0 && ig.matcher.Match(ig.child(name), isDir)
}

// readIgnoreFile reads the patterns of a gitignore file of the directory at domain (path
// elements under the root); a missing or unreadable file has none.
func readIgnoreFile(name string, domain []string) []gitignore.Pattern {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for line := range strings.Lines(string(src)) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// reportOnlyFiles returns the files ReportOnly names: discovery reads them even when git
// ignores them (a file force-added to the repository is committed all the same).
func reportOnlyFiles(paths []string, opts Options) []string {
	if opts.ReportOnly {
		return paths
	}
	return nil
}
