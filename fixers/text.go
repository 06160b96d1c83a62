package fixers

import (
	"bytes"

	"github.com/iacscan/iacscan/source"
)

// doc is a file being patched, with the byte-level questions every patcher asks.
type doc struct {
	f   *source.File
	src []byte
	nl  string // the file's line ending: "\n" or "\r\n"
}

func newDoc(f *source.File) *doc {
	nl := "\n"
	if i := bytes.IndexByte(f.Src, '\n'); i > 0 && f.Src[i-1] == '\r' {
		nl = "\r\n"
	}
	return &doc{f: f, src: f.Src, nl: nl}
}

// lineStart returns the offset of the start of the line holding off.
func (d *doc) lineStart(off int) int {
	return bytes.LastIndexByte(d.src[:off], '\n') + 1
}

// nextLine returns the offset just after the line ending of the line holding off (or the
// end of the file).
func (d *doc) nextLine(off int) int {
	if i := bytes.IndexByte(d.src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(d.src)
}

// indentOf returns the leading white space of the line holding off.
func (d *doc) indentOf(off int) string {
	start := d.lineStart(off)
	end := start
	for end < len(d.src) && (d.src[end] == ' ' || d.src[end] == '\t') {
		end++
	}
	return string(d.src[start:end])
}

// blankBefore reports whether only white space precedes off on its line.
func (d *doc) blankBefore(off int) bool {
	return len(bytes.TrimSpace(d.src[d.lineStart(off):off])) == 0
}

// restIsTrivia reports whether what follows off on its line is only white space, commas or
// a comment (introduced by one of the comment markers).
func (d *doc) restIsTrivia(off int, comments ...string) bool {
	rest := bytes.TrimLeft(d.src[off:d.lineEndExcl(off)], " \t,")
	if len(rest) == 0 {
		return true
	}
	for _, c := range comments {
		if bytes.HasPrefix(rest, []byte(c)) {
			return true
		}
	}
	return false
}

// lineEndExcl returns the offset of the end of the line holding off, before its line ending.
func (d *doc) lineEndExcl(off int) int {
	end := d.nextLine(off)
	if end > off && end > 0 && d.src[end-1] == '\n' {
		end--
		if end > 0 && d.src[end-1] == '\r' {
			end--
		}
	}
	return max(end, off)
}

// wholeLines widens [start, end) to whole lines when nothing but trivia shares them, so a
// removal takes its line with it. It also takes the comment lines directly above (they
// describe what is removed), stopping at a blank line.
func (d *doc) wholeLines(start, end int, comments ...string) (int, int, bool) {
	if !d.blankBefore(start) || !d.restIsTrivia(end, comments...) {
		return start, end, false
	}
	from, to := d.lineStart(start), d.nextLine(end)
	for from > 0 {
		prev := d.lineStart(from - 1)
		text := bytes.TrimSpace(d.src[prev:from])
		if !isComment(text, comments) {
			break
		}
		from = prev
	}
	return from, to, true
}

func isComment(line []byte, markers []string) bool {
	for _, m := range markers {
		if bytes.HasPrefix(line, []byte(m)) {
			return true
		}
	}
	return false
}

// skipSpace returns the first offset at or after off that is not a space or tab.
func (d *doc) skipSpace(off int) int {
	for off < len(d.src) && (d.src[off] == ' ' || d.src[off] == '\t') {
		off++
	}
	return off
}

// skipSpaceBack returns the offset just after the last non-space/tab byte before off.
func (d *doc) skipSpaceBack(off int) int {
	for off > 0 && (d.src[off-1] == ' ' || d.src[off-1] == '\t') {
		off--
	}
	return off
}

// removeInline deletes the element [start, end) from a one-line comma-separated list
// (`[a, b]`, `{a: 1, b: 2}`): with the comma after it, or, for the last element, with the
// comma before it. prevEnd is the end of the previous element (-1 when there is none).
func (d *doc) removeInline(start, end, prevEnd int) Edit {
	after := d.skipSpace(end)
	if after < len(d.src) && d.src[after] == ',' {
		return Edit{Path: d.f.Path, Start: start, End: d.skipSpace(after + 1)}
	}
	if prevEnd >= 0 {
		return Edit{Path: d.f.Path, Start: prevEnd, End: end}
	}
	return Edit{Path: d.f.Path, Start: start, End: end}
}

// indentUnit guesses the file's indentation step: a tab, or the smallest positive
// difference between the indentation of consecutive lines (2 when nothing shows).
func (d *doc) indentUnit() string {
	best, prev := 0, 0
	for _, line := range bytes.Split(d.src, []byte("\n")) {
		trimmed := bytes.TrimLeft(line, " \t")
		if len(bytes.TrimSpace(trimmed)) == 0 {
			continue
		}
		ind := line[:len(line)-len(trimmed)]
		if len(ind) > 0 && ind[0] == '\t' {
			return "\t"
		}
		if n := len(ind); n > prev && (best == 0 || n-prev < best) {
			best = n - prev
		}
		prev = len(ind)
	}
	if best == 0 {
		best = 2
	}
	return string(bytes.Repeat([]byte(" "), best))
}
