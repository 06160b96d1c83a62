package scan

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/groups"
	"github.com/iacscan/iacscan/internal/workers"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// maxFixPasses bounds the fix loop: fixes that conflict with others in a pass are tried
// again in the next, against the fixed content, but never forever.
const maxFixPasses = 5

// PlanFixes fills every finding's Fix.Edits, once. Planning re-reads each file with fixes,
// so it happens only for what needs edits: the fix loop, --diff, and the reports that carry
// them (JSON, SARIF, the Markdown fixable count).
func (r *Result) PlanFixes() { r.PlanFixesOf(nil) }

// PlanFixesOf fills the Fix.Edits of the findings keep selects, by index into Findings (nil
// selects all), that are not planned yet: a report that shows only some findings (SARIF
// within GitHub's limit of results) plans only those.
//
// A result not made by Run has no inputs to plan against: its fixes stay as they are.
func (r *Result) PlanFixesOf(keep func(i int) bool) {
	if r.planned || r.inputs == nil {
		return
	}
	if r.plannedOne == nil {
		r.plannedOne = make([]bool, len(r.Findings))
	}
	var todo []int
	all := true
	for i := range r.Findings {
		switch {
		case r.plannedOne[i]:
		case keep == nil || keep(i):
			todo = append(todo, i)
			r.plannedOne[i] = true
		default:
			all = false
		}
	}
	newFixPlanner(r.inputs).plan(r.Findings, todo)
	if all {
		r.planned, r.plannedOne = true, nil
	}
}

// PlanFindings fills every finding's Fix.Edits with the edits of its changes against the
// scanned content: reports show them, SARIF carries them. An automatic fix that cannot be
// planned (a layout the patcher does not edit safely) becomes a suggestion that says why.
func PlanFindings(inputs []parsers.Input, findings []rules.Finding) {
	newFixPlanner(inputs).planAll(findings)
}

// fixPlanner plans findings' fixes against the inputs.
type fixPlanner struct {
	inputs []parsers.Input
	byPath map[string]int // index into inputs
}

func newFixPlanner(inputs []parsers.Input) *fixPlanner {
	byPath := make(map[string]int, len(inputs))
	for i, in := range inputs {
		if _, dup := byPath[in.File.Path]; !dup {
			byPath[in.File.Path] = i
		}
	}
	return &fixPlanner{inputs: inputs, byPath: byPath}
}

// plan fills the Fix.Edits of the findings at the indexes todo, as PlanFindings says. A planner parses its file again, which makes planning a fifth of the CPU of a
// JSON report: the findings of one file are planned by one worker, which parses it once,
// and the files are spread over the cores. Each finding is planned on its own, so the
// result does not depend on which worker ends first.
func (p *fixPlanner) plan(findings []rules.Finding, todo []int) {
	var fixable []int
	for _, i := range todo {
		if f := &findings[i]; f.Fix != nil && len(f.Fix.Changes) > 0 {
			fixable = append(fixable, i)
		}
	}
	files := groups.By(fixable, func(i int) string { return changedFile(&findings[i]) })
	workers.Each(len(files), func(k int) {
		path := changedFile(&findings[files[k][0]])
		pl, err := p.planner(path)
		for _, i := range files[k] {
			planWith(&findings[i], pl, err)
		}
	})
}

// planAll plans every finding's fix.
func (p *fixPlanner) planAll(findings []rules.Finding) {
	todo := make([]int, len(findings))
	for i := range todo {
		todo[i] = i
	}
	p.plan(findings, todo)
}

// planWith fills f's Fix.Edits with pl, the planner of the file f's fix changes (or err,
// why there is none).
func planWith(f *rules.Finding, pl *fixers.Planner, err error) {
	fix := *f.Fix // the rule's Fix may be shared; never change it in place
	f.Fix = &fix
	if err == nil {
		fix.Edits, err = pl.Plan(fix.Changes)
	}
	if err != nil && fix.Mode == rules.FixAuto {
		fix.Mode = rules.FixSuggest
		fix.Description += "; not written by --fix: " + err.Error()
	}
}

// planner returns a planner of the input at path.
func (p *fixPlanner) planner(path string) (*fixers.Planner, error) {
	i, ok := p.byPath[path]
	if !ok {
		return nil, fmt.Errorf("%s is not a scanned file", path)
	}
	return fixers.NewPlanner(p.inputs[i].File, p.inputs[i].Format)
}

// changedFile is the file a fix changes: that of the resource its changes name.
func changedFile(f *rules.Finding) string {
	for _, c := range f.Fix.Changes {
		if c.Resource != nil {
			return c.Resource.ID.Path
		}
	}
	return f.Range.Path
}

// Fixed is what Fix did.
type Fixed struct {
	// Files are the files the fixes change, by path.
	Files []FixedFile
	// Applied are the findings whose fixes were applied, as the pass that fixed each saw it.
	Applied []rules.Finding
	// Dropped are the automatic fixes that were not applied, with why.
	Dropped []Dropped
	// Passes counts the passes run; StoppedEarly is set when fixable findings were left
	// after the last pass allowed.
	Passes       int
	StoppedEarly bool
	// Result is the scan of the fixed content: what is left.
	Result *Result
}

// FixedFile is a file's content as scanned and as fixed.
type FixedFile struct {
	Path          string
	Before, After []byte
}

// Dropped is an automatic fix that was not applied.
type Dropped struct {
	Finding rules.Finding
	Reason  string
}

func (d Dropped) String() string {
	f := d.Finding
	return fmt.Sprintf("%s:%d:%d: %s: %s", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column, f.Rule.ID, d.Reason)
}

// Fix applies the automatic fixes of res in memory and verifies them: each fixed file must
// parse, the rules run again on the fixed content must not report the fixed findings, and
// no finding may appear because of an edit. A fix that fails is dropped, with why, and the
// others are verified again without it. Fixes that conflict with others in a pass are
// applied in the next one, against the fixed content, for at most maxFixPasses passes.
// Nothing is written: see Fixed.Write.
func Fix(ctx context.Context, res *Result) (*Fixed, error) {
	if res.compact {
		res = res.rerun(nil) // with the changes the scan let go of
	}
	x := &Fixed{Result: res}
	failed := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x.Result.PlanFixes()
		pending := autoFixes(x.Result, failed)
		if len(pending) == 0 {
			return x, nil
		}
		if x.Passes == maxFixPasses {
			x.StoppedEarly = true
			return x, nil
		}
		// Every pass applies or drops at least one fix: the first fix of a file is never
		// kept waiting.
		x.Passes++
		if p := x.pass(pending, failed); len(p.applied) > 0 {
			x.record(p)
		}
	}
}

// autoFixes returns the findings of res with an automatic fix that has not failed.
func autoFixes(res *Result, failed map[string]bool) []*rules.Finding {
	var out []*rules.Finding
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Fix != nil && f.Fix.Mode == rules.FixAuto && len(f.Fix.Edits) > 0 && !failed[fixKey(f)] {
			out = append(out, f)
		}
	}
	return out
}

// fixKey names a fix across passes, whose edits move its finding's lines.
func fixKey(f *rules.Finding) string {
	return strings.Join([]string{f.Rule.ID, f.Resource.String(), f.Message, f.Fix.Description}, "\x00")
}

// pass is one round of fixes against the content of one scan.
type pass struct {
	before  *Result
	files   map[string]*patched
	after   *Result
	applied []rules.Finding
}

// patched is one file of a pass: the fixes taken, their edits together, the new content.
type patched struct {
	in      parsers.Input
	planner *fixers.Planner
	fixes   []*rules.Finding
	edits   []fixers.Edit
	content []byte
}

// pass plans the pending fixes file by file, taking each that plans with those taken
// before it, then verifies the result, dropping fixes until what is left verifies.
func (x *Fixed) pass(pending []*rules.Finding, failed map[string]bool) *pass {
	p := &pass{before: x.Result, files: map[string]*patched{}}
	drop := func(f *rules.Finding, why string) {
		failed[fixKey(f)] = true
		x.Dropped = append(x.Dropped, Dropped{Finding: *f, Reason: why})
	}
	byFile := map[string][]*rules.Finding{}
	for _, f := range pending {
		path := changedFile(f)
		pf := p.files[path]
		if pf == nil {
			if pf = p.open(path); pf == nil {
				drop(f, path+" is not a scanned file that can be patched")
				continue
			}
			p.files[path] = pf
		}
		byFile[path] = append(byFile[path], f)
	}
	for _, path := range p.paths() {
		p.files[path].takeAll(byFile[path], drop)
	}
	for _, path := range p.paths() {
		if why := p.files[path].breaks(); why != "" {
			for _, f := range p.files[path].fixes {
				drop(f, why)
			}
			delete(p.files, path)
		}
	}
	for len(p.files) > 0 {
		p.after = p.before.rerun(p.contents())
		bad := p.verify()
		if len(bad) == 0 {
			break
		}
		for _, v := range bad {
			drop(v.fix, v.why)
			p.remove(v.fix)
		}
	}
	for _, f := range p.fixes() {
		p.applied = append(p.applied, *f)
	}
	return p
}

// paths returns the paths of the pass's files, sorted.
func (p *pass) paths() []string {
	out := make([]string, 0, len(p.files))
	for path := range p.files {
		out = append(out, path)
	}
	slices.Sort(out)
	return out
}

// fixes returns the fixes of the pass, file by file.
func (p *pass) fixes() []*rules.Finding {
	var out []*rules.Finding
	for _, path := range p.paths() {
		out = append(out, p.files[path].fixes...)
	}
	return out
}

// verdict is a fix that failed verification, and why.
type verdict struct {
	fix *rules.Finding
	why string
}

// verify checks the pass's result: every finding fixed must be gone, and every finding
// reported must have been there before the edits. It returns the fixes to drop.
func (p *pass) verify() []verdict {
	var bad []verdict
	now := byIdentity(p.after.Findings)
	for _, f := range p.fixes() {
		start, end := p.moved(f.Range)
		if slices.ContainsFunc(now[identityOf(f)], func(r source.Range) bool { return r.Start.Byte == start && r.End.Byte == end }) {
			bad = append(bad, verdict{f, "the fixed file still has the finding"})
		}
	}
	if len(bad) > 0 {
		return bad
	}
	was := byIdentity(p.before.Findings)
	for i := range p.after.Findings {
		n := &p.after.Findings[i]
		if p.existed(was, n) {
			continue
		}
		why := fmt.Sprintf("the fix would add a finding: %s:%d:%d: %s %s", n.Range.Path, n.Range.Start.Line, n.Range.Start.Column, n.Rule.ID, n.Message)
		for _, f := range p.blame(n) {
			if !slices.ContainsFunc(bad, func(v verdict) bool { return v.fix == f }) {
				bad = append(bad, verdict{f, why})
			}
		}
	}
	return bad
}

// identity is what names a finding across edits, but for its range, which edits move.
type identity struct {
	rule     string
	resource graph.ID
	path     string
}

func identityOf(f *rules.Finding) identity { return identity{f.Rule.ID, f.Resource, f.Range.Path} }

// byIdentity returns the ranges of findings by identity.
func byIdentity(fs []rules.Finding) map[identity][]source.Range {
	out := map[identity][]source.Range{}
	for i := range fs {
		id := identityOf(&fs[i])
		out[id] = append(out[id], fs[i].Range)
	}
	return out
}

// existed reports whether n, a finding of the pass's result, was one of was, the findings
// before it, at the same place once the edits moved it.
func (p *pass) existed(was map[identity][]source.Range, n *rules.Finding) bool {
	return slices.ContainsFunc(was[identityOf(n)], func(r source.Range) bool {
		start, end := p.moved(r)
		return n.Range.Start.Byte == start && n.Range.End.Byte == end
	})
}

// blame returns the fixes that bring the new finding n: those of its resource or that add
// it, else those that bring it when applied alone, else all of them.
func (p *pass) blame(n *rules.Finding) []*rules.Finding {
	all := p.fixes()
	var own, alone []*rules.Finding
	for _, f := range all {
		if f.Resource == n.Resource || adds(f, n.Resource) {
			own = append(own, f)
		}
	}
	if len(own) > 0 {
		return own
	}
	for _, f := range all {
		if p.brings(f, n) {
			alone = append(alone, f)
		}
	}
	if len(alone) > 0 {
		return alone
	}
	return all
}

// adds reports whether f's fix adds the resource id.
func adds(f *rules.Finding, id graph.ID) bool {
	return slices.ContainsFunc(f.Fix.Changes, func(c fixers.Change) bool {
		return c.Op == fixers.AddResource && c.Resource.ID.Path == id.Path && string(c.Kind)+"."+c.Name == id.Address
	})
}

// brings reports whether f's fix, applied alone, brings a finding like n.
func (p *pass) brings(f *rules.Finding, n *rules.Finding) bool {
	q := &pass{before: p.before, files: map[string]*patched{}}
	pf := q.open(changedFile(f))
	if pf == nil || pf.take(f) != nil || len(pf.fixes) == 0 {
		return false
	}
	q.files[pf.in.File.Path] = pf
	q.after = q.before.rerun(q.contents())
	was := byIdentity(q.before.Findings)
	return slices.ContainsFunc(q.after.Findings, func(m rules.Finding) bool {
		return identityOf(&m) == identityOf(n) && m.Message == n.Message && !q.existed(was, &m)
	})
}

// moved returns where the bytes of r are after the pass's edits to r's file.
func (p *pass) moved(r source.Range) (start, end int) {
	pf := p.files[r.Path]
	if pf == nil {
		return r.Start.Byte, r.End.Byte
	}
	return movePos(pf.edits, r.Start.Byte, false), movePos(pf.edits, r.End.Byte, true)
}

// movePos returns where the offset off of a text is after the normalized edits. An offset
// inside a replaced span moves to the start of the new text, or to its end when it ends a
// range; text inserted at the start of a range comes before it, and at its end after it.
func movePos(edits []fixers.Edit, off int, end bool) int {
	delta := 0
	for _, e := range edits {
		switch {
		case off < e.Start, end && off == e.Start:
			return off + delta
		case off < e.End && end:
			return e.Start + delta + len(e.New)
		case off < e.End:
			return e.Start + delta
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return off + delta
}

// open returns the file at path ready to take fixes, or nil.
func (p *pass) open(path string) *patched {
	for _, in := range p.before.inputs {
		if in.File.Path != path {
			continue
		}
		pl, err := fixers.NewPlanner(in.File, in.Format)
		if err != nil {
			return nil
		}
		return &patched{in: in, planner: pl, content: in.File.Src}
	}
	return nil
}

// takeAll takes the file's fixes fs: all of them in one plan when they plan together, as
// they usually do; else one by one, so that those that conflict wait for the next pass.
// Planning them one by one re-plans every fix taken before, which a file with many
// findings makes quadratic.
func (pf *patched) takeAll(fs []*rules.Finding, drop func(*rules.Finding, string)) {
	if pf.plan(fs) == nil {
		return
	}
	for _, f := range fs {
		if err := pf.take(f); err != nil {
			drop(f, err.Error())
		}
	}
}

// take adds f's fix to the file's when the two plan together. A fix that does not plan on
// its own is an error; one that only conflicts with fixes taken before waits for the next
// pass.
func (pf *patched) take(f *rules.Finding) error {
	err := pf.plan(append(slices.Clone(pf.fixes), f))
	if _, unapplied := err.(applyError); err == nil || unapplied {
		return err
	}
	if _, alone := pf.planner.Plan(f.Fix.Changes); alone != nil {
		return alone
	}
	return nil
}

// applyError is edits that planned but do not apply: a fault of the fix, not a conflict
// with the others.
type applyError struct{ error }

// plan makes fs the file's fixes when they plan together and their edits apply.
func (pf *patched) plan(fs []*rules.Finding) error {
	var changes []fixers.Change
	for _, f := range fs {
		changes = append(changes, f.Fix.Changes...)
	}
	edits, err := pf.planner.Plan(changes)
	if err != nil {
		return err
	}
	content, err := fixers.Apply(pf.in.File.Src, edits)
	if err != nil {
		return applyError{err}
	}
	pf.fixes, pf.edits, pf.content = fs, edits, content
	return nil
}

// breaks returns why the fixed content does not parse, or "": an error the parser reports
// on it and did not report on the content read.
func (pf *patched) breaks() string {
	errs := parseErrors(parsers.Input{File: source.NewFile(pf.in.File.Path, pf.content), Format: pf.in.Format})
	if len(errs) == 0 {
		return "" // the common case: the content read need not be parsed again
	}
	had := map[string]int{}
	for _, d := range parseErrors(pf.in) {
		had[d.Summary]++
	}
	for _, d := range errs {
		if had[d.Summary] == 0 {
			return "the fixed file would not parse: " + d.Error()
		}
		had[d.Summary]--
	}
	return ""
}

func parseErrors(in parsers.Input) source.Diagnostics {
	_, diags := parsers.Parse(in)
	return slices.DeleteFunc(diags, func(d source.Diagnostic) bool { return d.Severity != source.Error })
}

// contents returns the new content of every file of the pass.
func (p *pass) contents() map[string][]byte {
	out := map[string][]byte{}
	for path, pf := range p.files {
		out[path] = pf.content
	}
	return out
}

// remove takes f's fix out of its file's and plans the others again.
func (p *pass) remove(f *rules.Finding) {
	path := changedFile(f)
	pf := p.files[path]
	if pf == nil {
		return
	}
	rest := slices.DeleteFunc(pf.fixes, func(g *rules.Finding) bool { return g == f })
	pf.fixes, pf.edits, pf.content = nil, nil, pf.in.File.Src
	for _, g := range rest {
		_ = pf.take(g) // they planned together before, and still do without f
	}
	if len(pf.fixes) == 0 {
		delete(p.files, path)
	}
}

// record makes the pass's result the current one.
func (x *Fixed) record(p *pass) {
	x.Applied = append(x.Applied, p.applied...)
	for path, pf := range p.files { // sorted below
		i := slices.IndexFunc(x.Files, func(f FixedFile) bool { return f.Path == path })
		if i < 0 {
			x.Files = append(x.Files, FixedFile{Path: path, Before: pf.in.File.Src})
			i = len(x.Files) - 1
		}
		x.Files[i].After = pf.content
	}
	slices.SortFunc(x.Files, func(a, b FixedFile) int { return strings.Compare(a.Path, b.Path) })
	x.Result = p.after
}

// rerun analyzes the scan's inputs again with some files' content replaced.
func (r *Result) rerun(content map[string][]byte) *Result {
	inputs := slices.Clone(r.inputs)
	released := maps.Clone(r.released)
	pinned := maps.Clone(r.pinned)
	for i, in := range inputs {
		if src, ok := content[in.File.Path]; ok {
			inputs[i].File = source.NewFile(in.File.Path, src)
			delete(released, in.File.Path)
			if pinned == nil {
				pinned = map[string]bool{}
			}
			pinned[in.File.Path] = true
		}
	}
	opts := r.opts
	opts.Fixing = true // the fix passes plan the findings' changes
	next := analyze(inputs, released, pinned, r.selected, r.paths, opts)
	next.PlanFixes()
	next.Stats.ExcludedFiles = r.Stats.ExcludedFiles
	next.Stats.Duration = r.Stats.Duration
	return next
}

// Rescan runs the scan again over the same paths with the same options, reading every
// file anew: after --fix wrote its fixes, it is what is left.
func (r *Result) Rescan(ctx context.Context) (*Result, error) {
	return Run(ctx, r.paths, r.opts)
}

// Write writes every fixed file safely (fixers.WriteFileContext): atomically, keeping its
// mode and owner, only inside the scanned path it was found under, never over content
// that changed since the scan, nor (unless opts.Force) over a file with other hard links
// or a read-only one. Once ctx is done it writes no more. It returns the paths it wrote,
// and an error for each file it refused or failed to write.
func (x *Fixed) Write(ctx context.Context, opts fixers.WriteOptions) (written []string, errs []error) {
	for _, f := range x.Files {
		if err := fixers.WriteFileContext(ctx, rootOf(f.Path, x.Result.paths), filepath.FromSlash(f.Path), f.Before, f.After, opts); err != nil {
			errs = append(errs, err)
			continue
		}
		written = append(written, f.Path)
	}
	return written, errs
}

// rootOf returns the scanned path that holds file: a directory given to the scan, or the
// directory of a file given to it.
func rootOf(file string, paths []string) string {
	for _, p := range paths {
		root := displayPath(p)
		if root == file {
			return filepath.Dir(filepath.FromSlash(p))
		}
		if rel, err := filepath.Rel(filepath.FromSlash(root), filepath.FromSlash(file)); err == nil && filepath.IsLocal(rel) {
			return p
		}
	}
	return filepath.Dir(filepath.FromSlash(file))
}

// Diff writes the unified diff of every fixed file: one patch, at most one diff per file,
// that `git apply` and `patch -p1` apply as a whole. Suggestions are not part of it (see
// Suggestions): they are alternatives, often to the same lines.
func (x *Fixed) Diff(w io.Writer) error {
	for _, f := range x.Files {
		if err := fixers.UnifiedDiff(w, f.Path, f.Before, f.After); err != nil {
			return err
		}
	}
	return nil
}

// Suggestions writes the unified diff of every suggestion of orig (the scan the fixes
// started from) that has edits, each after a line saying it is one and what it does. Each
// diff is against the original file, on its own: they do not apply together, nor after
// Diff's patch. A suggestion shared by several findings is shown once.
func (x *Fixed) Suggestions(w io.Writer, orig *Result) error {
	var shown [][]fixers.Edit
	for _, f := range orig.Findings {
		if f.Fix == nil || f.Fix.Mode != rules.FixSuggest || len(f.Fix.Edits) == 0 ||
			slices.ContainsFunc(shown, func(e []fixers.Edit) bool { return slices.Equal(e, f.Fix.Edits) }) {
			continue
		}
		shown = append(shown, f.Fix.Edits)
		src := orig.File(f.Fix.Edits[0].Path)
		if src == nil {
			continue
		}
		fmt.Fprintf(w, "# suggestion (not applied by --fix): %s\n", f.Fix.Description)
		if err := fixers.Diff(w, src.Path, src.Src, f.Fix.Edits); err != nil {
			return err
		}
	}
	return nil
}
