// Package source holds what every stage shares about input files: positions, ranges, the
// file with its line index, and diagnostics about the input. It imports nothing of ours.
package source

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// Pos is a position in a file. Line and Column are 1-based, Column counts Unicode code
// points; Byte is the 0-based byte offset.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Range is the half-open span [Start, End) in the file at Path (slash-separated,
// relative to the scanned root).
type Range struct {
	Path  string `json:"path"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"`
}

// IsZero reports whether r was never set.
func (r Range) IsZero() bool { return r.Path == "" && r.Start == (Pos{}) && r.End == (Pos{}) }

// Contains reports whether p lies inside r (by byte offset).
func (r Range) Contains(p Pos) bool { return p.Byte >= r.Start.Byte && p.Byte < r.End.Byte }

// File is one input file: its bytes and the offsets where its lines start.
type File struct {
	Path  string // slash-separated, relative to the scanned root
	Src   []byte
	lines []int  // byte offset of the start of each line
	ascii []bool // whether each line is pure ASCII: then columns are byte counts
	runes runeIndex
}

// NewFile indexes src. The File keeps src; callers must not modify it.
func NewFile(path string, src []byte) *File {
	// Line 1 starts after a UTF-8 byte order mark, which no editor counts as a column.
	first := 0
	if bytes.HasPrefix(src, utf8BOM) {
		first = len(utf8BOM)
	}
	// Sized once, and each line found with a vectorised search and checked for non-ASCII
	// bytes a word at a time: a scan indexes every byte of every file.
	n := bytes.Count(src[first:], newline) + 1
	f := &File{Path: path, Src: src, lines: make([]int, 1, n), ascii: make([]bool, 1, n)}
	f.lines[0] = first
	allASCII := first == 0 // counts from offset 0 take the byte order mark as one rune
	for start := first; ; {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		f.ascii[len(f.ascii)-1] = isASCII(src[start:end])
		allASCII = allASCII && f.ascii[len(f.ascii)-1]
		if end == len(src) {
			break
		}
		start = end + 1
		f.lines = append(f.lines, start)
		f.ascii = append(f.ascii, true)
	}
	if !allASCII {
		f.runes = newRuneIndex(src)
	}
	return f
}

var newline = []byte{'\n'}

// isASCII reports whether b holds no byte of U+0080 or above, eight bytes at a time.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf8BOM is the UTF-8 encoding of U+FEFF, which Windows editors write at the start of a
// file.
var utf8BOM = []byte("\xEF\xBB\xBF")

// LineCount returns the number of lines (a final line without newline counts).
func (f *File) LineCount() int { return len(f.lines) }

// PosAt converts a byte offset into a position. Offsets outside the file are clamped.
func (f *File) PosAt(off int) Pos {
	c := Cursor{f: f} // from the first line, it searches after a few steps
	return c.PosAt(off)
}

// posIn is the position of off, which lies in the line of index i (0-based).
func (f *File) posIn(i, off int) Pos {
	start := f.lines[i]
	if f.ascii[i] {
		return Pos{Line: i + 1, Column: off - start + 1, Byte: off}
	}
	// Long minified lines are common (JSON templates): counting runes from the line start
	// on every call would make position lookups quadratic, the index keeps them bounded.
	return Pos{Line: i + 1, Column: f.RuneCount(start, off) + 1, Byte: off}
}

// RuneCount returns how many code points (an invalid byte counting as one, as
// utf8.RuneCount does) lie in Src[from:to], in time independent of the distance when
// from is the start of a line or another rune boundary.
func (f *File) RuneCount(from, to int) int { return f.span(from, to).runes }

// UTF16Count returns how many UTF-16 code units Src[from:to] takes (an invalid byte takes
// one, as U+FFFD does), the unit SARIF columns count in, with RuneCount's cost.
func (f *File) UTF16Count(from, to int) int { return f.span(from, to).units }

// span counts the code points and UTF-16 units of Src[from:to], clamped to the file.
func (f *File) span(from, to int) runeMark {
	from, to = max(0, min(from, len(f.Src))), max(0, min(to, len(f.Src)))
	switch {
	case to <= from:
		return runeMark{}
	case f.runes == nil: // ASCII: one code point and one unit a byte
		return runeMark{byte: to - from, runes: to - from, units: to - from}
	}
	a, b := f.runes.count(f.Src, from), f.runes.count(f.Src, to)
	return runeMark{byte: to - from, runes: b.runes - a.runes, units: b.units - a.units}
}

// RuneOffset returns the byte offset n code points after the rune boundary from, clamped
// to the end of the file.
func (f *File) RuneOffset(from, n int) int {
	from = max(0, min(from, len(f.Src)))
	if n <= 0 {
		return from
	}
	if f.runes == nil {
		return min(from+n, len(f.Src))
	}
	return f.runes.offset(f.Src, f.runes.count(f.Src, from).runes+n)
}

// Offset converts a 1-based line and code-point column into a byte offset, as needed for
// parsers (yaml.v3) that report only line and column. Out-of-range input is clamped.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Src)
	}
	return min(f.RuneOffset(f.lines[line-1], col-1), f.LineEnd(line))
}

// LineEnd returns the byte offset of the end of a line, before its "\n" or "\r\n".
func (f *File) LineEnd(line int) int {
	if line < 1 || line > len(f.lines) {
		return len(f.Src)
	}
	end := len(f.Src)
	if line < len(f.lines) {
		end = f.lines[line] - 1
	}
	if end > f.lines[line-1] && f.Src[end-1] == '\r' {
		end--
	}
	return end
}

// Line returns the text of a 1-based line without its line ending.
func (f *File) Line(line int) []byte {
	if line < 1 || line > len(f.lines) {
		return nil
	}
	return f.Src[f.lines[line-1]:f.LineEnd(line)]
}

// Range builds a Range of this file from two byte offsets.
func (f *File) Range(start, end int) Range {
	return Range{Path: f.Path, Start: f.PosAt(start), End: f.PosAt(end)}
}
