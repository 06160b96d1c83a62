// Package hclpatch turns fix intents into byte edits of a Terraform file in the native
// syntax. Only the bytes a change names are replaced, deleted or inserted; new text
// follows the file's indentation and line endings, new values are written as terraform
// fmt writes them, and the `=` signs and trailing comments of the lines an edit touches are
// re-aligned as terraform fmt aligns them, so that a formatted file stays formatted.
package hclpatch

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// ErrUnsupported reports a change this patcher cannot write safely, such as a value it
// cannot render or a layout it does not edit.
var ErrUnsupported = errors.New("not supported in Terraform native syntax")

var syntax = patch.Syntax{LineComments: []string{"#", "//"}, BlockComments: true, TrailingComma: true}

// Doc is a Terraform file being patched.
type Doc struct {
	t *patch.Text
	// top are the spans of the file's top-level blocks and attributes, in order: the
	// siblings of a resource that is removed.
	top  []patch.Span
	orig original
	// dynamic are the labels of the `dynamic` blocks of each block body, by the offset of
	// the body's opening brace: a new block of such a name would sit beside the blocks the
	// dynamic one generates, which the provider rejects or doubles.
	dynamic map[int][]string
}

// New reads f. A file with syntax errors is not patched.
func New(f *source.File) (*Doc, error) {
	file, diags := hclsyntax.ParseConfig(f.Src, f.Path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not parse: %w", f.Path, diags)
	}
	body := file.Body.(*hclsyntax.Body) // ParseConfig's documented type
	d := &Doc{t: patch.NewText(f.Path, f.Src, syntax, "  ")}
	for _, b := range body.Blocks {
		d.top = append(d.top, patch.Span{Start: b.Range().Start.Byte, End: b.Range().End.Byte})
	}
	for _, a := range body.Attributes {
		d.top = append(d.top, patch.Span{Start: a.SrcRange.Start.Byte, End: a.SrcRange.End.Byte})
	}
	slices.SortFunc(d.top, func(a, b patch.Span) int { return a.Start - b.Start })
	d.dynamic = map[int][]string{}
	d.noteDynamic(body.Blocks)
	return d, nil
}

// noteDynamic records the dynamic blocks of blocks' bodies, at every depth.
func (d *Doc) noteDynamic(blocks hclsyntax.Blocks) {
	for _, b := range blocks {
		for _, inner := range b.Body.Blocks {
			if inner.Type == "dynamic" && len(inner.Labels) == 1 {
				open := b.OpenBraceRange.Start.Byte
				d.dynamic[open] = append(d.dynamic[open], inner.Labels[0])
			}
		}
		d.noteDynamic(b.Body.Blocks)
	}
}

// SetValue replaces the expression target with v.
func (d *Doc) SetValue(target, v *graph.Value) ([]patch.Edit, error) {
	if target.Block {
		return nil, fmt.Errorf("%w: a block replaced by a value", ErrUnsupported)
	}
	start, end := span(target.Range)
	text, err := d.expr(v, d.t.Indent(start))
	if _, eol := d.t.Tail(end); err == nil && !eol && strings.Contains(text, "\n") {
		// The line goes on after the value (a one-line object or list): so does the new one.
		text, err = d.flat(v)
	}
	if err != nil {
		return nil, err
	}
	return []patch.Edit{d.t.Edit(start, end, text)}, nil
}

// RemoveItems removes items from the list expression list, with their separators, and
// with their lines when each has lines of its own.
func (d *Doc) RemoveItems(list *graph.Value, items []*graph.Value) ([]patch.Edit, error) {
	open, closing, ok := d.brackets(list, '[', ']')
	if !ok || list.Type != graph.List {
		return nil, fmt.Errorf("%w: not a list expression", ErrUnsupported)
	}
	elems := make([]patch.Span, len(list.Items))
	for i, it := range list.Items {
		elems[i] = spanOf(it.Range)
	}
	drop, err := indexes(elems, items, func(v *graph.Value) patch.Span { return spanOf(v.Range) })
	if err != nil {
		return nil, err
	}
	return d.t.Remove(patch.Seq{Open: open, Close: closing, Elems: elems}, drop), nil
}

// EditMap removes attributes or nested blocks from m, a block body or an object
// expression, and adds new ones after its last attribute, at the indentation of the
// others: nested blocks for Block maps, separated from their neighbours by a blank line.
func (d *Doc) EditMap(m *graph.Value, remove, add []*graph.Attribute) ([]patch.Edit, error) {
	open, closing, ok := d.brackets(m, '{', '}')
	if !ok || m.Type != graph.Map {
		return nil, fmt.Errorf("%w: not a block or an object", ErrUnsupported)
	}
	elems := make([]patch.Span, len(m.Attrs))
	for i, a := range m.Attrs {
		elems[i] = spanOf(a.Range)
	}
	drop, err := indexes(elems, remove, func(a *graph.Attribute) patch.Span { return spanOf(a.Range) })
	if err != nil {
		return nil, err
	}
	if len(add) == 0 {
		return d.t.Remove(patch.Seq{Open: open, Close: closing, Elems: elems}, drop), nil
	}
	for _, a := range add {
		if slices.Contains(d.dynamic[open], a.Name) {
			return nil, fmt.Errorf("%w: a dynamic %q block of the same body generates it", ErrUnsupported, a.Name)
		}
	}
	if len(drop) == len(elems) {
		// Nothing stays: the new attributes are the whole body.
		text, err := d.entries(add, d.t.Indent(open)+d.t.Unit, nil)
		if err != nil {
			return nil, err
		}
		return []patch.Edit{d.t.Edit(open+1, closing, d.t.NL+text+d.t.Indent(open))}, nil
	}
	edits := d.t.Remove(patch.Seq{Open: open, Close: closing, Elems: elems}, drop)
	insert, err := d.add(m, open, add)
	if err != nil {
		return nil, err
	}
	return append(edits, insert), nil
}

// add inserts attributes into the map m that keeps at least one of its attributes, or
// has none.
func (d *Doc) add(m *graph.Value, open int, add []*graph.Attribute) (patch.Edit, error) {
	if len(m.Attrs) == 0 {
		text, err := d.entries(add, d.t.Indent(open)+d.t.Unit, nil)
		if err != nil {
			return patch.Edit{}, err
		}
		closing := m.Range.End.Byte - 1
		if d.t.StartsLine(closing) {
			return d.t.Insert(d.t.LineStart(closing), text), nil
		}
		return d.t.Edit(open+1, closing, d.t.NL+text+d.t.Indent(open)), nil // `{}`
	}
	first, last := m.Attrs[0], m.Attrs[len(m.Attrs)-1]
	tail, eol := d.t.Tail(last.Range.End.Byte)
	if !d.t.StartsLine(first.Range.Start.Byte) || !eol {
		return patch.Edit{}, fmt.Errorf("%w: adding to a one-line block or object", ErrUnsupported)
	}
	text, err := d.entries(add, d.t.Indent(first.Range.Start.Byte), last)
	if err != nil {
		return patch.Edit{}, err
	}
	return d.t.Insert(d.t.NextLine(tail), text), nil
}

// RemoveResources removes resource blocks with their lines, the comment lines directly
// above them and one of the blank lines around them.
func (d *Doc) RemoveResources(rs []*graph.Resource) ([]patch.Edit, error) {
	drop, err := indexes(d.top, rs, func(r *graph.Resource) patch.Span { return spanOf(r.Range) })
	if err != nil {
		return nil, err
	}
	return d.t.Remove(patch.Seq{Open: -1, Close: -1, Elems: d.top}, drop), nil
}

// AddResource adds `resource "kind" "name" { body }` after the resource after, separated
// from it by a blank line; a kind "data.T" adds the data source `data "T" "name" {}`.
func (d *Doc) AddResource(after *graph.Resource, kind graph.Kind, name string, body *graph.Value) ([]patch.Edit, error) {
	if body.Type != graph.Map {
		return nil, fmt.Errorf("%w: a resource body that is not a map", ErrUnsupported)
	}
	inner, err := d.entries(body.Attrs, d.t.Unit, nil)
	if err != nil {
		return nil, err
	}
	block := blockHeader(kind, name) + " {}"
	if inner != "" {
		block = blockHeader(kind, name) + " {" + d.t.NL + inner + "}"
	}
	tail, eol := d.t.Tail(after.Range.End.Byte)
	if !eol {
		return nil, fmt.Errorf("%w: %s shares its last line", ErrUnsupported, after.ID.Address)
	}
	at := d.t.NextLine(tail)
	if at == len(d.t.Src) && !d.t.HasFinalNewline() {
		return []patch.Edit{d.t.Insert(at, d.t.NL+d.t.NL+block)}, nil
	}
	return []patch.Edit{d.t.Insert(at, d.t.NL+block+d.t.NL)}, nil
}

// blockHeader is `resource "kind" "name"`, or `data "T" "name"` for a data source kind.
func blockHeader(kind graph.Kind, name string) string {
	if t, ok := strings.CutPrefix(string(kind), "data."); ok {
		return "data " + quote(t) + " " + quote(name)
	}
	return "resource " + quote(string(kind)) + " " + quote(name)
}

// Finish sorts the edits, drops duplicates, rejects overlaps, and re-aligns the lines they
// touch as terraform fmt would.
func (d *Doc) Finish(edits []patch.Edit) ([]patch.Edit, error) {
	edits, err := patch.Normalize(edits, len(d.t.Src))
	if err != nil {
		return nil, err
	}
	return d.align(edits), nil
}

// brackets returns the offsets of v's opening and closing brackets, when v's range starts
// and ends with them.
func (d *Doc) brackets(v *graph.Value, open, closing byte) (int, int, bool) {
	start, end := span(v.Range)
	src := d.t.Src
	if start < 0 || end > len(src) || end-start < 2 || src[start] != open || src[end-1] != closing {
		return 0, 0, false
	}
	return start, end - 1, true
}

// indexes returns the positions in elems of the spans of xs, sorted and without
// duplicates (two findings may remove the same element).
func indexes[T any](elems []patch.Span, xs []T, spanOf func(T) patch.Span) ([]int, error) {
	var out []int
	for _, x := range xs {
		i := slices.Index(elems, spanOf(x))
		if i < 0 {
			return nil, fmt.Errorf("%w: the element to remove is not where the file has it", ErrUnsupported)
		}
		out = append(out, i)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func span(r source.Range) (int, int) { return r.Start.Byte, r.End.Byte }

func spanOf(r source.Range) patch.Span { return patch.Span{Start: r.Start.Byte, End: r.End.Byte} }
