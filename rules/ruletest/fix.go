package ruletest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	engine "github.com/iacscan/iacscan/scan"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/cases"
	"github.com/iacscan/iacscan/source"
)

// fixAll applies the auto fixes of findings to the inputs and checks the result (see Run).
// It returns the .fixed sections: one for each input the fixes change or the archive has a
// golden for.
func fixAll(t *testing.T, ar *txtar.Archive, inputs []parsers.Input, findings []rules.Finding, rs []*rules.Rule) []txtar.File {
	t.Helper()
	fixed := apply(t, inputs, findings, true)
	after := scan(t, fixed, rs)
	checkGone(t, findings, after)
	for i, again := range apply(t, fixed, after, false) {
		if src := fixed[i].File.Src; !bytes.Equal(again.File.Src, src) {
			t.Errorf("%s: a second fix pass changes the fixed file (-first +second):\n%s", again.File.Path, cases.LineDiff(string(src), string(again.File.Src)))
		}
	}
	var out []txtar.File
	for i, in := range inputs {
		name := in.File.Path + FixedSuffix
		src := fixed[i].File.Src
		if bytes.Equal(src, in.File.Src) && section(ar, name) == nil {
			continue
		}
		data, ok := cases.Encode(src, flagsOf(ar, in.File.Path))
		if !ok {
			t.Errorf("%s: the fixed file mixes line endings: %q", in.File.Path, src)
		}
		out = append(out, txtar.File{Name: name, Data: data})
	}
	return out
}

// apply plans the auto fixes of findings, one fixers.Plan per file, and returns the inputs
// with the edits applied. With check, it also checks the scope of every edit.
func apply(t *testing.T, inputs []parsers.Input, findings []rules.Finding, check bool) []parsers.Input {
	t.Helper()
	engine.PlanFindings(inputs, findings) // what no patcher writes safely is a suggestion, as --fix sees it
	byPath := map[string][]fixers.Change{}
	for _, f := range findings {
		if !isAuto(f) {
			continue
		}
		for _, c := range f.Fix.Changes {
			if c.Resource == nil {
				t.Errorf("%s: %s: a change of the fix names no resource", cases.Position(f), f.Rule.ID)
				continue
			}
			byPath[c.Resource.ID.Path] = append(byPath[c.Resource.ID.Path], c)
		}
	}
	out := slices.Clone(inputs)
	for i, in := range inputs {
		changes := byPath[in.File.Path]
		if len(changes) == 0 {
			continue
		}
		edits, err := fixers.Plan(in.File, in.Format, changes)
		if err != nil {
			t.Errorf("%s: planning the fixes: %v", in.File.Path, err)
			continue
		}
		src, err := fixers.Apply(in.File.Src, edits)
		if err != nil {
			t.Errorf("%s: applying the fixes: %v", in.File.Path, err)
			continue
		}
		if check {
			checkScope(t, in.File, changes, edits)
		}
		out[i].File = source.NewFile(in.File.Path, src)
	}
	return out
}

func isAuto(f rules.Finding) bool { return f.Fix != nil && f.Fix.Mode == rules.FixAuto }

// checkGone asserts that the findings whose fixes were applied are gone and that nothing
// appeared: for each rule, resource and message, the fixed files yield at most as many
// findings as the inputs less the fixed ones. A finding without an auto fix may go along
// with another's fix (a port range with the service rule it holds).
func checkGone(t *testing.T, before, after []rules.Finding) {
	t.Helper()
	left := map[string]int{}
	for _, f := range before {
		if !isAuto(f) {
			left[identity(f)]++
		}
	}
	for _, f := range after {
		if left[identity(f)] == 0 {
			t.Errorf("in the fixed files: %s: %s %s: fixed but still reported, or new", cases.Position(f), f.Rule.ID, f.Message)
			continue
		}
		left[identity(f)]--
	}
}

// identity is what names a finding across edits that move lines.
func identity(f rules.Finding) string {
	return f.Rule.ID + "\x00" + f.Resource.String() + "\x00" + f.Message
}

// checkScope asserts that every edit touches only lines that a change names (the value,
// attribute or resource it edits or removes, the map it adds to, the resource it adds
// after), the comment lines right above them (a removal takes the comments describing what
// it removes) or blank lines next to them: every other line stays byte-identical.
func checkScope(t *testing.T, f *source.File, changes []fixers.Change, edits []fixers.Edit) {
	t.Helper()
	allowed := map[int]bool{}
	for _, c := range changes {
		r := anchor(c)
		for l := r.Start.Line; l <= r.End.Line; l++ {
			allowed[l] = true
		}
		if c.Op == fixers.RemoveItem && c.Parent != nil {
			// Removing the last item of a YAML block list leaves `key: []` on the line above.
			allowed[c.Parent.Range.Start.Line-1] = true
		}
		above := r.Start.Line - 1
		for ; above >= 1 && comment(f.Line(above)); above-- {
			allowed[above] = true
		}
		for l := above; l >= 1 && blank(f.Line(l)); l-- {
			allowed[l] = true
		}
		for l := r.End.Line + 1; l <= f.LineCount() && blank(f.Line(l)); l++ {
			allowed[l] = true
		}
	}
	for _, e := range edits {
		first, last := touched(f, e)
		for l := first; l <= last; l++ {
			if !allowed[l] && !separatorOnly(f, e, l) {
				t.Errorf("%s:%d: edit [%d,%d) %q touches a line no change names: %q", f.Path, l, e.Start, e.End, e.New, f.Line(l))
				break
			}
		}
	}
}

// anchor is the range a change names.
func anchor(c fixers.Change) source.Range {
	switch {
	case (c.Op == fixers.SetValue || c.Op == fixers.RemoveItem) && c.Target != nil:
		return c.Target.Range
	case c.Op == fixers.RemoveAttribute && c.Attr != nil:
		return c.Attr.Range
	case c.Op == fixers.AddAttribute && c.Parent != nil:
		return c.Parent.Range
	}
	return c.Resource.Range
}

// touched returns the lines an edit changes, none when last < first. A deletion starting at
// the end of a line takes only that line's break, and an insertion of whole lines at the
// start of a line changes no line.
func touched(f *source.File, e fixers.Edit) (first, last int) {
	start := f.PosAt(e.Start)
	if e.Start == e.End {
		if start.Column == 1 && bytes.HasSuffix([]byte(e.New), []byte("\n")) {
			return 1, 0
		}
		return start.Line, start.Line
	}
	first = start.Line
	if e.Start == f.LineEnd(first) {
		first++
	}
	return first, f.PosAt(e.End - 1).Line
}

// separatorOnly reports whether all an edit does to a line is delete a comma (and the space
// around it): removing the last item of a JSON list or object takes the comma before it,
// at the end of the previous line.
func separatorOnly(f *source.File, e fixers.Edit, line int) bool {
	start := max(e.Start, f.Offset(line, 1))
	end := min(e.End, f.LineEnd(line))
	return strings.TrimSpace(e.New) == "" && start <= end && strings.Trim(string(f.Src[start:end]), " \t,") == ""
}

func blank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// comment reports whether a line holds only a comment, in HCL or YAML.
func comment(line []byte) bool {
	line = bytes.TrimSpace(line)
	return bytes.HasPrefix(line, []byte("#")) || bytes.HasPrefix(line, []byte("//"))
}

// flagsOf returns the flags of the input section for path.
func flagsOf(ar *txtar.Archive, path string) []string {
	for _, f := range ar.Files {
		if p, flags := cases.SplitName(f.Name); p == path && !isFixed(f) {
			return flags
		}
	}
	return nil
}
