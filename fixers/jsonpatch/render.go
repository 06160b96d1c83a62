package jsonpatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// joined renders members "key": value separated by sep, their values on lines below
// indent when multiline, else on one line.
func (d *Doc) joined(attrs []*graph.Attribute, indent string, multiline bool, sep string) (string, error) {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		v, err := d.render(a.Value, indent, multiline)
		if err != nil {
			return "", err
		}
		parts[i] = str(a.Name) + d.colon + v
	}
	return strings.Join(parts, sep), nil
}

// render writes v as JSON. A non-empty collection is laid out one element per line below
// indent when multiline, and on one line with the file's separators otherwise.
func (d *Doc) render(v *graph.Value, indent string, multiline bool) (string, error) {
	switch v.Type {
	case graph.String:
		return str(v.Str), nil
	case graph.Number:
		if _, err := strconv.ParseFloat(v.Str, 64); err == nil && json.Valid([]byte(v.Str)) {
			return v.Str, nil
		}
		return strconv.FormatFloat(v.Num, 'f', -1, 64), nil
	case graph.Bool:
		return strconv.FormatBool(v.Bool), nil
	case graph.Null:
		return "null", nil
	case graph.Map:
		return d.collection("{", "}", len(v.Attrs), indent, multiline, func(i int, inner string) (string, error) {
			s, err := d.render(v.Attrs[i].Value, inner, multiline)
			return str(v.Attrs[i].Name) + d.colon + s, err
		})
	case graph.List:
		return d.collection("[", "]", len(v.Items), indent, multiline, func(i int, inner string) (string, error) {
			return d.render(v.Items[i], inner, multiline)
		})
	}
	return d.reference(v)
}

// collection renders n elements between brackets.
func (d *Doc) collection(open, closing string, n int, indent string, multiline bool, elem func(int, string) (string, error)) (string, error) {
	if n == 0 {
		return open + closing, nil
	}
	inner, sep := "", d.comma
	if multiline {
		inner = indent + d.t.Unit
		sep = "," + d.t.NL + inner
	}
	parts := make([]string, n)
	for i := range n {
		s, err := elem(i, inner)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	if multiline {
		return open + d.t.NL + inner + strings.Join(parts, sep) + d.t.NL + indent + closing, nil
	}
	return open + strings.Join(parts, sep) + closing, nil
}

// reference writes the only unknown values a fix writes here, references: a template
// string in Terraform, Ref or Fn::GetAtt in CloudFormation. A Terraform template that
// the native patcher writes (graph.TemplateValue, text in Str) is refused: written as a
// reference it would lose its text.
func (d *Doc) reference(v *graph.Value) (string, error) {
	if v.Type == graph.Unknown && v.Str != "" {
		return "", fmt.Errorf("%w: a Terraform template", ErrUnsupported)
	}
	if v.Type != graph.Unknown || len(v.Refs) != 1 {
		return "", fmt.Errorf("%w: a computed value", ErrUnsupported)
	}
	r := v.Refs[0]
	switch {
	case d.terraform && r.Attr == "":
		return str("${" + r.Address + "}"), nil
	case d.terraform:
		return str("${" + r.Address + "." + r.Attr + "}"), nil
	case r.Attr == "":
		return "{" + str("Ref") + d.colon + str(r.Address) + "}", nil
	}
	return "{" + str("Fn::GetAtt") + d.colon + "[" + str(r.Address) + d.comma + str(r.Attr) + "]}", nil
}

// str writes a JSON string, leaving <, > and & as they are.
func str(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}
