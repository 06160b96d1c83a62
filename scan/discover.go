package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"syscall"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/source"
)

// Discover walks paths (into subdirectories when recursive) and returns the inputs found,
// sorted by path, with the default budgets. See DiscoverWith.
func Discover(ctx context.Context, paths []string, recursive bool) ([]parsers.Input, source.Diagnostics, error) {
	return DiscoverWith(ctx, paths, DiscoverOptions{Recursive: recursive, MaxBytes: budget.Default().FileBytes})
}

// DiscoverWithin is DiscoverWith with the default options but recursive and maxBytes.
func DiscoverWithin(ctx context.Context, paths []string, recursive bool, maxBytes int64) ([]parsers.Input, source.Diagnostics, error) {
	return DiscoverWith(ctx, paths, DiscoverOptions{Recursive: recursive, MaxBytes: maxBytes})
}

// DiscoverOptions say what a discovery walks and reads.
type DiscoverOptions struct {
	// Recursive walks into subdirectories.
	Recursive bool
	// MaxBytes is the largest file read (the file-bytes budget).
	MaxBytes int64
	// NoGitignore also reads the files git ignores.
	NoGitignore bool
	// Files are inputs to read even when git ignores them: the files --pre-commit names,
	// whose directories are the paths walked.
	Files []string
	// Progress, when set, counts the inputs found.
	Progress *Progress
}

// DiscoverWith walks paths and returns the inputs found, sorted by path. Directories
// iacscan never scans (.git, .terraform, node_modules) are skipped, and so are files that
// are no input, silently when found in a directory and with a warning when named
// explicitly.
//
// In a git repository, what git ignores is skipped unless NoGitignore: the patterns of
// .git/info/exclude and of the .gitignore files of the repository's root and of each
// directory walked, as git applies them. A path named in paths (or Files) is read even
// when git ignores it, and so is everything in a directory named so.
//
// Only regular files are read: a device, FIFO or socket gives an error diagnostic, and so
// does a file larger than MaxBytes. A path named on the command line is followed when it
// is a symbolic link; inside it, symbolic links are not followed: what one points to
// inside the scanned tree is scanned under its own path, once, and what it points to
// outside is out of scope; a link with an input's name or to a directory is reported with
// a warning. File paths are slash-separated and relative to the working directory when
// inside it.
func DiscoverWith(ctx context.Context, paths []string, o DiscoverOptions) ([]parsers.Input, source.Diagnostics, error) {
	d := &discovery{maxBytes: o.MaxBytes, seen: map[string]bool{}, progress: o.Progress, gitignore: !o.NoGitignore}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("scan: %w", err)
		}
		if !info.IsDir() {
			d.add(p, true)
			continue
		}
		var ig *gitIgnores
		if d.gitignore {
			ig = repoIgnores(p)
		}
		if err := d.walk(ctx, p, ig, o.Recursive); err != nil {
			return nil, nil, fmt.Errorf("scan: %w", err)
		}
	}
	for _, f := range o.Files {
		if info, err := os.Lstat(f); err == nil && info.Mode().IsRegular() && detect.Candidate(filepath.Base(f)) {
			d.add(f, false) // once: add skips what the walk read
		}
	}
	sort.Slice(d.inputs, func(i, j int) bool { return d.inputs[i].File.Path < d.inputs[j].File.Path })
	return d.inputs, d.diags, nil
}

type discovery struct {
	maxBytes int64
	inputs   []parsers.Input
	diags    source.Diagnostics
	seen     map[string]bool
	progress *Progress
	// gitignore is whether git's ignore patterns apply (not NoGitignore).
	gitignore bool
}

// walk adds the inputs of the directory dir, in which ig are the gitignore patterns in
// force (nil: none).
func (d *discovery) walk(ctx context.Context, dir string, ig *gitIgnores, recursive bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		d.diags = append(d.diags, fileError(displayPath(dir), err))
		return nil
	}
	if d.gitignore && slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == ".git" }) {
		ig = ig.nested(dir)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Only what the walk would read is matched against the ignore patterns: most
		// entries of a repository are no input and cost one Candidate check.
		name, base := filepath.Join(dir, e.Name()), e.Name()
		switch typ := e.Type(); {
		case typ.IsDir():
			if recursive && !detect.SkipDir(base) && !ig.ignored(base, true) {
				if err := d.walk(ctx, name, ig.enterChild(name, base), recursive); err != nil {
					return err
				}
			}
		case typ&fs.ModeSymlink != 0:
			if !ig.ignored(base, false) { // git stores a link, never what it points to
				d.symlink(name, base)
			}
		case !detect.Candidate(base) || ig.ignored(base, false):
		case typ.IsRegular():
			d.add(name, false)
		default:
			d.diags = append(d.diags, fileError(displayPath(name), fmt.Errorf("%s, not a regular file; not read", kindOf(typ))))
		}
	}
	return nil
}

// symlink reports a symbolic link met in a walk, which is not followed, when it names an
// input or leads to a directory: the user may have expected it scanned.
func (d *discovery) symlink(name, base string) {
	target, _ := os.Readlink(name)
	info, err := os.Stat(name)
	if !detect.Candidate(base) && (err != nil || !info.IsDir()) {
		return
	}
	d.diags = append(d.diags, source.Diagnostic{Severity: source.Warning,
		Summary: fmt.Sprintf("%s: symbolic link to %s not followed; what it points to is scanned under its own path when inside the scanned directory", displayPath(name), target)})
}

// kindOf names a file type that is not read.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// add reads the file at name and adds it as an input when it is one.
func (d *discovery) add(name string, explicit bool) {
	display := displayPath(name)
	if d.seen[display] {
		return
	}
	d.seen[display] = true
	src, err := readRegular(name, d.maxBytes)
	if err != nil {
		d.diags = append(d.diags, fileError(display, err))
		return
	}
	format := detect.Classify(name, src)
	if format == graph.FormatNone {
		if explicit {
			d.diags = append(d.diags, source.Diagnostic{Severity: source.Warning, Summary: display + ": not a Terraform, CloudFormation or serverless file; skipped"})
		}
		return
	}
	d.inputs = append(d.inputs, parsers.Input{File: source.NewFile(display, src), Format: format})
	if d.progress != nil {
		d.progress.Found.Add(1)
	}
}

// fileError is the error diagnostic of a file that could not be read, at its start
// (which names it).
func fileError(display string, err error) source.Diagnostic {
	at := source.Pos{Line: 1, Column: 1}
	return source.Diagnostic{Severity: source.Error, Summary: err.Error(),
		Subject: &source.Range{Path: display, Start: at, End: at}}
}

// errTooLarge is the error of a file over the file-bytes budget.
var errTooLarge = errors.New("larger than the file-bytes budget")

// readRegular reads a regular file of at most maxBytes. It opens without blocking, so
// that a FIFO put where a file was cannot hang the scan, and checks the type of what it
// opened, not of what the name pointed to a moment before.
func readRegular(name string, maxBytes int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s, not a regular file; not read", kindOf(info.Mode().Type()))
	}
	if info.Size() > maxBytes {
		return nil, fmt.Errorf("%w (%d bytes, budget %d): not scanned; raise budgets.%s in .iacscan.yaml to scan it", errTooLarge, info.Size(), maxBytes, budget.FileBytes)
	}
	src, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err == nil && int64(len(src)) > maxBytes { // it grew while being read
		return nil, fmt.Errorf("%w (more than %d bytes): not scanned; raise budgets.%s in .iacscan.yaml to scan it", errTooLarge, maxBytes, budget.FileBytes)
	}
	return src, err
}

// displayPath makes a path slash-separated and relative to the working directory when it
// lies inside it, so that reports and SARIF carry repository-relative paths.
func displayPath(name string) string {
	if filepath.IsAbs(name) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, name); err == nil && filepath.IsLocal(rel) {
				name = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(name))
}
