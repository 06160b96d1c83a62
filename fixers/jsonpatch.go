package fixers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// jsonPatcher edits JSON (CloudFormation and Terraform JSON) at the file's indentation,
// keeping commas right: an element removed from the end takes the comma before it.
type jsonPatcher struct {
	*doc
	terraform bool // references are written "${…}" instead of {"Ref": …}
}

func (p *jsonPatcher) setValue(c Change) ([]Edit, error) {
	start, end := spanOf(c.Target.Range)
	return []Edit{{Path: p.f.Path, Start: start, End: end, New: p.render(c.New, p.indentOf(start))}}, nil
}

func (p *jsonPatcher) removeItem(c Change) ([]Edit, error) {
	return p.removeElement(spanOf(c.Target.Range))
}

func (p *jsonPatcher) removeAttribute(c Change) ([]Edit, error) {
	return p.removeElement(spanOf(c.Attr.Range))
}

func (p *jsonPatcher) removeResource(c Change) ([]Edit, error) {
	return p.removeElement(spanOf(c.Resource.Range))
}

// removeElement deletes an array element or object member [start, end) with its comma:
// the one after it, or for the last element the one before it.
func (p *jsonPatcher) removeElement(start, end int) ([]Edit, error) {
	after := p.skipWhite(end)
	hasNext := after < len(p.src) && p.src[after] == ','
	before := p.skipWhiteBack(start)
	if !hasNext && before > 0 && p.src[before-1] == ',' {
		// The last element: drop the comma after its predecessor and the element's lines.
		if from, to, ok := p.wholeLines(start, end); ok {
			return []Edit{{Path: p.f.Path, Start: before - 1, End: before}, {Path: p.f.Path, Start: from, End: to}}, nil
		}
		return []Edit{{Path: p.f.Path, Start: before - 1, End: end}}, nil
	}
	if hasNext {
		end = after + 1
	}
	if from, to, ok := p.wholeLines(start, end); ok {
		return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
	}
	return []Edit{{Path: p.f.Path, Start: start, End: p.skipSpace(end)}}, nil
}

func (p *jsonPatcher) addAttribute(c Change) ([]Edit, error) {
	m := c.Parent
	start, end := spanOf(m.Range)
	if m.Type != graph.Map || end < 1 || p.src[end-1] != '}' {
		return nil, fmt.Errorf("%w: %s is not an object", ErrUnsupported, c.Name)
	}
	key, _ := json.Marshal(c.Name)
	if len(m.Attrs) == 0 {
		indent := p.indentOf(start)
		member := indent + p.indentUnit() + string(key) + ": " + p.render(c.New, indent+p.indentUnit())
		return []Edit{{Path: p.f.Path, Start: start + 1, End: end - 1, New: p.nl + member + p.nl + indent}}, nil
	}
	first, last := m.Attrs[0], m.Attrs[len(m.Attrs)-1]
	at := last.Range.End.Byte
	if first.Range.Start.Line == m.Range.Start.Line {
		// A one-line object: stay on the line.
		return []Edit{{Path: p.f.Path, Start: at, End: at, New: ", " + string(key) + ": " + p.render(c.New, "")}}, nil
	}
	indent := p.indentOf(first.Range.Start.Byte)
	return []Edit{{Path: p.f.Path, Start: at, End: at, New: "," + p.nl + indent + string(key) + ": " + p.render(c.New, indent)}}, nil
}

func (p *jsonPatcher) addResource(c Change) ([]Edit, error) {
	return nil, fmt.Errorf("%w: new resources in JSON files", ErrUnsupported)
}

func (p *jsonPatcher) skipWhite(off int) int {
	for off < len(p.src) && bytes.IndexByte([]byte(" \t\r\n"), p.src[off]) >= 0 {
		off++
	}
	return off
}

func (p *jsonPatcher) skipWhiteBack(off int) int {
	for off > 0 && bytes.IndexByte([]byte(" \t\r\n"), p.src[off-1]) >= 0 {
		off--
	}
	return off
}

// render writes v as JSON; nested collections on their own lines at the file's
// indentation below indent ("" for a one-line object).
func (p *jsonPatcher) render(v *graph.Value, indent string) string {
	unit, nl := p.indentUnit(), p.nl
	if indent == "" {
		unit, nl = "", ""
	}
	sep := func(inner string) string { return nl + inner }
	switch v.Type {
	case graph.String:
		b, _ := json.Marshal(v.Str)
		return string(b)
	case graph.Number:
		if v.Str != "" {
			return v.Str
		}
		return strconv.FormatFloat(v.Num, 'f', -1, 64)
	case graph.Bool:
		return strconv.FormatBool(v.Bool)
	case graph.Null:
		return "null"
	case graph.List:
		if len(v.Items) == 0 {
			return "[]"
		}
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = sep(indent+unit) + p.render(it, indent+unit)
		}
		return "[" + strings.Join(parts, ",") + sep(indent) + "]"
	case graph.Map:
		if len(v.Attrs) == 0 {
			return "{}"
		}
		parts := make([]string, len(v.Attrs))
		for i, a := range v.Attrs {
			key, _ := json.Marshal(a.Name)
			parts[i] = sep(indent+unit) + string(key) + ": " + p.render(a.Value, indent+unit)
		}
		return "{" + strings.Join(parts, ",") + sep(indent) + "}"
	}
	if len(v.Refs) == 1 {
		r := v.Refs[0]
		switch {
		case p.terraform && r.Attr != "":
			return strconv.Quote("${" + r.Address + "." + r.Attr + "}")
		case p.terraform:
			return strconv.Quote("${" + r.Address + "}")
		case r.Attr != "":
			return fmt.Sprintf(`{"Fn::GetAtt": [%q, %q]}`, r.Address, r.Attr)
		}
		return fmt.Sprintf(`{"Ref": %q}`, r.Address)
	}
	return "null"
}
