// Package yamlpatch turns fix intents into byte edits of a YAML file (a CloudFormation
// template or a serverless.yml). It never re-encodes the document: only the bytes a change
// names are replaced, deleted or inserted. A replaced scalar keeps its quote style, and a
// value with a short tag (`!Ref X`) is replaced from its "!"; new entries follow the style
// of the mapping they join (block mappings at their siblings' indentation, flow mappings
// inside their braces) and the file's line endings.
package yamlpatch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// ErrUnsupported reports a change this patcher cannot write safely: a value that is not
// where the file has it, a layout it does not edit, a value it cannot render.
var ErrUnsupported = errors.New("not supported in YAML")

var syntax = patch.Syntax{LineComments: []string{"#"}, TrailingComma: true}

// Doc is a YAML file being patched.
type Doc struct {
	f      *source.File
	t      *patch.Text
	places map[patch.Span]*place
	keys   map[patch.Span]*place // the place of a mapping that holds the key at a span
	// seqIndent says whether the file indents block sequences under their key.
	seqIndent bool
	// plain remembers which scalars read back as themselves when written plain.
	plain map[plainQuery]bool
}

// place is a node with what surrounds it.
type place struct {
	node   *document.Node
	parent *document.Node // the mapping or sequence holding it; nil for the root
	key    *document.Node // its key, when parent is a mapping
	flow   bool           // inside a flow collection
}

// New reads f. A file with syntax errors, or without a document, is not patched.
func New(f *source.File) (*Doc, error) {
	root, diags := document.ParseYAML(f)
	if diags.HasErrors() || root == nil {
		return nil, fmt.Errorf("%s: %w: no document to patch (%v)", f.Path, ErrUnsupported, diags)
	}
	t := patch.NewText(f.Path, f.Src, syntax, "  ")
	if t.Unit == "\t" { // YAML never indents with tabs: they came from a block scalar
		t.Unit = "  "
	}
	d := &Doc{f: f, t: t, places: map[patch.Span]*place{}, keys: map[patch.Span]*place{}, seqIndent: true, plain: map[plainQuery]bool{}}
	if !d.index(&place{node: root}) {
		return nil, fmt.Errorf("%s: %w: a node does not end where the parser says", f.Path, ErrUnsupported)
	}
	d.seqIndent = d.indentsSequences(root)
	return d, nil
}

// index records p and the places under it, and reports whether every node ends where a
// value can end: edits are only as right as the ranges they replace. The children of an
// alias and the entries a merge key brings in are written elsewhere, and indexed there.
func (d *Doc) index(p *place) bool {
	n := p.node
	sp := spanOf(n.Range)
	if _, dup := d.places[sp]; !dup {
		d.places[sp] = p
	}
	if n.Alias != nil {
		return d.ends(p)
	}
	flow := p.flow || n.Style == document.Flow
	ok := d.ends(p)
	for _, pair := range n.Pairs {
		if pair.Merged {
			continue
		}
		d.keys[spanOf(pair.Key.Range)] = p
		ok = d.index(&place{node: pair.Value, parent: n, key: pair.Key, flow: flow}) && ok
	}
	for _, it := range n.Items {
		ok = d.index(&place{node: it, parent: n, flow: flow}) && ok
	}
	return ok
}

// ends reports whether the node at p is followed by what may follow a value: the end of
// its line or a comment, or in a flow collection a separator or a closing bracket.
func (d *Doc) ends(p *place) bool {
	end := p.node.Range.End.Byte
	next := d.t.SkipBlanks(end)
	switch {
	case next == d.t.LineEnd(next):
		return true
	case d.t.Src[next] == '#':
		return next > end
	}
	return p.flow && strings.IndexByte(",]}:", d.t.Src[next]) >= 0
}

// indentsSequences tells from the first block sequence under a key whether the file
// writes its dashes deeper than the key (the default) or at the key's column.
func (d *Doc) indentsSequences(n *document.Node) bool {
	for _, pair := range n.Pairs {
		v := pair.Value
		if v.Kind == document.Sequence && v.Style != document.Flow && !pair.Merged && v.Alias == nil && len(v.Items) > 0 {
			dash := d.t.BackBlanks(v.Items[0].Range.Start.Byte) - 1
			return d.column(dash) > d.column(pair.Key.Range.Start.Byte)
		}
		if !pair.Merged && !d.indentsSequences(v) {
			return false
		}
	}
	for _, it := range n.Items {
		if !d.indentsSequences(it) {
			return false
		}
	}
	return true
}

// find returns the place of the node at r.
func (d *Doc) find(r source.Range) (*place, error) {
	if p := d.places[spanOf(r)]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("%w: no value at %d:%d", ErrUnsupported, r.Start.Line, r.Start.Column)
}

// SetValue replaces target with v: a scalar in target's quote style, a collection in
// block style where target is a block collection and in flow style elsewhere.
func (d *Doc) SetValue(target, v *graph.Value) ([]patch.Edit, error) {
	p, err := d.find(target.Range)
	if err != nil {
		return nil, err
	}
	n := p.node
	start, end := n.Range.Start.Byte, n.Range.End.Byte
	if blockable(v, p) {
		text, err := d.blockValue(v, d.indentAt(start))
		return []patch.Edit{d.t.Edit(start, end, text)}, err
	}
	text, err := d.inline(v, n.Style, p.flow)
	if err != nil {
		return nil, err
	}
	if colon, ok := d.colonBefore(p); ok {
		// A block collection under its key gives way to a value on the key's line.
		return []patch.Edit{d.t.Edit(colon+1, end, " "+text)}, nil
	}
	return []patch.Edit{d.t.Edit(start, end, d.valuePrefix(p)+text)}, nil
}

// colonBefore returns the colon of the key of the block collection at p when the
// collection starts on a line after it.
func (d *Doc) colonBefore(p *place) (int, bool) {
	n := p.node
	if n.Kind == document.Scalar || n.Style == document.Flow || p.key == nil || p.flow {
		return 0, false
	}
	colon := d.t.SkipBlanks(p.key.Range.End.Byte)
	ok := colon < len(d.t.Src) && d.t.Src[colon] == ':' && d.t.LineStart(colon) < d.t.LineStart(n.Range.Start.Byte)
	return colon, ok
}

// valuePrefix is what goes before a value that replaces the one at p, which may be empty:
// the colon of a flow mapping key written without one (`{key}`), and a space after the
// colon or the dash.
func (d *Doc) valuePrefix(p *place) string {
	start, end := p.node.Range.Start.Byte, p.node.Range.End.Byte
	prev := d.t.BackBlanks(start)
	switch {
	case start < end:
		return ""
	case p.parent != nil && p.parent.Kind == document.Mapping && (prev == 0 || d.t.Src[prev-1] != ':'):
		return ": "
	case start > 0 && (d.t.Src[start-1] == ' ' || d.t.Src[start-1] == '\t'):
		return ""
	}
	return " "
}

// blockable reports whether v replaces the node at p in block style: a non-empty
// collection replacing a block collection.
func blockable(v *graph.Value, p *place) bool {
	n := p.node
	nonEmpty := v.Type == graph.Map && len(v.Attrs) > 0 || v.Type == graph.List && len(v.Items) > 0
	return nonEmpty && n.Kind != document.Scalar && n.Style != document.Flow && n.Alias == nil && !p.flow
}

// RemoveItems removes items from a sequence: a block sequence item with its lines, a flow
// sequence item with its separator.
func (d *Doc) RemoveItems(list *graph.Value, items []*graph.Value) ([]patch.Edit, error) {
	p, err := d.find(list.Range)
	if err != nil {
		return nil, err
	}
	n := p.node
	if n.Kind != document.Sequence || n.Alias != nil {
		return nil, fmt.Errorf("%w: not a sequence", ErrUnsupported)
	}
	ranges := make([]source.Range, len(items))
	for i, it := range items {
		ranges[i] = it.Range
	}
	drop, err := indexes(n.Items, ranges)
	if err != nil {
		return nil, err
	}
	if n.Style == document.Flow {
		s, err := d.flowSeq(n, spans(n.Items))
		if err != nil {
			return nil, err
		}
		return d.t.Remove(s, drop), nil
	}
	elems, err := d.dashedItems(n)
	switch {
	case err != nil:
		return nil, err
	case len(drop) == len(elems):
		return d.emptied(p, elems, "[]")
	}
	return d.t.Remove(patch.Seq{Open: -1, Close: -1, Elems: elems}, drop), nil
}

// dashedItems returns the spans of the items of a block sequence from their dashes, each
// of which must start its line.
func (d *Doc) dashedItems(n *document.Node) ([]patch.Span, error) {
	elems := make([]patch.Span, len(n.Items))
	for i, it := range n.Items {
		dash := d.t.BackBlanks(it.Range.Start.Byte) - 1
		if dash < 0 || d.t.Src[dash] != '-' || !d.t.StartsLine(dash) {
			return nil, fmt.Errorf("%w: a sequence item that does not start its line", ErrUnsupported)
		}
		elems[i] = patch.Span{Start: dash, End: it.Range.End.Byte}
	}
	return elems, nil
}

// EditMap removes entries from the mapping m and adds new ones after its last entry, in
// the mapping's style. m may also be an empty value (`Properties:`), which becomes a block
// mapping.
func (d *Doc) EditMap(m *graph.Value, remove, add []*graph.Attribute) ([]patch.Edit, error) {
	p, err := d.find(m.Range)
	if err != nil {
		return nil, err
	}
	n := p.node
	if n.Kind == document.Scalar && n.Tag == document.NullTag && len(remove) == 0 {
		return d.fillNull(p, add)
	}
	if n.Kind != document.Mapping || n.Alias != nil {
		return nil, fmt.Errorf("%w: not a mapping", ErrUnsupported)
	}
	keys := make([]source.Range, len(remove))
	for i, a := range remove {
		keys[i] = a.NameRange
	}
	drop, err := indexes(keyNodes(n), keys)
	if err != nil {
		return nil, err
	}
	return d.editMapping(p, drop, add)
}

// RemoveResources removes the entries of resources (or serverless functions) from the
// mappings that hold them.
func (d *Doc) RemoveResources(rs []*graph.Resource) ([]patch.Edit, error) {
	byParent := map[*place][]int{}
	var order []*place
	for _, r := range rs {
		p := d.keys[spanOf(r.Header)]
		if p == nil {
			return nil, fmt.Errorf("%w: %s is not where the file has it", ErrUnsupported, r.ID.Address)
		}
		i, err := indexes(keyNodes(p.node), []source.Range{r.Header})
		if err != nil {
			return nil, err
		}
		if byParent[p] == nil {
			order = append(order, p)
		}
		byParent[p] = append(byParent[p], i...)
	}
	var edits []patch.Edit
	for _, p := range order {
		es, err := d.editMapping(p, sortedSet(byParent[p]), nil)
		if err != nil {
			return nil, err
		}
		edits = append(edits, es...)
	}
	return edits, nil
}

// AddResource is for Terraform only: CloudFormation settings are properties.
func (d *Doc) AddResource(after *graph.Resource, kind graph.Kind, _ string, _ *graph.Value) ([]patch.Edit, error) {
	return nil, fmt.Errorf("%w: a new %s resource after %s", ErrUnsupported, kind, after.ID.Address)
}

// Finish sorts the edits, drops duplicates and rejects overlaps.
func (d *Doc) Finish(edits []patch.Edit) ([]patch.Edit, error) {
	return patch.Normalize(edits, len(d.t.Src))
}
