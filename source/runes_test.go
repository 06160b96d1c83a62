package source

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestRuneIndexMatchesDecoding compares the indexed counts with a walk from the line
// start on long lines mixing ASCII, two-, three- and four-byte runes and invalid bytes,
// at every offset, so that checkpoints falling inside runes are covered.
func TestRuneIndexMatchesDecoding(t *testing.T) {
	pieces := []string{"a", "é", "€", "😀", "\xff", "\xe2\x82", "\t", "bc"}
	var b strings.Builder
	for i := range 3000 {
		b.WriteString(pieces[(i*7+i/5)%len(pieces)])
		if i%1100 == 1099 {
			b.WriteString("\r\n")
		}
	}
	src := []byte(b.String())
	f := NewFile("long.json", src)
	for off := 0; off <= len(src); off++ {
		p := f.PosAt(off)
		start := f.Offset(p.Line, 1)
		if want := utf8.RuneCount(src[start:off]) + 1; p.Column != want {
			t.Fatalf("PosAt(%d).Column = %d, want %d", off, p.Column, want)
		}
		if got, want := f.UTF16Count(start, off), utf16Units(src[start:off]); got != want {
			t.Fatalf("UTF16Count(%d, %d) = %d, want %d", start, off, got, want)
		}
		if got, want := f.Offset(p.Line, p.Column), walkOffset(src, start, f.LineEnd(p.Line), p.Column); got != want {
			t.Fatalf("Offset(%d, %d) = %d, want %d", p.Line, p.Column, got, want)
		}
	}
}

// walkOffset is Offset the slow way: decode col-1 runes from the line start.
func walkOffset(src []byte, off, end, col int) int {
	for c := 1; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(src[off:end])
		off += size
	}
	return off
}

func utf16Units(b []byte) int {
	n := 0
	for _, r := range string(b) {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// TestASCIIFileCounts asserts the counts of a file without a non-ASCII byte, which keeps
// no index.
func TestASCIIFileCounts(t *testing.T) {
	f := NewFile("a.tf", []byte("abc\ndef"))
	if got := f.RuneCount(1, 6); got != 5 {
		t.Fatalf("RuneCount = %d, want 5", got)
	}
	if got := f.RuneOffset(5, 10); got != 7 {
		t.Fatalf("RuneOffset clamped = %d, want 7", got)
	}
	if got := f.Offset(2, 9); got != 7 {
		t.Fatalf("Offset past the line = %d, want 7", got)
	}
}

// TestNewFileIndex compares the line index with a byte-by-byte walk, on files with and
// without a byte order mark, final newline, CRLF and non-ASCII bytes at every position of
// an eight-byte word.
func TestNewFileIndex(t *testing.T) {
	srcs := []string{"", "\n", "a", "a\n", "\n\n", "\xEF\xBB\xBF", "\xEF\xBB\xBFa\nb", "ab\r\ncd\r\n", "é\nx\n€"}
	for i := range 20 {
		srcs = append(srcs, strings.Repeat("x", i)+"é"+strings.Repeat("y", 20-i)+"\nplain line of ascii text\n"+strings.Repeat("z", i)+"\xff")
	}
	for _, src := range srcs {
		f := NewFile("x", []byte(src))
		first := 0
		if strings.HasPrefix(src, "\xEF\xBB\xBF") {
			first = 3
		}
		lines, ascii := []int{first}, []bool{true}
		for i := first; i < len(src); i++ {
			switch {
			case src[i] == '\n':
				lines, ascii = append(lines, i+1), append(ascii, true)
			case src[i] >= utf8.RuneSelf:
				ascii[len(ascii)-1] = false
			}
		}
		if !slices.Equal(f.lines, lines) || !slices.Equal(f.ascii, ascii) {
			t.Errorf("%q: lines %v ascii %v, want %v %v", src, f.lines, f.ascii, lines, ascii)
		}
		if allASCII := first == 0 && !slices.Contains(ascii, false); (f.runes == nil) != allASCII {
			t.Errorf("%q: rune index kept %v, want %v", src, f.runes != nil, !allASCII)
		}
	}
}
