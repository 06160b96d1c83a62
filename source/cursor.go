package source

import "sort"

// cursorSteps is how many lines a Cursor steps forward before it searches instead.
const cursorSteps = 8

// Cursor converts byte offsets into positions, as File.PosAt does, for a reader that asks
// for them mostly in increasing order, as a parser reading a file front to back does: it
// steps forward from the line of the previous offset instead of searching all the lines.
// Offsets in any order give the right positions; a Cursor is for one goroutine.
type Cursor struct {
	f    *File
	line int // index of the line of the previous offset
}

// Cursor returns a cursor at the start of the file.
func (f *File) Cursor() *Cursor { return &Cursor{f: f} }

// PosAt is File.PosAt.
func (c *Cursor) PosAt(off int) Pos {
	f := c.f
	off = max(0, min(off, len(f.Src)))
	if off < f.lines[0] {
		return Pos{Line: 1, Column: 1, Byte: off} // inside the byte order mark
	}
	i := c.line
	switch {
	case off < f.lines[i]:
		i = sort.Search(i, func(j int) bool { return f.lines[j] > off }) - 1
	default:
		for steps := 0; i+1 < len(f.lines) && f.lines[i+1] <= off; steps++ {
			if steps == cursorSteps {
				rest := f.lines[i+1:]
				i += sort.Search(len(rest), func(j int) bool { return rest[j] > off })
				break
			}
			i++
		}
	}
	c.line = i
	return f.posIn(i, off)
}

// Range is File.Range.
func (c *Cursor) Range(start, end int) Range {
	return Range{Path: c.f.Path, Start: c.PosAt(start), End: c.PosAt(end)}
}
