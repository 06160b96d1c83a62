package patch

import (
	"bytes"
	"sort"
)

// Syntax is what the line arithmetic needs to know of a format: how its comments start
// and whether a list may end with a comma.
type Syntax struct {
	// LineComments are the markers of comments that run to the end of the line.
	LineComments []string
	// BlockComments allows /* ... */ comments (HCL).
	BlockComments bool
	// TrailingComma allows `[a, b,]`: removing the last item may leave the comma before it.
	TrailingComma bool
}

// Text is a file being patched with its conventions: line ending and indentation step.
type Text struct {
	Path string
	Src  []byte
	// NL is the file's line ending, "\r\n" when its first line ends so, else "\n".
	NL string
	// Unit is the file's indentation step: a tab, or the smallest indentation of a line.
	Unit   string
	syntax Syntax
	// lines are where the lines start: a minified template is one long line, and finding
	// a line start by scanning back from every edit would be quadratic.
	lines []int
}

// NewText returns the text of the file at path; unit is the indentation step to use when
// no line of the file is indented.
func NewText(path string, src []byte, syntax Syntax, unit string) *Text {
	t := &Text{Path: path, Src: src, NL: "\n", Unit: unit, syntax: syntax, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		t.NL = "\r\n"
	}
	if u := indentUnit(src); u != "" {
		t.Unit = u
	}
	return t
}

// indentUnit returns the indentation of the least indented indented line, or a tab when
// that line starts with one; "" when no line is indented.
func indentUnit(src []byte) string {
	best := ""
	for line := range bytes.Lines(src) {
		ind := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		if len(ind) == 0 || len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if ind[0] == '\t' {
			return "\t"
		}
		if best == "" || len(ind) < len(best) {
			best = string(ind)
		}
	}
	return best
}

// Edit returns the edit replacing [start, end) with s.
func (t *Text) Edit(start, end int, s string) Edit {
	return Edit{Path: t.Path, Start: start, End: end, New: s}
}

// Insert returns the insertion of s at off.
func (t *Text) Insert(off int, s string) Edit { return t.Edit(off, off, s) }

// LineStart returns where the line holding off starts.
func (t *Text) LineStart(off int) int {
	off = max(0, min(off, len(t.Src)))
	return t.lines[t.line(off)]
}

// line returns the 0-based line holding off.
func (t *Text) line(off int) int {
	return sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
}

// NextLine returns where the line after the one holding off starts, or the end of the file.
func (t *Text) NextLine(off int) int {
	off = max(0, min(off, len(t.Src)))
	if next := t.line(off) + 1; next < len(t.lines) {
		return t.lines[next]
	}
	return len(t.Src)
}

// LineEnd returns where the line holding off ends, before its line ending.
func (t *Text) LineEnd(off int) int {
	end := t.NextLine(off)
	if start := t.LineStart(off); end > start && t.Src[end-1] == '\n' {
		end--
		if end > start && t.Src[end-1] == '\r' {
			end--
		}
	}
	return end
}

// Indent returns the leading blanks of the line holding off.
func (t *Text) Indent(off int) string {
	start := t.LineStart(off)
	return string(t.Src[start:t.SkipBlanks(start)])
}

// SkipBlanks returns the first offset at or after off that is not a space or a tab.
func (t *Text) SkipBlanks(off int) int {
	for off < len(t.Src) && (t.Src[off] == ' ' || t.Src[off] == '\t') {
		off++
	}
	return off
}

// BackBlanks returns the offset just after the last byte before off that is not a space
// or a tab.
func (t *Text) BackBlanks(off int) int {
	for off > 0 && (t.Src[off-1] == ' ' || t.Src[off-1] == '\t') {
		off--
	}
	return off
}

// StartsLine reports whether only blanks precede off on its line.
func (t *Text) StartsLine(off int) bool { return t.BackBlanks(off) == t.LineStart(off) }

// blank reports whether the line starting at off holds only white space.
func (t *Text) blank(off int) bool { return t.SkipBlanks(off) == t.LineEnd(off) }

// HasFinalNewline reports whether the file ends with a line ending (an empty file does not
// need one).
func (t *Text) HasFinalNewline() bool {
	return len(t.Src) == 0 || t.Src[len(t.Src)-1] == '\n'
}

// comment returns where a comment starting at off ends (off when none starts there). A
// line comment ends before the line ending; a block comment after its "*/".
func (t *Text) comment(off int) int {
	rest := t.Src[off:]
	for _, m := range t.syntax.LineComments {
		if bytes.HasPrefix(rest, []byte(m)) {
			return t.LineEnd(off)
		}
	}
	if t.syntax.BlockComments && bytes.HasPrefix(rest, []byte("/*")) {
		if i := bytes.Index(rest[2:], []byte("*/")); i >= 0 {
			return off + 2 + i + 2
		}
	}
	return off
}

// Tail returns the end of what follows an element at end on its line and goes with it: a
// comma and a comment. It also reports whether the line ends there.
func (t *Text) Tail(end int) (tail int, eol bool) {
	off := t.SkipBlanks(end)
	if off < len(t.Src) && t.Src[off] == ',' {
		off = t.SkipBlanks(off + 1)
	}
	if c := t.comment(off); c > off {
		off = t.SkipBlanks(c)
	}
	if off == t.LineEnd(off) {
		return off, true
	}
	return end, false
}

// commentOnly reports whether the line starting at off holds a comment and nothing else.
func (t *Text) commentOnly(off int) bool {
	start := t.SkipBlanks(off)
	end := t.comment(start)
	return end > start && t.SkipBlanks(end) == t.LineEnd(start)
}

// attachedComments returns where the comment lines directly above the line starting at off
// start: they describe what is on that line, and go with it.
func (t *Text) attachedComments(off int) int {
	for off > 0 {
		prev := t.LineStart(off - 1)
		if !t.commentOnly(prev) {
			break
		}
		off = prev
	}
	return off
}

// RemoveLines deletes the lines from the one holding start to the one holding end, with
// the comment lines directly above them. first and last say whether no sibling precedes
// or follows them in their parent: blank lines then do not pile up, no blank line is left
// after an opening line or before a closing one, and a file without a final newline stays
// without one.
func (t *Text) RemoveLines(start, end int, first, last bool) Edit {
	from, to := t.attachedComments(t.LineStart(start)), t.NextLine(end)
	prevBlank := from > 0 && t.blank(t.LineStart(from-1))
	nextBlank := to < len(t.Src) && t.blank(to)
	switch {
	case nextBlank && (prevBlank || first):
		to = t.NextLine(to)
	case prevBlank && last:
		from = t.LineStart(from - 1)
	}
	if to == len(t.Src) && !t.HasFinalNewline() && from > 0 {
		from = t.LineEnd(from - 1) // the kept line before becomes the last, without its newline
	}
	return t.Edit(from, to, "")
}

// Span is the byte range [Start, End) of an element of a list or mapping: an item, or a
// key through its value.
type Span struct{ Start, End int }

// Seq is a sequence of elements: a bracketed, comma-separated one (an HCL list or object,
// a YAML flow collection, a JSON array or object), or one whose elements each have lines of
// their own (the blocks of a Terraform file, the entries of a YAML block mapping).
type Seq struct {
	// Open and Close are the offsets of the brackets, -1 when there are none.
	Open, Close int
	Elems       []Span
}

// Remove deletes the elements whose indexes are in drop (sorted, without duplicates) with
// their separators: each run of consecutive dropped elements goes whole, with its lines
// when it has lines of its own, and the comma that would dangle goes with it. Removing
// every element of a bracketed sequence leaves the brackets empty.
func (t *Text) Remove(s Seq, drop []int) []Edit {
	if len(drop) == len(s.Elems) && s.Open >= 0 {
		return []Edit{t.Edit(s.Open+1, s.Close, "")}
	}
	var edits []Edit
	for _, run := range Runs(drop) {
		edits = append(edits, t.removeRun(s, run[0], run[1]))
	}
	return edits
}

// Runs splits sorted indexes into runs of consecutive ones, as [first, last] pairs.
func Runs(idx []int) [][2]int {
	var out [][2]int
	for _, i := range idx {
		if n := len(out); n > 0 && out[n-1][1] == i-1 {
			out[n-1][1] = i
			continue
		}
		out = append(out, [2]int{i, i})
	}
	return out
}

// removeRun deletes the elements i..j of s, not all of them.
func (t *Text) removeRun(s Seq, i, j int) Edit {
	start, end := s.Elems[i].Start, s.Elems[j].End
	tail, eol := t.Tail(end)
	lastOne := j == len(s.Elems)-1
	ownLines := s.Open < 0 || eol && t.StartsLine(start)
	switch {
	case ownLines && (!lastOne || t.syntax.TrailingComma):
		return t.RemoveLines(start, tail, i == 0, lastOne)
	case lastOne && ownLines:
		// The comma after the previous element would dangle: it goes, with the lines.
		return t.Edit(s.Elems[i-1].End, t.LineEnd(tail), "")
	case lastOne:
		return t.Edit(s.Elems[i-1].End, end, "")
	}
	return t.Edit(start, s.Elems[j+1].Start, "")
}
