package fixers

import (
	"bytes"
	"fmt"
	"io"
)

// contextLines is the number of unchanged lines shown around each change, as in `diff -u`.
const contextLines = 3

// Diff writes a unified diff of the edits to one file. Because the edits are known exactly,
// hunks are built from them directly, without a line-matching algorithm: edits that touch
// the same lines form a change, each change replaces its lines, and changes closer than
// twice the context share a hunk, with the unchanged lines between them as context.
func Diff(w io.Writer, path string, src []byte, edits []Edit) error {
	edits, err := Normalize(edits, len(src))
	if err != nil || len(edits) == 0 {
		return err
	}
	lines := splitLines(src)
	changes, err := lineChanges(src, lines, edits)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n", path, path)
	delta := 0
	for len(changes) > 0 {
		n := 1
		for n < len(changes) && changes[n].first-changes[n-1].last-1 <= 2*contextLines {
			n++
		}
		hunk := changes[:n]
		changes = changes[n:]
		from := max(0, hunk[0].first-contextLines)
		to := min(len(lines)-1, hunk[n-1].last+contextLines)
		var body bytes.Buffer
		oldCount, newCount, at := 0, 0, from
		for _, c := range hunk {
			writeLines(&body, " ", lines[at:c.first])
			writeLines(&body, "-", c.old)
			writeLines(&body, "+", c.new)
			oldCount += c.first - at + len(c.old)
			newCount += c.first - at + len(c.new)
			at = c.last + 1
		}
		writeLines(&body, " ", lines[at:to+1])
		oldCount += to + 1 - at
		newCount += to + 1 - at
		fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(from+1, oldCount), hunkRange(from+1+delta, newCount))
		delta += newCount - oldCount
		if _, err := w.Write(body.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// lineChange replaces the lines first..last (0-based) with new ones.
type lineChange struct {
	first, last int
	old, new    [][]byte
}

// lineChanges groups edits that touch the same lines and renders each group's new lines.
func lineChanges(src []byte, lines [][]byte, edits []Edit) ([]lineChange, error) {
	var out []lineChange
	for i := 0; i < len(edits); {
		first, last := lineSpan(lines, edits[i])
		j := i + 1
		for ; j < len(edits); j++ {
			f, l := lineSpan(lines, edits[j])
			if f > last+1 {
				break
			}
			last = max(last, l)
		}
		base := lineStart(lines, first)
		end := lineStart(lines, last+1)
		group := make([]Edit, j-i)
		for k, e := range edits[i:j] {
			group[k] = Edit{Start: e.Start - base, End: e.End - base, New: e.New}
		}
		text, err := Apply(src[base:end], group)
		if err != nil {
			return nil, err
		}
		out = append(out, trimmed(lineChange{first: first, last: last, old: lines[first : last+1], new: splitLines(text)}))
		i = j
	}
	return out, nil
}

// trimmed moves the lines a change leaves as they were out of it, into context: an
// insertion at the start of a line does not change that line.
func trimmed(c lineChange) lineChange {
	for len(c.old) > 0 && len(c.new) > 0 && bytes.Equal(c.old[0], c.new[0]) {
		c.old, c.new, c.first = c.old[1:], c.new[1:], c.first+1
	}
	for len(c.old) > 0 && len(c.new) > 0 && bytes.Equal(c.old[len(c.old)-1], c.new[len(c.new)-1]) {
		c.old, c.new, c.last = c.old[:len(c.old)-1], c.new[:len(c.new)-1], c.last-1
	}
	return c
}

// writeLines prints lines with a diff prefix, marking a last line without newline.
func writeLines(w io.Writer, prefix string, lines [][]byte) {
	for _, l := range lines {
		text := bytes.TrimRight(l, "\n")
		fmt.Fprintf(w, "%s%s\n", prefix, text)
		if !bytes.HasSuffix(l, []byte("\n")) {
			fmt.Fprintln(w, `\ No newline at end of file`)
		}
	}
}

func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// splitLines splits after each "\n", keeping it; a final line without newline is kept.
func splitLines(src []byte) [][]byte {
	var lines [][]byte
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			lines = append(lines, src)
			break
		}
		lines = append(lines, src[:i+1])
		src = src[i+1:]
	}
	return lines
}

func lineStart(lines [][]byte, n int) int {
	off := 0
	for _, l := range lines[:n] {
		off += len(l)
	}
	return off
}

// lineSpan returns the 0-based first and last lines an edit touches: the line holding its
// first byte (an insertion belongs to the line it is inserted into) and its last byte.
func lineSpan(lines [][]byte, e Edit) (first, last int) {
	first = lineOf(lines, e.Start)
	if e.End == e.Start {
		return first, first
	}
	return first, lineOf(lines, e.End-1)
}

// lineOf returns the 0-based line holding byte off; offsets at the very end belong to the
// last line.
func lineOf(lines [][]byte, off int) int {
	start := 0
	for i, l := range lines {
		if off < start+len(l) {
			return i
		}
		start += len(l)
	}
	return max(0, len(lines)-1)
}
