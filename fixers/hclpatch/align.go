package hclpatch

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/fixers/patch"
)

// terraform fmt aligns the `=` of consecutive attribute lines, and the trailing comments
// of consecutive commented lines (hclwrite's formatCells). An edit can break that: a longer
// name is added, the longest one is removed, a value before a comment changes length, a
// value now spans lines. align re-aligns the chains of lines that the edits touch, but only
// chains whose original lines were aligned: a file that does not follow terraform fmt
// keeps its own spacing, and no other line changes.

// gap is white space an alignment sets: before `=`, or before a trailing comment.
type gap struct {
	start, end int  // the white space; end < 0 when the line has no such gap
	cols       int  // the columns of the text before it on its line
	spaces     bool // the white space is spaces only
}

// cells is a line split as hclwrite splits it for alignment.
type cells struct {
	start   int // where the line starts
	eq      gap // before the line's `=`
	comment gap // before the line's trailing comment
	// open says the expression after `=` continues on the next lines (`tags = {`): such a
	// line is no assignment to align, and terraform fmt gives its `=` one space.
	open bool
}

// A kind of gap is found on some lines; a chain of consecutive lines with it is aligned,
// unless each line is a chain of its own. The comments come last: they align after the
// `=` signs moved.
type kind struct {
	find    func(cells) (gap, bool)
	single  bool
	comment bool
}

var kinds = []kind{
	{find: func(c cells) (gap, bool) { return c.eq, c.eq.end >= 0 && !c.open }},
	{find: func(c cells) (gap, bool) { return c.eq, c.eq.end >= 0 && c.open }, single: true},
	{find: func(c cells) (gap, bool) { return c.comment, c.comment.end >= 0 }, comment: true},
}

// original is what alignment needs of the file as read, computed once per Doc: the fix
// engine plans many fixes against one file.
type original struct {
	once  sync.Once
	lines []cells // nil when the file does not lex
	kept  map[int]bool
}

// load returns the lines of src and the starts of the gaps terraform fmt keeps as they are.
func (o *original) load(src []byte) ([]cells, map[int]bool) {
	o.once.Do(func() {
		o.lines, _ = splitCells(src, 0)
		o.kept = map[int]bool{}
		for _, k := range kinds {
			maps.Copy(o.kept, alignedGaps(o.lines, k))
		}
	})
	return o.lines, o.kept
}

// window returns the span of whole lines of the original around the edits that holds
// every chain they may change: it ends with lines that belong to no chain.
func window(lines []cells, size int, edits []patch.Edit) (start, end int) {
	alignable := func(i int) bool { return lines[i].eq.end >= 0 || lines[i].comment.end >= 0 }
	first, last := lineAt(lines, edits[0].Start), lineAt(lines, edits[len(edits)-1].End)
	for first > 0 && alignable(first-1) {
		first--
	}
	for last+1 < len(lines) && alignable(last+1) {
		last++
	}
	first, last = max(0, first-1), min(len(lines)-1, last+1)
	end = size
	if last+1 < len(lines) {
		end = lines[last+1].start
	}
	return lines[first].start, end
}

// lineAt returns the index of the line holding off.
func lineAt(lines []cells, off int) int {
	i, found := slices.BinarySearchFunc(lines, off, func(c cells, off int) int { return c.start - off })
	if !found {
		i--
	}
	return max(0, i)
}

// align returns the normalized edits with the gaps of the touched chains re-aligned: gaps
// in the original text get edits of their own, gaps in inserted text are set in place.
// Only the lines around the edits are read again. When the edits leave a text that does
// not lex, they are returned as they are: verification reports such a file.
func (d *Doc) align(edits []patch.Edit) []patch.Edit {
	orig, wasAligned := d.orig.load(d.t.Src)
	if len(orig) == 0 || len(edits) == 0 {
		return edits
	}
	ws, we := window(orig, len(d.t.Src), edits)
	local := slices.Clone(edits)
	for i := range local {
		local[i].Start, local[i].End = local[i].Start-ws, local[i].End-ws
	}
	win, err := patch.Apply(d.t.Src[ws:we], local)
	if err != nil {
		return edits
	}
	// The window starts in text the edits leave alone: an offset of the patched window is
	// one of the patched file less ws.
	after, ok := splitCells(win, ws)
	if !ok {
		return edits
	}
	m := mapping{edits: edits}
	touched := m.touched(after, ws+len(win))
	var sets []set
	moved := map[int]int{} // by line: how many columns its `=` moves
	for _, k := range kinds {
		for _, c := range chains(after, k) {
			for i, line := range c.lines {
				c.gaps[i].cols += moved[line]
			}
			if !c.touches(touched) || !m.keeps(c.gaps, wasAligned) {
				continue
			}
			for _, s := range c.realign() {
				sets = append(sets, s)
				if !k.comment {
					moved[s.line] = s.spaces - (s.end - s.start)
				}
			}
		}
	}
	return m.apply(d.t, sets)
}

// set replaces the gap [start, end) of a line of the patched text with spaces.
type set struct {
	line       int
	start, end int
	spaces     int
}

// chain is a run of consecutive lines with the same kind of gap.
type chain struct {
	lines []int // indexes into the lines
	gaps  []gap
}

func chains(lines []cells, k kind) []chain {
	var out []chain
	var cur chain
	for i, c := range lines {
		g, ok := k.find(c)
		if !ok || k.single && len(cur.lines) > 0 {
			if len(cur.lines) > 0 {
				out = append(out, cur)
			}
			cur = chain{}
		}
		if !ok {
			continue
		}
		cur.lines = append(cur.lines, i)
		cur.gaps = append(cur.gaps, g)
	}
	if len(cur.lines) > 0 {
		out = append(out, cur)
	}
	return out
}

func (c chain) touches(touched map[int]bool) bool {
	return slices.ContainsFunc(c.lines, func(i int) bool { return touched[i] })
}

// realign returns the sets that give every gap of the chain the width terraform fmt gives
// it: one space after the widest text before it.
func (c chain) realign() []set {
	widest := 0
	for _, g := range c.gaps {
		widest = max(widest, g.cols)
	}
	var out []set
	for i, g := range c.gaps {
		if want := widest - g.cols + 1; !g.spaces || g.end-g.start != want {
			out = append(out, set{c.lines[i], g.start, g.end, want})
		}
	}
	return out
}

// alignedGaps returns the start of every gap of the lines that terraform fmt would leave
// as it is.
func alignedGaps(lines []cells, k kind) map[int]bool {
	ok := map[int]bool{}
	for _, c := range chains(lines, k) {
		aligned := len(c.realign()) == 0
		for _, g := range c.gaps {
			ok[g.start] = aligned
		}
	}
	return ok
}

// splitCells splits src into lines and cells as hclwrite does: a line ends after a newline
// token or a line comment, which holds its newline. Offsets are those of src plus base;
// false when src does not lex.
func splitCells(src []byte, base int) ([]cells, bool) {
	tokens, diags := hclsyntax.LexConfig(src, "", hcl.Pos{Byte: base, Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, false
	}
	var out []cells
	start, first := base, 0
	for i, tok := range tokens {
		switch {
		case tok.Type == hclsyntax.TokenEOF:
			return append(out, lineCells(tokens[first:i], start, src, base)), true
		case tok.Type == hclsyntax.TokenNewline, tok.Type == hclsyntax.TokenComment && bytes.HasSuffix(tok.Bytes, []byte("\n")):
			out = append(out, lineCells(tokens[first:i+1], start, src, base))
			start, first = tok.Range.End.Byte, i+1
		}
	}
	return out, true
}

// lineCells finds the cells of one line's tokens (its newline token included).
func lineCells(line hclsyntax.Tokens, start int, src []byte, base int) cells {
	c := cells{start: start, eq: gap{end: -1}, comment: gap{end: -1}}
	measure := func(from, to int) gap {
		ws := src[from-base : to-base]
		return gap{start: from, end: to, cols: columns(src[start-base : from-base]), spaces: len(bytes.Trim(ws, " ")) == 0}
	}
	lead := line
	body := start
	if n := len(lead); n > 1 && lead[n-1].Type == hclsyntax.TokenComment {
		lead = lead[:n-1]
		for _, tok := range lead {
			if tok.Type != hclsyntax.TokenNewline {
				body = tok.Range.End.Byte
			}
		}
		c.comment = measure(body, line[n-1].Range.Start.Byte)
	}
	for i, tok := range lead {
		if i > 0 && tok.Type == hclsyntax.TokenEqual {
			c.eq, c.open = measure(lead[i-1].Range.End.Byte, tok.Range.Start.Byte), brackets(lead[i:]) != 0
			break
		}
	}
	return c
}

// brackets is the net number of brackets the tokens open, as hclwrite counts them.
func brackets(tokens hclsyntax.Tokens) int {
	n := 0
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateControl, hclsyntax.TokenTemplateInterp:
			n++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			n--
		}
	}
	return n
}

// columns counts the columns text takes, in code points (hclwrite counts grapheme
// clusters, which differ only for combining sequences before an `=`).
func columns(text []byte) int { return utf8.RuneCount(text) }

// mapping relates the patched text to the original through the normalized edits.
type mapping struct{ edits []patch.Edit }

// at returns, for an offset of the patched text, the edit whose new text holds it and the
// offset in that text, or -1 and the offset in the original when it was copied.
func (m mapping) at(off int) (edit, pos int) {
	delta := 0
	for i, e := range m.edits {
		start := e.Start + delta
		if off < start {
			break
		}
		if off < start+len(e.New) {
			return i, off - start
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return -1, off - delta
}

// touched returns the lines of the patched text that hold an edit, and the lines next to
// them: an edit that splits a chain (a value that now spans lines) changes the alignment
// of the lines around it.
func (m mapping) touched(lines []cells, size int) map[int]bool {
	out := map[int]bool{}
	delta := 0
	for _, e := range m.edits {
		from := e.Start + delta
		to := from + len(e.New)
		for i, c := range lines {
			end := size + 1
			if i+1 < len(lines) {
				end = lines[i+1].start
			}
			if c.start <= to && end > from-1 {
				out[i-1], out[i], out[i+1] = true, true, true
			}
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return out
}

// keeps reports whether every gap copied from the original was aligned there: only then
// does the file follow terraform fmt's alignment, to be kept.
func (m mapping) keeps(gaps []gap, wasAligned map[int]bool) bool {
	for _, g := range gaps {
		if e, pos := m.at(g.start); e < 0 && !wasAligned[pos] {
			return false
		}
	}
	return true
}

// apply turns sets of the patched text into edits: a gap copied from the original gets
// an edit of its own, one inside an edit's new text is set there.
func (m mapping) apply(t *patch.Text, sets []set) []patch.Edit {
	edits := slices.Clone(m.edits)
	type local struct{ edit, start, end, spaces int }
	var locals []local
	for _, s := range sets {
		last := max(s.start, s.end-1)
		ea, pa := m.at(s.start)
		eb, pb := m.at(last)
		switch {
		case ea < 0 && eb < 0 && pb-pa == last-s.start:
			edits = append(edits, t.Edit(pa, pa+s.end-s.start, strings.Repeat(" ", s.spaces)))
		case ea >= 0 && ea == eb:
			locals = append(locals, local{ea, pa, pa + s.end - s.start, s.spaces})
		}
	}
	// Set gaps inside new text from the last, so that the earlier offsets stay valid.
	slices.SortFunc(locals, func(a, b local) int { return b.start - a.start })
	for _, l := range locals {
		e := &edits[l.edit]
		e.New = e.New[:l.start] + strings.Repeat(" ", l.spaces) + e.New[l.end:]
	}
	out, err := patch.Normalize(edits, len(t.Src))
	if err != nil {
		return m.edits // a gap straddling an edit: leave the alignment alone
	}
	return out
}
