package yamlpatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/parsers/document"
)

// blockEntries renders entries as block mapping lines at indent, each ending in the
// file's line ending: nested mappings and sequences in block style.
func (d *Doc) blockEntries(attrs []*graph.Attribute, indent string) (string, error) {
	var b strings.Builder
	for _, a := range attrs {
		key := indent + d.key(a.Name, false) + ":"
		v := a.Value
		switch {
		case v.Type == graph.Map && len(v.Attrs) > 0:
			inner, err := d.blockEntries(v.Attrs, indent+d.t.Unit)
			if err != nil {
				return "", err
			}
			b.WriteString(key + d.t.NL + inner)
		case v.Type == graph.List && len(v.Items) > 0:
			dashes := indent
			if d.seqIndent {
				dashes += d.t.Unit
			}
			items, err := d.blockItems(v.Items, dashes)
			if err != nil {
				return "", err
			}
			b.WriteString(key + d.t.NL + items)
		default:
			s, err := d.inline(v, document.Plain, false)
			if err != nil {
				return "", err
			}
			b.WriteString(key + " " + s + d.t.NL)
		}
	}
	return b.String(), nil
}

// blockItems renders block sequence items with their dashes at indent; a mapping item
// starts on its dash's line.
func (d *Doc) blockItems(items []*graph.Value, indent string) (string, error) {
	var b strings.Builder
	for _, it := range items {
		if it.Type == graph.Map && len(it.Attrs) > 0 {
			inner := indent + "  "
			s, err := d.blockEntries(it.Attrs, inner)
			if err != nil {
				return "", err
			}
			b.WriteString(indent + "- " + s[len(inner):])
			continue
		}
		s, err := d.inline(it, document.Plain, false)
		if err != nil {
			return "", err
		}
		b.WriteString(indent + "- " + s + d.t.NL)
	}
	return b.String(), nil
}

// blockValue renders a non-empty collection in block style starting where a block
// collection starts, whose later lines are indented by indent.
func (d *Doc) blockValue(v *graph.Value, indent string) (string, error) {
	var text string
	var err error
	if v.Type == graph.Map {
		text, err = d.blockEntries(v.Attrs, indent)
	} else {
		text, err = d.blockItems(v.Items, indent)
	}
	return strings.TrimSuffix(strings.TrimPrefix(text, indent), d.t.NL), err
}

// inline renders v on one line: a scalar in the given style when it can be written so,
// a collection in flow style, a reference as a short-form intrinsic.
func (d *Doc) inline(v *graph.Value, style document.Style, flow bool) (string, error) {
	switch v.Type {
	case graph.String:
		return d.quote(v.Str, style, flow), nil
	case graph.Number, graph.Bool:
		text, _ := v.AsString()
		if v.Type == graph.Number {
			text = number(v)
		}
		if style.Quoted() { // CloudFormation reads every scalar as a string: keep the quotes
			return d.quote(text, style, flow), nil
		}
		return text, nil
	case graph.Null:
		return "null", nil
	case graph.List:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			s, err := d.inline(it, document.Plain, true)
			if err != nil {
				return "", err
			}
			items[i] = s
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case graph.Map:
		entries := make([]string, len(v.Attrs))
		for i, a := range v.Attrs {
			s, err := d.inline(a.Value, document.Plain, true)
			if err != nil {
				return "", err
			}
			entries[i] = d.key(a.Name, true) + ": " + s
		}
		return "{" + strings.Join(entries, ", ") + "}", nil
	}
	return intrinsic(v)
}

// key renders a mapping key: plain when it reads back as the same string.
func (d *Doc) key(name string, flow bool) string { return d.quote(name, document.Plain, flow) }

// intrinsic writes a reference as `!Ref X` or `!GetAtt X.Attr`, the only unknown values a
// fix writes here. A Terraform template (graph.TemplateValue, text in Str) is refused:
// YAML has no such thing, and dropping its text would write something else.
func intrinsic(v *graph.Value) (string, error) {
	if v.Type == graph.Unknown && v.Str != "" {
		return "", fmt.Errorf("%w: a Terraform template", ErrUnsupported)
	}
	if v.Type != graph.Unknown || len(v.Refs) != 1 || !logicalID.MatchString(v.Refs[0].Address) {
		return "", fmt.Errorf("%w: a computed value", ErrUnsupported)
	}
	r := v.Refs[0]
	if r.Attr == "" {
		return "!Ref " + r.Address, nil
	}
	if !logicalID.MatchString(r.Attr) {
		return "", fmt.Errorf("%w: attribute %q", ErrUnsupported, r.Attr)
	}
	return "!GetAtt " + r.Address + "." + r.Attr, nil
}

// logicalID matches logical IDs, pseudo parameters (AWS::Region) and attribute names.
var logicalID = lazyregexp.New(`^[A-Za-z0-9]+(::[A-Za-z0-9]+)*(\.[A-Za-z0-9]+)*$`)

// quote writes s as a scalar in style: single quotes doubled inside single-quoted
// scalars, escapes in double-quoted ones, and plain only when YAML reads the plain text
// back as the same string (not a number, a boolean, a date, null, nor anything cut short
// by a comment or a colon). Whatever cannot be written in a style is double-quoted.
func (d *Doc) quote(s string, style document.Style, flow bool) string {
	switch {
	case style == document.SingleQuoted && !strings.ContainsAny(s, "\n\r\t\\"):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case style != document.SingleQuoted && style != document.DoubleQuoted && d.readsPlain(s, flow):
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b) // a JSON string is a YAML double-quoted scalar
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// yaml11Words are the booleans and null of YAML 1.1, which some CloudFormation tools still
// resolve: plain, they would not be strings there.
var yaml11Words = lazyregexp.New(`^(?i:y|yes|n|no|on|off|true|false|null|~)$`)

// readsPlain reports whether s, written plain, reads back as the string s. In flow
// context a colon is quoted too: YAML 1.1 parsers (PyYAML, which cfn-lint uses) reject it
// in a plain scalar there.
// The answer is remembered: a file with many findings writes the same few keys and values
// for each, and parsing a YAML document per new scalar would cost more than the rest of
// the plan.
func (d *Doc) readsPlain(s string, flow bool) bool {
	q := plainQuery{s, flow}
	ok, seen := d.plain[q]
	if !seen {
		ok = readsPlain(s, flow)
		d.plain[q] = ok
	}
	return ok
}

type plainQuery struct {
	s    string
	flow bool
}

func readsPlain(s string, flow bool) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t") || yaml11Words.MatchString(s) ||
		flow && strings.Contains(s, ":") {
		return false
	}
	doc, parts := "k: "+s, 2 // a mapping of a key and the value
	if flow {
		doc, parts = "["+s+"]", 1 // a sequence of the value
	}
	var root yaml.Node
	if yaml.Unmarshal([]byte(doc), &root) != nil || len(root.Content) != 1 || len(root.Content[0].Content) != parts {
		return false
	}
	n := root.Content[0].Content[parts-1]
	return n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == 0 && n.Value == s
}

// number writes a number as the rule gave it, or in its shortest form.
func number(v *graph.Value) string {
	if _, err := strconv.ParseFloat(v.Str, 64); err == nil {
		return v.Str
	}
	return strconv.FormatFloat(v.Num, 'f', -1, 64)
}
