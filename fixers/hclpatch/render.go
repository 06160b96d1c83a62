package hclpatch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
)

// entries renders attributes and nested blocks as lines at indent, each ending in the
// file's line ending, after prev (nil when they come first). A blank line separates a
// block from its neighbours, as in the Terraform documentation's style.
func (d *Doc) entries(attrs []*graph.Attribute, indent string, prev *graph.Attribute) (string, error) {
	var b strings.Builder
	for _, a := range attrs {
		if prev != nil && (a.Value.Block || prev.Value.Block) {
			b.WriteString(d.t.NL)
		}
		if err := d.entry(&b, a, indent); err != nil {
			return "", err
		}
		prev = a
	}
	return b.String(), nil
}

// entry renders one attribute, or one nested block with its content.
func (d *Doc) entry(b *strings.Builder, a *graph.Attribute, indent string) error {
	if !a.Value.Block {
		if !hclsyntax.ValidIdentifier(a.Name) {
			return fmt.Errorf("%w: attribute name %q", ErrUnsupported, a.Name)
		}
		v, err := d.expr(a.Value, indent)
		if err != nil {
			return err
		}
		b.WriteString(indent + a.Name + " = " + v + d.t.NL)
		return nil
	}
	header := a.Name
	for _, l := range a.Labels {
		header += " " + quote(l)
	}
	if !hclsyntax.ValidIdentifier(a.Name) || a.Value.Type != graph.Map {
		return fmt.Errorf("%w: block %q", ErrUnsupported, a.Name)
	}
	if len(a.Value.Attrs) == 0 {
		b.WriteString(indent + header + " {}" + d.t.NL)
		return nil
	}
	inner, err := d.entries(a.Value.Attrs, indent+d.t.Unit, nil)
	if err != nil {
		return err
	}
	b.WriteString(indent + header + " {" + d.t.NL + inner + indent + "}" + d.t.NL)
	return nil
}

// expr renders v as an expression whose first line starts at a line indented by indent.
func (d *Doc) expr(v *graph.Value, indent string) (string, error) {
	switch v.Type {
	case graph.String:
		return quote(v.Str), nil
	case graph.Number:
		return number(v), nil
	case graph.Bool:
		return strconv.FormatBool(v.Bool), nil
	case graph.Null:
		return "null", nil
	case graph.List:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			s, err := d.expr(it, indent)
			if err != nil {
				return "", err
			}
			items[i] = s
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case graph.Map:
		if v.Block {
			return "", fmt.Errorf("%w: a block where an expression goes", ErrUnsupported)
		}
		return d.object(v, indent)
	}
	if v.Type == graph.Unknown && v.Str != "" {
		return template(v)
	}
	return traversal(v)
}

// object renders an object expression, one attribute per line.
func (d *Doc) object(v *graph.Value, indent string) (string, error) {
	if len(v.Attrs) == 0 {
		return "{}", nil
	}
	var b strings.Builder
	b.WriteString("{" + d.t.NL)
	inner := indent + d.t.Unit
	for _, a := range v.Attrs {
		s, err := d.expr(a.Value, inner)
		if err != nil {
			return "", err
		}
		b.WriteString(inner + objectKey(a.Name) + " = " + s + d.t.NL)
	}
	b.WriteString(indent + "}")
	return b.String(), nil
}

// flat renders v on one line, objects as `{ a = 1, b = "x" }`, as terraform fmt keeps them.
func (d *Doc) flat(v *graph.Value) (string, error) {
	var parts []string
	switch {
	case v.Type == graph.Map && !v.Block && len(v.Attrs) > 0:
		for _, a := range v.Attrs {
			s, err := d.flat(a.Value)
			if err != nil {
				return "", err
			}
			parts = append(parts, objectKey(a.Name)+" = "+s)
		}
		return "{ " + strings.Join(parts, ", ") + " }", nil
	case v.Type == graph.List:
		for _, it := range v.Items {
			s, err := d.flat(it)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	}
	return d.expr(v, "")
}

// objectKey writes an object key: bare when it is an identifier, else quoted.
func objectKey(name string) string {
	if hclsyntax.ValidIdentifier(name) {
		return name
	}
	return quote(name)
}

// quote writes s as a quoted HCL string: hclwrite escapes quotes, control characters and
// the template sequences `${` and `%{`.
func quote(s string) string { return string(hclwrite.TokensForValue(cty.StringVal(s)).Bytes()) }

// number writes a number as the rule gave it, or in its shortest form.
func number(v *graph.Value) string {
	if _, err := strconv.ParseFloat(v.Str, 64); err == nil {
		return v.Str
	}
	return strconv.FormatFloat(v.Num, 'f', -1, 64)
}

// traversal writes an unknown value that is a single reference, such as
// aws_s3_bucket.logs.id: with templates, the only unknown values a fix writes.
func traversal(v *graph.Value) (string, error) {
	if v.Type != graph.Unknown || len(v.Refs) != 1 {
		return "", fmt.Errorf("%w: a computed value", ErrUnsupported)
	}
	text := refText(v.Refs[0])
	if _, diags := hclsyntax.ParseTraversalAbs([]byte(text), "", hcl.InitialPos); diags.HasErrors() || strings.ContainsAny(text, "[ ") {
		return "", fmt.Errorf("%w: reference %q", ErrUnsupported, text)
	}
	return text, nil
}

// template writes a string template a fix built (graph.TemplateValue) between quotes, as
// is: it must read back as one quoted template that makes exactly the value's references,
// so that what the file says is what the fix meant.
func template(v *graph.Value) (string, error) {
	text := `"` + v.Str + `"`
	e, diags := hclsyntax.ParseExpression([]byte(text), "", hcl.InitialPos)
	if !diags.HasErrors() {
		switch e.(type) {
		case *hclsyntax.TemplateExpr, *hclsyntax.TemplateWrapExpr:
			if sameRefs(e.Variables(), v.Refs) {
				return text, nil
			}
		}
	}
	return "", fmt.Errorf("%w: template %s", ErrUnsupported, text)
}

// sameRefs reports whether the traversals of a template are refs, each a name followed by
// attributes (data.aws_caller_identity.current.account_id).
func sameRefs(vars []hcl.Traversal, refs []*graph.Ref) bool {
	var got, want []string
	for _, t := range vars {
		var b strings.Builder
		for _, step := range t {
			switch step := step.(type) {
			case hcl.TraverseRoot:
				b.WriteString(step.Name)
			case hcl.TraverseAttr:
				b.WriteString("." + step.Name)
			default:
				return false
			}
		}
		got = append(got, b.String())
	}
	for _, r := range refs {
		want = append(want, refText(r))
	}
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(slices.Compact(got), slices.Compact(want))
}

// refText is a reference as written: its address, then the attribute it reads.
func refText(r *graph.Ref) string {
	if r.Attr == "" {
		return r.Address
	}
	return r.Address + "." + r.Attr
}
