package fixers

import (
	"bytes"
	"fmt"
	"io"
)

// context is the number of unchanged lines shown around each change, as in `diff -u`.
const context = 3

// Diff writes a unified diff of the edits to one file. Because the edits are known exactly,
// hunks are built from them directly: each hunk covers the lines the edits touch plus
// context, and hunks closer than twice the context are merged.
func Diff(w io.Writer, path string, src []byte, edits []Edit) error {
	edits, err := Normalize(edits, len(src))
	if err != nil || len(edits) == 0 {
		return err
	}
	lines := splitLines(src)
	var hunks [][]Edit
	for _, e := range edits {
		first, _ := lineSpan(lines, e)
		if n := len(hunks); n > 0 {
			_, prevLast := lineSpan(lines, hunks[n-1][len(hunks[n-1])-1])
			if first-prevLast <= 2*context {
				hunks[n-1] = append(hunks[n-1], e)
				continue
			}
		}
		hunks = append(hunks, []Edit{e})
	}
	fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n", path, path)
	delta := 0
	for _, h := range hunks {
		first, _ := lineSpan(lines, h[0])
		_, last := lineSpan(lines, h[len(h)-1])
		from, to := max(0, first-context), min(len(lines)-1, last+context)
		oldText := bytes.Join(lines[from:to+1], nil)
		base := lineStart(lines, from)
		shifted := make([]Edit, len(h))
		for i, e := range h {
			shifted[i] = Edit{Start: e.Start - base, End: e.End - base, New: e.New}
		}
		newText, err := Apply(oldText, shifted)
		if err != nil {
			return err
		}
		oldLines, newLines := splitLines(oldText), splitLines(newText)
		fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(from+1, len(oldLines)), hunkRange(from+1+delta, len(newLines)))
		delta += len(newLines) - len(oldLines)
		pre, suf := commonEnds(oldLines, newLines)
		writeLines(w, " ", oldLines[:pre])
		writeLines(w, "-", oldLines[pre:len(oldLines)-suf])
		writeLines(w, "+", newLines[pre:len(newLines)-suf])
		writeLines(w, " ", oldLines[len(oldLines)-suf:])
	}
	return nil
}

// commonEnds counts the lines two blocks share at their start and at their end (without
// overlap): the context around the changed middle of a hunk.
func commonEnds(a, b [][]byte) (pre, suf int) {
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	return pre, suf
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
