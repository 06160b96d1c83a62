package source

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCursorMatchesPosAt asks a cursor for every offset in increasing order, with jumps of
// every length, and in a random order, and compares each answer with PosAt's, on a file
// with a byte order mark, CRLF and non-ASCII lines and lines of every length.
func TestCursorMatchesPosAt(t *testing.T) {
	var b strings.Builder
	b.WriteString("\xEF\xBB\xBF")
	for i := range 200 {
		b.WriteString(strings.Repeat("é", i%3) + strings.Repeat("x", i%17))
		if i%5 == 0 {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	f := NewFile("c.yaml", []byte(b.String()))
	check := func(c *Cursor, off int) {
		t.Helper()
		if got, want := c.PosAt(off), f.PosAt(off); got != want {
			t.Fatalf("Cursor.PosAt(%d) = %+v, want %+v", off, got, want)
		}
	}
	for stride := 1; stride < 400; stride += 37 {
		c := f.Cursor()
		for off := -1; off <= len(f.Src)+1; off += stride {
			check(c, off)
		}
	}
	c := f.Cursor()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		check(c, rng.IntN(len(f.Src)+2)-1)
	}
	for off := len(f.Src); off >= 0; off-- {
		check(c, off)
	}
	if r := f.Cursor().Range(3, 10); r != f.Range(3, 10) {
		t.Fatalf("Cursor.Range = %+v, want %+v", r, f.Range(3, 10))
	}
}
