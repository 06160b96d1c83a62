package fixers

import (
	"bytes"
	"io"

	"github.com/aymanbagabas/go-udiff"
)

// contextLines is the number of unchanged lines shown around each change, as in `diff -u`.
const contextLines = 3

// Diff writes a unified diff of the edits to one file, as UnifiedDiff writes it. Its
// hunks are where the edits are: the lines each group of edits touches are diffed against
// what the edits make of them, so that a line an edit leaves as it was stays context, and
// a change is not moved to another place among equal lines, as a diff of the whole file
// may move it.
func Diff(w io.Writer, path string, src []byte, edits []Edit) error {
	edits, err := Normalize(edits, len(src))
	if err != nil {
		return err
	}
	var lines []udiff.Edit
	for len(edits) > 0 {
		start, end, n := lineRegion(src, edits)
		group := make([]Edit, n)
		for i, e := range edits[:n] {
			group[i] = Edit{Start: e.Start - start, End: e.End - start, New: e.New}
		}
		edits = edits[n:]
		after, err := Apply(src[start:end], group)
		if err != nil {
			return err
		}
		for _, e := range udiff.Lines(string(src[start:end]), string(after)) {
			lines = append(lines, udiff.Edit{Start: start + e.Start, End: start + e.End, New: e.New})
		}
	}
	return unified(w, path, string(src), lines)
}

// lineRegion returns the whole lines the first edit touches, widened to those the next
// edits touch while they touch these, and how many edits that is. An insertion touches
// the line it is inserted into.
func lineRegion(src []byte, edits []Edit) (start, end, n int) {
	lineStart := func(off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }
	start = lineStart(edits[0].Start)
	for end = start; n < len(edits) && (n == 0 || lineStart(edits[n].Start) < end); n++ {
		e := edits[n]
		lineEnd := e.End
		if e.End == e.Start || src[e.End-1] != '\n' {
			if i := bytes.IndexByte(src[e.End:], '\n'); i >= 0 {
				lineEnd += i + 1
			} else {
				lineEnd = len(src)
			}
		}
		end = max(end, lineEnd)
	}
	return start, end, n
}

// UnifiedDiff writes the unified diff that turns before into after, with "a/" and "b/"
// prefixes so that `git apply` and `patch -p1` take it, and nothing when they are equal.
// Lines keep their "\r"; a last line without newline is marked as diff marks it. The fix
// engine applies fixes in passes, each against the previous pass's content, so the whole
// result is shown as one line diff of the file read.
func UnifiedDiff(w io.Writer, path string, before, after []byte) error {
	old := string(before)
	return unified(w, path, old, udiff.Lines(old, string(after)))
}

func unified(w io.Writer, path, src string, edits []udiff.Edit) error {
	text, err := udiff.ToUnified("a/"+path, "b/"+path, src, edits, contextLines)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, text)
	return err
}
