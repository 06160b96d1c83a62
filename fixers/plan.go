package fixers

import (
	"errors"
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// ErrUnsupported reports a change a patcher cannot express in the file without risk; the
// finding keeps its fix as a suggestion.
var ErrUnsupported = errors.New("change not supported")

// patcher turns changes into edits of one file in one format.
type patcher interface {
	setValue(c Change) ([]Edit, error)
	removeItem(c Change) ([]Edit, error)
	removeAttribute(c Change) ([]Edit, error)
	removeResource(c Change) ([]Edit, error)
	addAttribute(c Change) ([]Edit, error)
	addResource(c Change) ([]Edit, error)
}

// Plan turns the changes to one file into byte edits of its original content, sorted,
// de-duplicated and checked for overlap. New text follows the file's style: indentation,
// line endings, quotes, block or flow style.
func Plan(f *source.File, format graph.Format, changes []Change) ([]Edit, error) {
	d := newDoc(f)
	var p patcher
	switch format {
	case graph.Terraform:
		p = &hclPatcher{d}
	case graph.CloudFormationYAML, graph.Serverless:
		p = &yamlPatcher{d}
	case graph.CloudFormationJSON:
		p = &jsonPatcher{doc: d}
	case graph.TerraformJSON:
		p = &jsonPatcher{doc: d, terraform: true}
	default:
		return nil, fmt.Errorf("%w: format %v", ErrUnsupported, format)
	}
	var edits []Edit
	for _, c := range changes {
		es, err := planOne(p, c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		edits = append(edits, es...)
	}
	return Normalize(edits, len(f.Src))
}

func planOne(p patcher, c Change) ([]Edit, error) {
	switch {
	case c.Op == SetValue && c.Target != nil && c.New != nil:
		return p.setValue(c)
	case c.Op == RemoveItem && c.Target != nil && c.Parent != nil:
		return p.removeItem(c)
	case c.Op == RemoveAttribute && c.Attr != nil:
		return p.removeAttribute(c)
	case c.Op == RemoveResource && c.Resource != nil:
		return p.removeResource(c)
	case c.Op == AddAttribute && c.Parent != nil && c.Name != "" && c.New != nil:
		return p.addAttribute(c)
	case c.Op == AddResource && c.Resource != nil && c.Kind != "" && c.Name != "" && c.New != nil:
		return p.addResource(c)
	}
	return nil, fmt.Errorf("%w: incomplete change (op %d)", ErrUnsupported, c.Op)
}

// insertAt returns an insertion of text (lines ending in the file's newline) at off, the
// start of a line, keeping the file's final newline or its absence.
func (d *doc) insertAt(off int, text string) Edit {
	if off == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
		// The file ends without a newline: start a new line, and end without one again.
		text = d.nl + text[:len(text)-len(d.nl)]
	}
	return Edit{Path: d.f.Path, Start: off, End: off, New: text}
}

// spanOf returns the byte span of a range.
func spanOf(r source.Range) (int, int) { return r.Start.Byte, r.End.Byte }

// prevItemEnd returns the end of the item before target in list, or -1.
func prevItemEnd(items []*graph.Value, target *graph.Value) int {
	for i, it := range items {
		if it == target && i > 0 {
			return items[i-1].Range.End.Byte
		}
	}
	return -1
}

// prevAttrEnd returns the end of the attribute before a in m, or -1.
func prevAttrEnd(m *graph.Value, a *graph.Attribute) int {
	for i, x := range m.Attrs {
		if x == a && i > 0 {
			return m.Attrs[i-1].Range.End.Byte
		}
	}
	return -1
}
