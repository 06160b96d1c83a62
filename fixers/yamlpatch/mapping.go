package yamlpatch

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// editMapping removes the entries at drop from the mapping at p and adds add after the
// last one.
func (d *Doc) editMapping(p *place, drop []int, add []*graph.Attribute) ([]patch.Edit, error) {
	pairs := ownPairs(p.node)
	elems := make([]patch.Span, len(pairs))
	for i, pair := range pairs {
		elems[i] = patch.Span{Start: pair.Key.Range.Start.Byte, End: pair.Value.Range.End.Byte}
	}
	if p.node.Style == document.Flow {
		s, err := d.flowSeq(p.node, elems)
		if err != nil {
			return nil, err
		}
		return d.editFlow(s, drop, add)
	}
	return d.editBlock(p, elems, drop, add)
}

// editFlow edits a flow mapping inside its braces: new entries follow the last one kept,
// on its line or, in a mapping written one entry per line, each on a line of its own.
func (d *Doc) editFlow(s patch.Seq, drop []int, add []*graph.Attribute) ([]patch.Edit, error) {
	entries := make([]string, len(add))
	for i, a := range add {
		v, err := d.inline(a.Value, document.Plain, true)
		if err != nil {
			return nil, err
		}
		entries[i] = d.key(a.Name, true) + ": " + v
	}
	last := len(s.Elems) - 1 // the last entry kept
	for last >= 0 && slices.Contains(drop, last) {
		last--
	}
	switch {
	case len(add) == 0:
		return d.t.Remove(s, drop), nil
	case last < 0:
		return []patch.Edit{d.t.Edit(s.Open+1, s.Close, strings.Join(entries, ", "))}, nil
	}
	sep := ", "
	if d.t.StartsLine(s.Elems[0].Start) {
		sep = "," + d.t.NL + d.t.Indent(s.Elems[0].Start)
	}
	insert := d.t.Insert(s.Elems[last].End, sep+strings.Join(entries, sep))
	return append(d.t.Remove(s, drop), insert), nil
}

// editBlock edits a block mapping: removed entries go with their lines, new ones are
// added after the last entry at the indentation of the first.
func (d *Doc) editBlock(p *place, elems []patch.Span, drop []int, add []*graph.Attribute) ([]patch.Edit, error) {
	if len(elems) == 0 {
		return nil, fmt.Errorf("%w: an empty block mapping", ErrUnsupported)
	}
	first, last := elems[0], elems[len(elems)-1]
	indent := d.indentAt(first.Start)
	tail, eol := d.t.Tail(last.End)
	if !eol {
		return nil, fmt.Errorf("%w: a mapping that ends inside a line", ErrUnsupported)
	}
	if len(drop) == len(elems) {
		if len(add) == 0 {
			return d.emptied(p, elems, "{}")
		}
		text, err := d.blockEntries(add, indent)
		if err != nil {
			return nil, err
		}
		// The new entries take the place of the old ones, from the first key on.
		return []patch.Edit{d.t.Edit(first.Start, tail, strings.TrimSuffix(strings.TrimPrefix(text, indent), d.t.NL))}, nil
	}
	var edits []patch.Edit
	for _, run := range patch.Runs(drop) {
		i, j := run[0], run[1]
		if i == 0 && !d.t.StartsLine(first.Start) {
			// The first entry of a sequence item shares the dash's line: the next kept
			// entry moves up to it.
			edits = append(edits, d.t.Edit(first.Start, elems[j+1].Start, ""))
			continue
		}
		end, _ := d.t.Tail(elems[j].End)
		edits = append(edits, d.t.RemoveLines(elems[i].Start, end, i == 0, j == len(elems)-1))
	}
	if len(add) == 0 {
		return edits, nil
	}
	text, err := d.blockEntries(add, indent)
	if err != nil {
		return nil, err
	}
	return append(edits, d.appendLines(d.t.NextLine(tail), text)), nil
}

// appendLines inserts whole lines at off, the start of a line; at the end of a file
// without a final newline, the file still ends without one.
func (d *Doc) appendLines(off int, text string) patch.Edit {
	if off == len(d.t.Src) && !d.t.HasFinalNewline() {
		return d.t.Insert(off, d.t.NL+strings.TrimSuffix(text, d.t.NL))
	}
	return d.t.Insert(off, text)
}

// emptied removes every element of the block collection at p, whose spans are elems,
// leaving the empty flow collection empty in its place (`Key: {}`), so that the key keeps
// a collection rather than becoming null.
func (d *Doc) emptied(p *place, elems []patch.Span, empty string) ([]patch.Edit, error) {
	end, _ := d.t.Tail(elems[len(elems)-1].End)
	if p.parent != nil && p.parent.Kind == document.Sequence {
		return []patch.Edit{d.t.Edit(elems[0].Start, end, empty)}, nil // `- {}`
	}
	if p.key == nil || p.parent.Style == document.Flow {
		return nil, fmt.Errorf("%w: emptying a collection that has no key", ErrUnsupported)
	}
	colon := d.t.SkipBlanks(p.key.Range.End.Byte)
	if colon >= len(d.t.Src) || d.t.Src[colon] != ':' || d.t.LineStart(elems[0].Start) <= colon {
		return nil, fmt.Errorf("%w: a collection on its key's line", ErrUnsupported)
	}
	return []patch.Edit{
		d.t.Insert(colon+1, " "+empty),
		d.t.RemoveLines(elems[0].Start, end, true, true),
	}, nil
}

// fillNull turns the empty value at p (`Properties:`, `Properties: ~`) into a mapping of
// the new entries: a block mapping under a block key, a flow mapping in flow context.
func (d *Doc) fillNull(p *place, add []*graph.Attribute) ([]patch.Edit, error) {
	n := p.node
	start, end := n.Range.Start.Byte, n.Range.End.Byte
	if p.flow {
		text, err := d.inline(graph.MapValue(false, add...), document.Plain, true)
		return []patch.Edit{d.t.Edit(start, end, d.valuePrefix(p)+text)}, err
	}
	if p.key == nil {
		return nil, fmt.Errorf("%w: an empty document", ErrUnsupported)
	}
	text, err := d.blockEntries(add, d.indentAt(p.key.Range.Start.Byte)+d.t.Unit)
	if err != nil {
		return nil, err
	}
	edits := []patch.Edit{d.t.Insert(d.t.LineEnd(end), d.t.NL+strings.TrimSuffix(text, d.t.NL))}
	if start < end { // `~` or `null` goes, with the space before it
		edits = append(edits, d.t.Edit(d.t.BackBlanks(start), end, ""))
	}
	return edits, nil
}

// flowSeq returns the brackets and elements of a flow collection.
func (d *Doc) flowSeq(n *document.Node, elems []patch.Span) (patch.Seq, error) {
	start, end := n.Range.Start.Byte, n.Range.End.Byte
	open, closing := byte('['), byte(']')
	if n.Kind == document.Mapping {
		open, closing = '{', '}'
	}
	i := bytes.IndexByte(d.t.Src[start:end], open) // after a tag or an anchor, which hold no bracket
	if i < 0 || d.t.Src[end-1] != closing {
		return patch.Seq{}, fmt.Errorf("%w: a flow collection without brackets", ErrUnsupported)
	}
	return patch.Seq{Open: start + i, Close: end - 1, Elems: elems}, nil
}

// ownPairs returns the entries written in the mapping itself, not brought in by a merge
// key (they come last).
func ownPairs(n *document.Node) []document.Pair {
	return slices.DeleteFunc(slices.Clone(n.Pairs), func(p document.Pair) bool { return p.Merged })
}

func keyNodes(n *document.Node) []*document.Node {
	pairs := ownPairs(n)
	keys := make([]*document.Node, len(pairs))
	for i, p := range pairs {
		keys[i] = p.Key
	}
	return keys
}

// indexes returns the positions among nodes of the nodes at the ranges of want, sorted and
// without duplicates.
func indexes(nodes []*document.Node, want []source.Range) ([]int, error) {
	var out []int
	for _, w := range want {
		i := slices.IndexFunc(nodes, func(n *document.Node) bool { return spanOf(n.Range) == spanOf(w) })
		if i < 0 {
			return nil, fmt.Errorf("%w: the element to remove is not where the file has it", ErrUnsupported)
		}
		out = append(out, i)
	}
	return sortedSet(out), nil
}

func sortedSet(idx []int) []int {
	slices.Sort(idx)
	return slices.Compact(idx)
}

// column returns the column of off in code points: YAML indentation is counted so.
func (d *Doc) column(off int) int {
	return d.f.RuneCount(d.t.LineStart(off), off) // indexed: a long flow line stays linear
}

// indentAt returns the spaces that indent a line to the column of off.
func (d *Doc) indentAt(off int) string { return strings.Repeat(" ", d.column(off)) }

func spanOf(r source.Range) patch.Span { return patch.Span{Start: r.Start.Byte, End: r.End.Byte} }

func spans(nodes []*document.Node) []patch.Span {
	out := make([]patch.Span, len(nodes))
	for i, n := range nodes {
		out[i] = spanOf(n.Range)
	}
	return out
}
