// Package jsonpatch turns fix intents into byte edits of a JSON file: a CloudFormation
// template or a Terraform .tf.json file. Only the bytes a change names are replaced,
// deleted or inserted; commas stay right (JSON allows none to dangle), new members follow
// the layout of the object they join (one per line at their siblings' indentation, or on
// one line) and the file's separators (`": "` or `":"`) and line endings.
package jsonpatch

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// ErrUnsupported reports a change this patcher cannot write safely: a value that is not
// where the file has it, a value it cannot render.
var ErrUnsupported = errors.New("not supported in JSON")

// Doc is a JSON file being patched.
type Doc struct {
	t *patch.Text
	// terraform says references are written as "${...}" templates, not CloudFormation
	// intrinsics, and resources can be added.
	terraform bool
	places    map[patch.Span]*place
	keys      map[patch.Span]*place // the place of the object that holds the key at a span
	// colon and comma are the file's separators: with a space after them, or minified.
	colon, comma string
}

type place struct {
	node   *document.Node
	parent *place // nil for the root
	key    *document.Node
}

// New reads f, a CloudFormation template or a Terraform JSON file (format says which).
func New(f *source.File, format graph.Format) (*Doc, error) {
	root, diags := document.ParseJSON(f)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not parse: %w", f.Path, diags)
	}
	d := &Doc{
		t:         patch.NewText(f.Path, f.Src, patch.Syntax{}, "  "),
		terraform: format == graph.TerraformJSON,
		places:    map[patch.Span]*place{},
		keys:      map[patch.Span]*place{},
		colon:     ": ",
		comma:     ", ",
	}
	d.index(&place{node: root})
	d.separators(root)
	return d, nil
}

func (d *Doc) index(p *place) {
	d.places[spanOf(p.node.Range)] = p
	for _, pair := range p.node.Pairs {
		d.keys[spanOf(pair.Key.Range)] = p
		d.index(&place{node: pair.Value, parent: p, key: pair.Key})
	}
	for _, it := range p.node.Items {
		d.index(&place{node: it, parent: p})
	}
}

// separators reads the file's style from its first member: minified files get no spaces.
func (d *Doc) separators(n *document.Node) {
	if len(n.Pairs) == 0 {
		return
	}
	between := d.t.Src[n.Pairs[0].Key.Range.End.Byte:n.Pairs[0].Value.Range.Start.Byte]
	if !strings.ContainsAny(string(between), " \t\r\n") {
		d.colon, d.comma = ":", ","
	}
}

func (d *Doc) find(r source.Range, kind document.Kind) (*place, error) {
	p := d.places[spanOf(r)]
	if p == nil || p.node.Kind != kind {
		return nil, fmt.Errorf("%w: no %s at %d:%d", ErrUnsupported, kindName[kind], r.Start.Line, r.Start.Column)
	}
	return p, nil
}

var kindName = map[document.Kind]string{document.Scalar: "value", document.Mapping: "object", document.Sequence: "array"}

// SetValue replaces target with v, written on one line.
func (d *Doc) SetValue(target, v *graph.Value) ([]patch.Edit, error) {
	p := d.places[spanOf(target.Range)]
	if p == nil {
		return nil, fmt.Errorf("%w: no value at %d:%d", ErrUnsupported, target.Range.Start.Line, target.Range.Start.Column)
	}
	text, err := d.render(v, "", false)
	if err != nil {
		return nil, err
	}
	return []patch.Edit{d.t.Edit(p.node.Range.Start.Byte, p.node.Range.End.Byte, text)}, nil
}

// RemoveItems removes items from an array, with their commas.
func (d *Doc) RemoveItems(list *graph.Value, items []*graph.Value) ([]patch.Edit, error) {
	p, err := d.find(list.Range, document.Sequence)
	if err != nil {
		return nil, err
	}
	elems := make([]patch.Span, len(p.node.Items))
	for i, it := range p.node.Items {
		elems[i] = spanOf(it.Range)
	}
	ranges := make([]source.Range, len(items))
	for i, it := range items {
		ranges[i] = it.Range
	}
	drop, err := indexes(elems, ranges)
	if err != nil {
		return nil, err
	}
	return d.t.Remove(d.seq(p.node, elems), drop), nil
}

// EditMap removes members from the object m and adds new ones after its last member.
func (d *Doc) EditMap(m *graph.Value, remove, add []*graph.Attribute) ([]patch.Edit, error) {
	p, err := d.find(m.Range, document.Mapping)
	if err != nil {
		return nil, err
	}
	keys := make([]source.Range, len(remove))
	for i, a := range remove {
		keys[i] = a.NameRange
	}
	drop, err := indexes(keySpans(p.node), keys)
	if err != nil {
		return nil, err
	}
	return d.editObject(p.node, drop, add)
}

// RemoveResources removes the members that declare resources from the objects that hold
// them.
func (d *Doc) RemoveResources(rs []*graph.Resource) ([]patch.Edit, error) {
	byObject := map[*document.Node][]int{}
	var order []*document.Node
	for _, r := range rs {
		p := d.keys[spanOf(r.Header)]
		if p == nil {
			return nil, fmt.Errorf("%w: %s is not where the file has it", ErrUnsupported, r.ID.Address)
		}
		i, err := indexes(keySpans(p.node), []source.Range{r.Header})
		if err != nil {
			return nil, err
		}
		if byObject[p.node] == nil {
			order = append(order, p.node)
		}
		byObject[p.node] = append(byObject[p.node], i...)
	}
	var edits []patch.Edit
	for _, n := range order {
		drop := byObject[n]
		slices.Sort(drop)
		es, err := d.editObject(n, slices.Compact(drop), nil)
		if err != nil {
			return nil, err
		}
		edits = append(edits, es...)
	}
	return edits, nil
}

// AddResource adds a Terraform resource next to the one after: under its type's object
// when the file has one for kind, else as a new type member right after after's type.
// Data sources ("data.T" kinds), which go under another top-level key, are refused.
func (d *Doc) AddResource(after *graph.Resource, kind graph.Kind, name string, body *graph.Value) ([]patch.Edit, error) {
	names := d.keys[spanOf(after.Header)]
	if !d.terraform || strings.HasPrefix(string(kind), "data.") || names == nil || names.parent == nil || names.parent.node.Kind != document.Mapping {
		return nil, fmt.Errorf("%w: a new %s resource after %s", ErrUnsupported, kind, after.ID.Address)
	}
	types := names.parent.node
	entry := graph.Attr(name, body)
	if existing := types.Get(string(kind)); existing != nil && existing.Kind == document.Mapping {
		return d.editObject(existing, nil, []*graph.Attribute{entry})
	}
	member := graph.Attr(string(kind), graph.MapValue(false, entry))
	pos := slices.IndexFunc(types.Pairs, func(p document.Pair) bool { return p.Value == names.node })
	if pos < 0 {
		return nil, fmt.Errorf("%w: %s is declared in an array", ErrUnsupported, after.ID.Address)
	}
	text, err := d.members(types, []*graph.Attribute{member})
	if err != nil {
		return nil, err
	}
	return []patch.Edit{d.t.Insert(types.Pairs[pos].Value.Range.End.Byte, text)}, nil
}

// Finish sorts the edits, drops duplicates and rejects overlaps.
func (d *Doc) Finish(edits []patch.Edit) ([]patch.Edit, error) {
	return patch.Normalize(edits, len(d.t.Src))
}

// editObject removes the members at drop and adds add after the last member kept.
func (d *Doc) editObject(n *document.Node, drop []int, add []*graph.Attribute) ([]patch.Edit, error) {
	elems := make([]patch.Span, len(n.Pairs))
	for i, pair := range n.Pairs {
		elems[i] = patch.Span{Start: pair.Key.Range.Start.Byte, End: pair.Value.Range.End.Byte}
	}
	s := d.seq(n, elems)
	if len(add) == 0 {
		return d.t.Remove(s, drop), nil
	}
	if len(drop) == len(elems) {
		text, err := d.body(n, add)
		if err != nil {
			return nil, err
		}
		return []patch.Edit{d.t.Edit(s.Open+1, s.Close, text)}, nil
	}
	last := len(elems) - 1
	for slices.Contains(drop, last) {
		last--
	}
	text, err := d.members(n, add)
	if err != nil {
		return nil, err
	}
	return append(d.t.Remove(s, drop), d.t.Insert(elems[last].End, text)), nil
}

// members renders new members to follow the last member of the object n: each on a line
// of its own at the indentation of the first when the object is laid out so, else on the
// same line.
func (d *Doc) members(n *document.Node, add []*graph.Attribute) (string, error) {
	first := n.Pairs[0].Key.Range.Start.Byte
	if !d.t.StartsLine(first) {
		s, err := d.joined(add, "", false, d.comma)
		return d.comma + s, err
	}
	indent := d.t.Indent(first)
	sep := "," + d.t.NL + indent
	s, err := d.joined(add, indent, true, sep)
	return sep + s, err
}

// body renders the whole content of an object that has no member left: on lines of their
// own when the object spans lines, or is empty in an indented file; else on one line.
func (d *Doc) body(n *document.Node, add []*graph.Attribute) (string, error) {
	start, end := n.Range.Start.Byte, n.Range.End.Byte
	spans := d.t.LineStart(start) != d.t.LineStart(end)
	indented := bytes.Contains(d.t.Src, []byte("\n ")) || bytes.Contains(d.t.Src, []byte("\n\t"))
	if !spans && (len(n.Pairs) > 0 || !indented) {
		return d.joined(add, "", false, d.comma)
	}
	outer := d.t.Indent(n.Range.Start.Byte)
	indent := outer + d.t.Unit
	s, err := d.joined(add, indent, true, ","+d.t.NL+indent)
	return d.t.NL + indent + s + d.t.NL + outer, err
}

func (d *Doc) seq(n *document.Node, elems []patch.Span) patch.Seq {
	return patch.Seq{Open: n.Range.Start.Byte, Close: n.Range.End.Byte - 1, Elems: elems}
}

func keySpans(n *document.Node) []patch.Span {
	keys := make([]patch.Span, len(n.Pairs))
	for i, p := range n.Pairs {
		keys[i] = spanOf(p.Key.Range)
	}
	return keys
}

// indexes returns the positions among elems of the spans of want, sorted and without
// duplicates.
func indexes(elems []patch.Span, want []source.Range) ([]int, error) {
	var out []int
	for _, r := range want {
		i := slices.Index(elems, spanOf(r))
		if i < 0 {
			return nil, fmt.Errorf("%w: the element to remove is not where the file has it", ErrUnsupported)
		}
		out = append(out, i)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func spanOf(r source.Range) patch.Span { return patch.Span{Start: r.Start.Byte, End: r.End.Byte} }
