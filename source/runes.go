package source

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"
)

// runeStride is how many bytes apart the rune index keeps a checkpoint: a lookup decodes
// at most about this many bytes.
const runeStride = 256

// runeIndex keeps, at a rune boundary about every runeStride bytes, how many code points
// and UTF-16 units the file holds before it, so that columns on a long non-ASCII line
// cost a search and a short decode instead of a walk from the line start. Decoding from a
// checkpoint gives the same runes as decoding from the line start, because both are rune
// boundaries of the same decode.
type runeIndex []runeMark

type runeMark struct{ byte, runes, units int }

func newRuneIndex(src []byte) runeIndex {
	idx := make(runeIndex, 1, len(src)/runeStride+1)
	m := runeMark{}
	next := runeStride
	for m.byte < len(src) {
		r, size := utf8.DecodeRune(src[m.byte:])
		m.byte += size
		m.runes++
		m.units += unitLen(r)
		if m.byte >= next {
			idx = append(idx, m)
			next = m.byte + runeStride
		}
	}
	return idx
}

// unitLen is the UTF-16 length of r; an invalid byte decodes to U+FFFD, one unit.
func unitLen(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// count returns the counts before byte offset off, decoding from the checkpoint before it.
func (idx runeIndex) count(src []byte, off int) runeMark {
	i := sort.Search(len(idx), func(i int) bool { return idx[i].byte > off }) - 1
	m := idx[i]
	for m.byte < off {
		r, size := utf8.DecodeRune(src[m.byte:off])
		m.byte += size
		m.runes++
		m.units += unitLen(r)
	}
	return m
}

// offset returns the byte offset before which the file holds n code points, or the end
// of the file.
func (idx runeIndex) offset(src []byte, n int) int {
	i := sort.Search(len(idx), func(i int) bool { return idx[i].runes > n }) - 1
	off, runes := idx[i].byte, idx[i].runes
	for runes < n && off < len(src) {
		_, size := utf8.DecodeRune(src[off:])
		off += size
		runes++
	}
	return off
}
