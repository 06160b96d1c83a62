package fixers

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// yamlPatcher edits YAML (CloudFormation and serverless.yml): block or flow style as the
// surrounding node is written, the existing quote style for replaced scalars.
type yamlPatcher struct{ *doc }

var yamlComments = []string{"#"}

func (p *yamlPatcher) setValue(c Change) ([]Edit, error) {
	start, end := spanOf(c.Target.Range)
	quote := byte(0)
	if start < len(p.src) && (p.src[start] == '"' || p.src[start] == '\'') {
		quote = p.src[start]
	}
	return []Edit{{Path: p.f.Path, Start: start, End: end, New: yamlFlow(c.New, quote)}}, nil
}

func (p *yamlPatcher) removeItem(c Change) ([]Edit, error) {
	start, end := spanOf(c.Target.Range)
	if dash := p.skipSpaceBack(start); dash > 0 && p.src[dash-1] == '-' && p.blankBefore(dash-1) {
		// A block sequence item: its lines go, from the dash to the end of its last line.
		from, to, _ := p.wholeLines(dash-1, end, yamlComments...)
		return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
	}
	return []Edit{p.removeInline(start, end, prevItemEnd(c.Parent.Items, c.Target))}, nil
}

func (p *yamlPatcher) removeAttribute(c Change) ([]Edit, error) {
	start, end := spanOf(c.Attr.Range)
	if dash := p.skipSpaceBack(start); dash > 0 && p.src[dash-1] == '-' {
		return nil, fmt.Errorf("%w: %s is the first key of a sequence item", ErrUnsupported, c.Attr.Name)
	}
	if from, to, ok := p.wholeLines(start, end, yamlComments...); ok {
		return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
	}
	if c.Parent == nil {
		return nil, fmt.Errorf("%w: %s shares its line", ErrUnsupported, c.Attr.Name)
	}
	return []Edit{p.removeInline(start, end, prevAttrEnd(c.Parent, c.Attr))}, nil
}

func (p *yamlPatcher) removeResource(c Change) ([]Edit, error) {
	from, to, ok := p.wholeLines(c.Resource.Range.Start.Byte, c.Resource.Range.End.Byte, yamlComments...)
	if !ok {
		return nil, fmt.Errorf("%w: %s shares its lines", ErrUnsupported, c.Resource.ID.Address)
	}
	return []Edit{{Path: p.f.Path, Start: from, End: to}}, nil
}

func (p *yamlPatcher) addAttribute(c Change) ([]Edit, error) {
	m := c.Parent
	start, end := spanOf(m.Range)
	if start < len(p.src) && p.src[start] == '{' {
		// A flow mapping: the new entry goes inside the braces.
		entry := yamlKey(c.Name) + ": " + yamlFlow(c.New, 0)
		if len(m.Attrs) > 0 {
			entry = ", " + entry
		}
		at := p.skipSpaceBack(end - 1)
		return []Edit{{Path: p.f.Path, Start: at, End: at, New: entry}}, nil
	}
	col := m.Range.Start.Column
	last := end
	if len(m.Attrs) > 0 {
		col = m.Attrs[0].NameRange.Start.Column
		last = m.Attrs[len(m.Attrs)-1].Range.End.Byte
	}
	indent := strings.Repeat(" ", max(0, col-1))
	text := yamlEntry(c.Name, c.New, indent, p.yamlUnit(), p.nl)
	return []Edit{p.insertAt(p.nextLine(max(start, last-1)), text)}, nil
}

func (p *yamlPatcher) addResource(c Change) ([]Edit, error) {
	return nil, fmt.Errorf("%w: new resources are added as properties in CloudFormation", ErrUnsupported)
}

// yamlUnit is the indentation step of the file (YAML never indents with tabs).
func (p *yamlPatcher) yamlUnit() string {
	if u := p.indentUnit(); u != "\t" {
		return u
	}
	return "  "
}

// yamlEntry renders `name: value` at indent in block style, ending in nl.
func yamlEntry(name string, v *graph.Value, indent, unit, nl string) string {
	key := indent + yamlKey(name) + ":"
	switch {
	case v.Type == graph.Map && len(v.Attrs) > 0:
		var b strings.Builder
		b.WriteString(key + nl)
		for _, a := range v.Attrs {
			b.WriteString(yamlEntry(a.Name, a.Value, indent+unit, unit, nl))
		}
		return b.String()
	case v.Type == graph.List && len(v.Items) > 0:
		var b strings.Builder
		b.WriteString(key + nl)
		for _, it := range v.Items {
			b.WriteString(yamlItem(it, indent+unit, unit, nl))
		}
		return b.String()
	}
	return key + " " + yamlFlow(v, 0) + nl
}

// yamlItem renders one block sequence item: `- scalar`, or a mapping whose first entry
// shares the dash's line.
func yamlItem(v *graph.Value, indent, unit, nl string) string {
	if v.Type != graph.Map || len(v.Attrs) == 0 {
		return indent + "- " + yamlFlow(v, 0) + nl
	}
	inner := indent + "  "
	var b strings.Builder
	for _, a := range v.Attrs {
		b.WriteString(yamlEntry(a.Name, a.Value, inner, unit, nl))
	}
	return indent + "- " + strings.TrimPrefix(b.String(), inner)
}

// yamlFlow renders a value on one line: scalars plain when that reads the same, else
// quoted (quote forces a style); collections in flow style.
func yamlFlow(v *graph.Value, quote byte) string {
	switch v.Type {
	case graph.String:
		return yamlString(v.Str, quote)
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
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = yamlFlow(it, 0)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case graph.Map:
		entries := make([]string, len(v.Attrs))
		for i, a := range v.Attrs {
			entries[i] = yamlKey(a.Name) + ": " + yamlFlow(a.Value, 0)
		}
		return "{" + strings.Join(entries, ", ") + "}"
	}
	if len(v.Refs) == 1 {
		if v.Refs[0].Attr != "" {
			return "!GetAtt " + v.Refs[0].Address + "." + v.Refs[0].Attr
		}
		return "!Ref " + v.Refs[0].Address
	}
	return "null"
}

// plainSafe matches strings YAML reads back as the same string when written plain.
var (
	plainSafe    = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./:*-]*$`)
	plainSpecial = regexp.MustCompile(`^(?i:true|false|yes|no|on|off|y|n|null|~)$`)
)

func yamlString(s string, quote byte) string {
	switch {
	case quote == '\'':
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case quote == 0 && plainSafe.MatchString(s) && !plainSpecial.MatchString(s) && !strings.Contains(s, ": "):
		return s
	}
	b, _ := json.Marshal(s) // a JSON string is a valid YAML double-quoted scalar
	return string(b)
}

func yamlKey(name string) string { return yamlString(name, 0) }
