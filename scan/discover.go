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
	"sync/atomic"
	"syscall"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/workers"
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
	inputs, _, diags, err := discover(ctx, paths, o, 0)
	return inputs, diags, err
}

// discover is DiscoverWith, letting go of content once the inputs read total releaseAt bytes
// (0: never): the content of each input read after that is dropped as soon as it is
// classified, and what a partitioned scan needs of it is returned in released, by path,
// so that a large tree is never held in memory whole (partition.go reads each unit's
// inputs again when it analyses it).
func discover(ctx context.Context, paths []string, o DiscoverOptions, releaseAt int64) ([]parsers.Input, map[string]held, source.Diagnostics, error) {
	wd, _ := os.Getwd()
	d := &discovery{maxBytes: o.MaxBytes, seen: map[string]bool{}, progress: o.Progress, gitignore: !o.NoGitignore, wd: wd}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("scan: %w", err)
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
			return nil, nil, nil, fmt.Errorf("scan: %w", err)
		}
	}
	for _, f := range o.Files {
		if info, err := os.Lstat(f); err == nil && info.Mode().IsRegular() && detect.Candidate(filepath.Base(f)) {
			d.add(f, false) // once: add skips what the walk read
		}
	}
	if err := d.readAll(ctx, releaseAt); err != nil {
		return nil, nil, nil, fmt.Errorf("scan: %w", err)
	}
	var (
		inputs   []parsers.Input
		diags    source.Diagnostics
		released map[string]held
	)
	for _, e := range d.events {
		if e.diag != nil {
			diags = append(diags, *e.diag)
		}
		if e.input.File == nil {
			continue
		}
		inputs = append(inputs, e.input)
		if e.released {
			if released == nil {
				released = map[string]held{}
			}
			released[e.input.File.Path] = e.held
		}
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].File.Path < inputs[j].File.Path })
	return inputs, released, diags, nil
}

// discovery is a walk in progress: what it met, in the order met, so that its diagnostics
// come in that order whatever order the files are read in.
type discovery struct {
	maxBytes int64
	events   []event
	seen     map[string]bool
	progress *Progress
	// gitignore is whether git's ignore patterns apply (not NoGitignore).
	gitignore bool
	// wd is the working directory, looked up once: os.Getwd stats two directories, and
	// a walk of absolute paths asked it for every file.
	wd string
}

// event is a diagnostic of the walk, or a file to read (name set) and what reading it
// gave: an input, a diagnostic, or neither (a file that is no input).
type event struct {
	name, display string
	explicit      bool // named on the command line: say why it is no input
	diag          *source.Diagnostic
	input         parsers.Input
	// released marks an input whose content was let go, and held is what is kept of it.
	released bool
	held     held
}

func (d *discovery) diag(diag source.Diagnostic) { d.events = append(d.events, event{diag: &diag}) }

// walk adds the inputs of the directory dir, in which ig are the gitignore patterns in
// force (nil: none).
func (d *discovery) walk(ctx context.Context, dir string, ig *gitIgnores, recursive bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		d.diag(fileError(displayPathIn(d.wd, dir), err))
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
			d.diag(fileError(displayPathIn(d.wd, name), fmt.Errorf("%s, not a regular file; not read", kindOf(typ))))
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
	d.diag(source.Diagnostic{Severity: source.Warning,
		Summary: fmt.Sprintf("%s: symbolic link to %s not followed; what it points to is scanned under its own path when inside the scanned directory", displayPathIn(d.wd, name), target)})
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

// add adds the file at name to the files to read, once.
func (d *discovery) add(name string, explicit bool) {
	display := displayPathIn(d.wd, name)
	if d.seen[display] {
		return
	}
	d.seen[display] = true
	d.events = append(d.events, event{name: name, display: display, explicit: explicit})
}

// readAll reads the files the walk found, on every core, and lets go of the content of
// those read once the inputs read total releaseAt bytes (0: never).
func (d *discovery) readAll(ctx context.Context, releaseAt int64) error {
	var files []*event
	for i := range d.events {
		if d.events[i].name != "" {
			files = append(files, &d.events[i])
		}
	}
	var total atomic.Int64
	workers.Each(len(files), func(i int) {
		if ctx.Err() == nil { // a cancelled scan reads no more
			d.read(files[i], releaseAt, &total)
		}
	})
	return ctx.Err()
}

// read reads the file of e and classifies it: e becomes an input, a diagnostic, or
// nothing. Once total, the bytes of the inputs read, reaches releaseAt (when not 0), the
// input's content is let go.
func (d *discovery) read(e *event, releaseAt int64, total *atomic.Int64) {
	src, err := readRegular(e.name, d.maxBytes)
	if err != nil {
		diag := fileError(e.display, err)
		e.diag = &diag
		return
	}
	format := detect.Classify(e.name, src)
	if format == graph.FormatNone {
		if e.explicit {
			e.diag = &source.Diagnostic{Severity: source.Warning, Summary: e.display + ": not a Terraform, CloudFormation or serverless file; skipped"}
		}
		return
	}
	e.input = parsers.Input{File: source.NewFile(e.display, src), Format: format}
	if releaseAt > 0 && total.Add(int64(len(src))) >= releaseAt {
		e.released, e.held = true, release(&e.input, shapeOf(e.input))
	}
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
	src, err := readUpTo(f, info.Size(), maxBytes)
	if err == nil && int64(len(src)) > maxBytes { // it grew while being read
		return nil, fmt.Errorf("%w (more than %d bytes): not scanned; raise budgets.%s in .iacscan.yaml to scan it", errTooLarge, maxBytes, budget.FileBytes)
	}
	return src, err
}

// readUpTo reads r, of size bytes when stat'ed, until its end or until it has read more
// than maxBytes, into a buffer of that size: io.ReadAll grows its buffer by doubling,
// leaving a third of it unused on average, and a scan holds the content of many files.
func readUpTo(r io.Reader, size, maxBytes int64) ([]byte, error) {
	src := make([]byte, 0, min(size, maxBytes)+1) // +1: the read that finds the end
	for int64(len(src)) <= maxBytes {
		if len(src) == cap(src) { // it grew since stat'ed
			src = append(src, 0)[:len(src)]
		}
		n, err := r.Read(src[len(src):cap(src)])
		src = src[:len(src)+n]
		if err == io.EOF {
			return src, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return src, nil
}

// displayPath makes a path slash-separated and relative to the working directory when it
// lies inside it, so that reports and SARIF carry repository-relative paths.
func displayPath(name string) string {
	var wd string
	if filepath.IsAbs(name) {
		wd, _ = os.Getwd()
	}
	return displayPathIn(wd, name)
}

// displayPathIn is displayPath with the working directory given ("": unknown).
func displayPathIn(wd, name string) string {
	if filepath.IsAbs(name) && wd != "" {
		if rel, err := filepath.Rel(wd, name); err == nil && filepath.IsLocal(rel) {
			name = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(name))
}
