package scan

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// maxFixPasses bounds the fix loop: a fix can make another finding fixable (tflint caps its
// loop the same way), but never forever.
const maxFixPasses = 5

// planFixes turns the changes of every finding's fix into byte edits of the original file
// (reports show them; --fix applies the automatic ones). A fix that cannot be planned
// stays as a suggestion without edits, and says why.
func planFixes(inputs []parsers.Input, findings []rules.Finding) source.Diagnostics {
	byPath := map[string]parsers.Input{}
	for _, in := range inputs {
		byPath[in.File.Path] = in
	}
	var diags source.Diagnostics
	for i := range findings {
		fix := findings[i].Fix
		if fix == nil || len(fix.Changes) == 0 {
			continue
		}
		in, ok := byPath[findings[i].Range.Path]
		if !ok {
			continue
		}
		edits, err := fixers.Plan(in.File, in.Format, fix.Changes)
		if err != nil {
			fix.Mode, fix.Edits = rules.FixSuggest, nil
			fix.Description += "; not written automatically: " + err.Error()
			continue
		}
		fix.Edits = edits
	}
	return diags
}

// Pass is one round of the fix loop: the edits applied to each file's content as it was
// at the start of the round.
type Pass struct {
	Before map[string][]byte
	Edits  map[string][]fixers.Edit
}

// Fixed is what Fix did.
type Fixed struct {
	Passes []Pass
	// Files maps each changed file to its original and fixed content.
	Files map[string][2][]byte
	// Result is the scan of the fixed content: what is left.
	Result *Result
	// StoppedEarly is set when fixable findings remained after the last allowed pass.
	StoppedEarly bool
	// Dropped describes fixes that were not applied because verification failed.
	Dropped []string
}

// Fix applies the automatic fixes of res in memory, verifying each round: the patched
// files must parse, every fixed finding must be gone and no new finding may appear. A
// file whose round fails verification keeps its content of the round before. It repeats
// while new automatic fixes appear, at most maxFixPasses times. Nothing is written: see
// Fixed.Write.
func Fix(res *Result) *Fixed {
	out := &Fixed{Files: map[string][2][]byte{}, Result: res}
	attempted := map[string]bool{}
	for pass := 0; ; pass++ {
		fixes := autoFixes(out.Result, attempted)
		if len(fixes) == 0 {
			return out
		}
		if pass == maxFixPasses {
			out.StoppedEarly = true
			return out
		}
		p := Pass{Before: map[string][]byte{}, Edits: map[string][]fixers.Edit{}}
		patched := map[string][]byte{}
		for path, fs := range fixes {
			f := out.Result.File(path)
			edits, content := applyCompatible(f.Src, fs)
			p.Before[path], p.Edits[path], patched[path] = f.Src, edits, content
		}
		next := out.Result.rerun(patched)
		for path := range patched {
			if why := verify(out.Result, next, path, fixes[path]); why != "" {
				out.Dropped = append(out.Dropped, path+": "+why)
				delete(patched, path)
				delete(p.Edits, path)
			}
		}
		if len(patched) == 0 {
			return out
		}
		next = out.Result.rerun(patched)
		for path, content := range patched {
			orig, ok := out.Files[path]
			if !ok {
				orig[0] = p.Before[path]
			}
			out.Files[path] = [2][]byte{orig[0], content}
		}
		out.Passes = append(out.Passes, p)
		out.Result = next
	}
}

// autoFixes groups the automatic fixes not yet attempted by file.
func autoFixes(res *Result, attempted map[string]bool) map[string][]*rules.Finding {
	out := map[string][]*rules.Finding{}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Fix == nil || f.Fix.Mode != rules.FixAuto || len(f.Fix.Edits) == 0 || attempted[f.Fingerprint()] {
			continue
		}
		attempted[f.Fingerprint()] = true
		out[f.Range.Path] = append(out[f.Range.Path], f)
	}
	return out
}

// applyCompatible applies the fixes of one file in order, skipping a fix whose edits
// overlap those already taken (its finding stays, to be fixed in a later round).
func applyCompatible(src []byte, fs []*rules.Finding) ([]fixers.Edit, []byte) {
	var edits []fixers.Edit
	for _, f := range fs {
		candidate := append(append([]fixers.Edit{}, edits...), f.Fix.Edits...)
		if _, err := fixers.Normalize(candidate, len(src)); err == nil {
			edits = candidate
		}
	}
	content, err := fixers.Apply(src, edits)
	if err != nil {
		return nil, src
	}
	edits, _ = fixers.Normalize(edits, len(src))
	return edits, content
}

// verify compares the findings in path before and after a round: the fixed ones must be
// gone and none may be new. It returns why the round is refused, or "".
func verify(before, after *Result, path string, fixed []*rules.Finding) string {
	for _, d := range after.Diagnostics {
		if d.Severity == source.Error && d.Subject != nil && d.Subject.Path == path {
			return "the fixed file does not parse: " + d.Error()
		}
	}
	old := map[string]bool{}
	for _, f := range before.Findings {
		old[f.Fingerprint()] = true
	}
	now := map[string]bool{}
	for _, f := range after.Findings {
		now[f.Fingerprint()] = true
		if f.Range.Path == path && !old[f.Fingerprint()] {
			return fmt.Sprintf("the fix would add a finding: %s %s", f.Rule.ID, f.Message)
		}
	}
	for _, f := range fixed {
		if now[f.Fingerprint()] {
			return fmt.Sprintf("the fix did not remove %s at line %d", f.Rule.ID, f.Range.Start.Line)
		}
	}
	return ""
}

// rerun analyzes the scan's inputs again with some files' content replaced.
func (r *Result) rerun(patched map[string][]byte) *Result {
	inputs := make([]parsers.Input, len(r.inputs))
	for i, in := range r.inputs {
		inputs[i] = in
		if content, ok := patched[in.File.Path]; ok {
			inputs[i].File = source.NewFile(in.File.Path, content)
		}
	}
	next := analyze(inputs, r.selected, r.paths, r.opts)
	next.Stats.ExcludedFiles = r.Stats.ExcludedFiles
	next.Stats.Duration = r.Stats.Duration
	return next
}

// Write writes every changed file safely (fixers.WriteFile): atomically, keeping its mode,
// only inside the scanned roots, and never over content that changed since the scan. It
// returns one error per file it refused or failed to write.
func (x *Fixed) Write() []error {
	var errs []error
	for path, c := range x.Files {
		if err := fixers.WriteFile(rootOf(path, x.Result.paths), filepath.FromSlash(path), c[0], c[1]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// rootOf returns the scanned path that holds file: a directory given on the command line,
// or the directory of a file given there.
func rootOf(file string, paths []string) string {
	for _, p := range paths {
		root := displayPath(p)
		if root == file {
			return filepath.Dir(filepath.FromSlash(p))
		}
		if rel, err := filepath.Rel(root, file); err == nil && filepath.IsLocal(rel) {
			return p
		}
	}
	return filepath.Dir(filepath.FromSlash(file))
}

// WriteDiff prints the unified diff of every automatic fix (round by round) and of every
// suggestion with edits, each suggestion marked as such. It writes no file.
func (x *Fixed) WriteDiff(w io.Writer, original *Result) error {
	for _, p := range x.Passes {
		for _, path := range sortedKeys(p.Edits) {
			if err := fixers.Diff(w, path, p.Before[path], p.Edits[path]); err != nil {
				return err
			}
		}
	}
	for _, f := range original.Findings {
		if f.Fix == nil || f.Fix.Mode == rules.FixAuto || len(f.Fix.Edits) == 0 {
			continue
		}
		fmt.Fprintf(w, "# suggestion (not applied by --fix): %s %s: %s\n", f.Rule.ID, f.Range.Path, strings.ReplaceAll(f.Fix.Description, "\n", " "))
		src := original.File(f.Range.Path)
		if src == nil {
			return errors.New("scan: no source for " + f.Range.Path)
		}
		if err := fixers.Diff(w, f.Range.Path, src.Src, f.Fix.Edits); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
