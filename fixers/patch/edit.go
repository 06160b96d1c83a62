// Package patch is the vocabulary the per-format patchers (hclpatch, yamlpatch, jsonpatch)
// share with package fixers: byte edits of one file, how they are applied, and the line
// and separator arithmetic every format needs to delete or insert text in a file's own
// style. It imports nothing of the patchers, so that fixers can import them.
package patch

import (
	"errors"
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of the file at Path with New. An insertion has
// Start == End; a deletion has New == "".
type Edit struct {
	Path  string `json:"path"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

// ErrOverlap reports two edits of one file that touch the same bytes.
var ErrOverlap = errors.New("overlapping edits")

// ErrOutOfRange reports an edit outside the file.
var ErrOutOfRange = errors.New("edit outside the file")

// Normalize sorts the edits of one file by position, drops exact duplicates (two findings
// can ask for the same fix) and rejects overlaps. Insertions at the same offset keep their
// given order.
func Normalize(edits []Edit, size int) ([]Edit, error) {
	out := make([]Edit, 0, len(edits))
	for _, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > size {
			return nil, fmt.Errorf("%w: %s [%d,%d) in %d bytes", ErrOutOfRange, e.Path, e.Start, e.End, size)
		}
		dup := false
		for _, o := range out {
			if o == e {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	for i := 1; i < len(out); i++ {
		prev, cur := out[i-1], out[i]
		if cur.Start < prev.End || (cur.Start == prev.Start && cur.Start != cur.End && prev.Start != prev.End) {
			return nil, fmt.Errorf("%w: %s [%d,%d) and [%d,%d)", ErrOverlap, cur.Path, prev.Start, prev.End, cur.Start, cur.End)
		}
	}
	return out, nil
}

// Apply applies the edits of one file to src and returns the new content; src is not
// modified.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	edits, err := Normalize(edits, len(src))
	if err != nil {
		return nil, err
	}
	size := len(src)
	for _, e := range edits {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range edits {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}
