package fixers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
)

// hclPatcher edits Terraform native syntax. New values are rendered with hclwrite's token
// writer, so quoting and escapes are Terraform's own; nothing else of the file is formatted.
type hclPatcher struct{ *doc }

var hclComments = []string{"#", "//"}

func (p *hclPatcher) setValue(c Change) ([]Edit, error) {
	start, end := spanOf(c.Target.Range)
	text, err := hclExpr(c.New, p.indentOf(start), p.indentUnit(), p.nl)
	return []Edit{{Path: p.f.Path, Start: start, End: end, New: text}}, err
}

func (p *hclPatcher) removeItem(c Change) ([]Edit, error) {
	start, end := spanOf(c.Target.Range)
	if from, to, ok := p.wholeLines(start, end, hclComments...); ok {
		return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
	}
	return []Edit{p.removeInline(start, end, prevItemEnd(c.Parent.Items, c.Target))}, nil
}

func (p *hclPatcher) removeAttribute(c Change) ([]Edit, error) {
	start, end := spanOf(c.Attr.Range)
	if from, to, ok := p.wholeLines(start, end, hclComments...); ok {
		return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
	}
	if c.Parent == nil {
		return nil, fmt.Errorf("%w: attribute %s shares its line", ErrUnsupported, c.Attr.Name)
	}
	return []Edit{p.removeInline(start, end, prevAttrEnd(c.Parent, c.Attr))}, nil
}

func (p *hclPatcher) removeResource(c Change) ([]Edit, error) {
	start, end := spanOf(c.Resource.Range)
	from, to, ok := p.wholeLines(start, end, hclComments...)
	if !ok {
		return nil, fmt.Errorf("%w: %s shares its lines", ErrUnsupported, c.Resource.ID.Address)
	}
	// Keep one blank line between the neighbours, not two.
	if from > 0 && p.blankLine(p.lineStart(from-1)) && to < len(p.src) && p.blankLine(to) {
		to = p.nextLine(to)
	}
	return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
}

// blankLine reports whether the line starting at off holds only white space.
func (p *hclPatcher) blankLine(off int) bool { return p.lineEndExcl(off) == p.skipSpace(off) }

func (p *hclPatcher) addAttribute(c Change) ([]Edit, error) {
	body := c.Parent
	if body.Type != graph.Map || body.Range.End.Byte < 1 || p.src[body.Range.End.Byte-1] != '}' {
		return nil, fmt.Errorf("%w: %s is not a block or object", ErrUnsupported, c.Name)
	}
	closing := body.Range.End.Byte - 1
	unit := p.indentUnit()
	indent := p.indentOf(closing) + unit
	if len(body.Attrs) > 0 {
		indent = p.indentOf(body.Attrs[0].Range.Start.Byte)
	}
	var edits []Edit
	width := len(c.Name)
	if !c.New.Block {
		var align []Edit
		width, align = p.alignRun(body, len(c.Name))
		edits = append(edits, align...)
	}
	text := hclAttribute(c.Name, c.New, indent, unit, p.nl, width)
	if p.blankBefore(closing) {
		return append(edits, Edit{Path: p.f.Path, Start: p.lineStart(closing), End: p.lineStart(closing), New: text}), nil
	}
	// `{}` or `{ a = 1 }` on one line: open it up.
	return append(edits, Edit{Path: p.f.Path, Start: closing, End: closing, New: p.nl + text + p.indentOf(closing)}), nil
}

// alignRun keeps terraform fmt's alignment when an attribute is added after a run of
// single-line attributes: it returns the `=` column width for the new name and edits that
// widen the run when the new name is the longest.
func (p *hclPatcher) alignRun(body *graph.Value, nameLen int) (int, []Edit) {
	var run []*graph.Attribute
	for i := len(body.Attrs) - 1; i >= 0; i-- {
		a := body.Attrs[i]
		if a.Value.Block || a.Range.Start.Line != a.Range.End.Line {
			break
		}
		if len(run) > 0 && run[len(run)-1].Range.Start.Line != a.Range.Start.Line+1 {
			break
		}
		run = append(run, a)
	}
	width := nameLen
	for _, a := range run {
		width = max(width, len(a.Name))
	}
	var edits []Edit
	for _, a := range run {
		nameEnd := a.NameRange.End.Byte
		eq := p.skipSpace(nameEnd)
		if eq < len(p.src) && p.src[eq] == '=' && eq-nameEnd != width-len(a.Name)+1 {
			edits = append(edits, Edit{Path: p.f.Path, Start: nameEnd, End: eq, New: strings.Repeat(" ", width-len(a.Name)+1)})
		}
	}
	return width, edits
}

func (p *hclPatcher) addResource(c Change) ([]Edit, error) {
	end := c.Resource.Range.End.Byte
	unit := p.indentUnit()
	var b strings.Builder
	fmt.Fprintf(&b, "%s%sresource %q %q {%s", p.nl, p.nl, c.Kind, c.Name, p.nl)
	b.WriteString(hclBody(c.New, unit, unit, p.nl))
	b.WriteString("}")
	return []Edit{{Path: p.f.Path, Start: end, End: end, New: b.String()}}, nil
}

// hclBody renders the attributes of a block, one per line at indent, with the `=` of each
// run of single-line attributes aligned as terraform fmt does.
func hclBody(v *graph.Value, indent, unit, nl string) string {
	var b strings.Builder
	for i := 0; i < len(v.Attrs); {
		if v.Attrs[i].Value.Block {
			b.WriteString(hclAttribute(v.Attrs[i].Name, v.Attrs[i].Value, indent, unit, nl, 0))
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(v.Attrs) && !v.Attrs[j].Value.Block; j++ {
			width = max(width, len(v.Attrs[j].Name))
		}
		for ; i < j; i++ {
			b.WriteString(hclAttribute(v.Attrs[i].Name, v.Attrs[i].Value, indent, unit, nl, width))
		}
	}
	return b.String()
}

// hclAttribute renders `name = value` (name padded to width) or a nested block, ending in nl.
func hclAttribute(name string, v *graph.Value, indent, unit, nl string, width int) string {
	if v.Block {
		return indent + name + " {" + nl + hclBody(v, indent+unit, unit, nl) + indent + "}" + nl
	}
	expr, _ := hclExpr(v, indent, unit, nl)
	return indent + name + strings.Repeat(" ", max(0, width-len(name))) + " = " + expr + nl
}

// hclExpr renders a value as an HCL expression.
func hclExpr(v *graph.Value, indent, unit, nl string) (string, error) {
	switch v.Type {
	case graph.String:
		return string(hclwrite.TokensForValue(cty.StringVal(v.Str)).Bytes()), nil
	case graph.Number:
		if v.Str != "" {
			return v.Str, nil
		}
		return strconv.FormatFloat(v.Num, 'f', -1, 64), nil
	case graph.Bool:
		return strconv.FormatBool(v.Bool), nil
	case graph.Null:
		return "null", nil
	case graph.List:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			s, err := hclExpr(it, indent, unit, nl)
			if err != nil {
				return "", err
			}
			items[i] = s
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case graph.Map:
		if len(v.Attrs) == 0 {
			return "{}", nil
		}
		obj := *v
		obj.Block = false
		return "{" + nl + hclBody(&obj, indent+unit, unit, nl) + indent + "}", nil
	}
	if len(v.Refs) == 1 {
		ref := v.Refs[0].Address
		if v.Refs[0].Attr != "" {
			ref += "." + v.Refs[0].Attr
		}
		return ref, nil
	}
	return "", fmt.Errorf("%w: value cannot be written", ErrUnsupported)
}
