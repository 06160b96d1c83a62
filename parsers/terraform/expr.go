package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// expr converts a native expression. Tuple and object constructors keep their structure
// so that every item has its own range; any other expression is computed.
func (c *converter) expr(e hclsyntax.Expression) *graph.Value {
	r := c.rng(e.Range())
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return c.known(e.Val, r, true)
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() {
			return c.known(e.Parts[0].(*hclsyntax.LiteralValueExpr).Val, r, false)
		}
	case *hclsyntax.TupleConsExpr:
		items := make([]*graph.Value, len(e.Exprs))
		for i, it := range e.Exprs {
			items[i] = c.expr(it)
		}
		return &graph.Value{Type: graph.List, Items: items, Range: r}
	case *hclsyntax.ObjectConsExpr:
		return c.object(e, r)
	case *hclsyntax.ParenthesesExpr:
		v := c.expr(e.Expression)
		v.Range = r
		return v
	}
	return c.computed(e, r)
}

// computed converts an expression that is not a literal: with an evaluator it is computed
// (keeping its references, so that the graph still links it), without one only a constant
// is known.
func (c *converter) computed(e hclsyntax.Expression, r source.Range) *graph.Value {
	if c.ev != nil {
		vars := c.ev.variables(e)
		v := c.encoded(e, r)
		if v == nil {
			var ok bool
			if v, ok = c.ev.evaluate(e, r, vars); !ok {
				v = &graph.Value{Type: graph.Unknown, Range: r}
			}
		}
		v.Refs = markWhole(e, c.instanceRefs(e, vars))
		if t, ok := e.(*hclsyntax.TemplateExpr); ok && v.Type == graph.Unknown {
			v.Template = c.templateText(t)
		}
		return v
	}
	switch e.(type) {
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.FunctionCallExpr,
		*hclsyntax.ForExpr, *hclsyntax.SplatExpr, *hclsyntax.IndexExpr:
		return c.unknownRefs(e, r)
	}
	if len(e.Variables()) > 0 {
		return c.unknownRefs(e, r)
	}
	if !evaluable(e) {
		return c.unknown(r, nil)
	}
	v, diags := e.Value(nil) // fails on a type error such as "a" * 2: Unknown then
	if diags.HasErrors() {
		return c.unknown(r, nil)
	}
	return c.known(v, r, false)
}

// unknownRefs is the Unknown value of e at r, with the references it makes.
func (c *converter) unknownRefs(e hclsyntax.Expression, r source.Range) *graph.Value {
	v := c.unknown(r, e.Variables())
	v.Refs = markWhole(e, v.Refs)
	return v
}

// markWhole marks the one reference of an expression that is that reference and nothing
// else (graph.Ref.Whole) and returns refs.
func markWhole(e hclsyntax.Expression, refs []*graph.Ref) []*graph.Ref {
	if len(refs) == 1 && wholeTraversal(e) {
		refs[0].Whole = true
	}
	return refs
}

// wholeTraversal reports whether e only reads a value: a traversal such as
// aws_s3_bucket.b.id or aws_s3_bucket.b[each.key].id, alone in a template ("${...}") or
// in parentheses.
func wholeTraversal(e hclsyntax.Expression) bool {
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return true
	case *hclsyntax.RelativeTraversalExpr:
		return wholeTraversal(e.Source)
	case *hclsyntax.IndexExpr:
		return wholeTraversal(e.Collection)
	case *hclsyntax.TemplateWrapExpr:
		return wholeTraversal(e.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return wholeTraversal(e.Expression)
	}
	return false
}

// encoded converts jsonencode(x) into x's own structure, so that a policy written as an
// object has its parts at their exact ranges (a finding points at the `"*"` principal),
// or returns nil for any other expression.
func (c *converter) encoded(e hclsyntax.Expression, r source.Range) *graph.Value {
	call, ok := e.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "jsonencode" || len(call.Args) != 1 || call.ExpandFinal {
		return nil
	}
	v := c.expr(call.Args[0])
	if v.Type != graph.Map && v.Type != graph.List {
		return nil
	}
	v.Range = r
	return v
}

// evaluable reports whether an expression without variables can be evaluated here: not
// with a function call (there is no function table), nor with a for loop, which a crafted
// file could nest to make evaluation take exponential time.
func evaluable(e hcl.Expression) bool { return nativeParts(e, evaluableSyntax) }

func evaluableSyntax(e hclsyntax.Expression) bool {
	ok := true
	hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.FunctionCallExpr, *hclsyntax.ForExpr:
			ok = false
		}
		return nil
	})
	return ok
}

// object converts an object constructor into a Map, or into an Unknown when a key is
// computed: the map's shape is not known then.
func (c *converter) object(e *hclsyntax.ObjectConsExpr, r source.Range) *graph.Value {
	attrs := make([]*graph.Attribute, len(e.Items))
	for i, it := range e.Items {
		name, ok := objectKey(it.KeyExpr)
		if !ok {
			return c.computed(e, r)
		}
		attrs[i] = &graph.Attribute{
			Name:      name,
			NameRange: c.rng(it.KeyExpr.Range()),
			Range:     c.rng(hcl.RangeBetween(it.KeyExpr.Range(), it.ValueExpr.Range())),
			Value:     c.expr(it.ValueExpr),
		}
	}
	return &graph.Value{Type: graph.Map, Attrs: attrs, Range: r}
}

// objectKey returns the key as written: a bare name or a constant string (or number).
func objectKey(k hclsyntax.Expression) (string, bool) {
	if kw := hcl.ExprAsKeyword(k); kw != "" {
		return kw, true
	}
	if len(k.Variables()) > 0 {
		return "", false
	}
	v, diags := k.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || v.IsMarked() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return s.AsString(), true
}

// templateText is a string template with each part that is not literal text written as
// in the source, `${...}`: the Template of its value when that is not statically known.
func (c *converter) templateText(t *hclsyntax.TemplateExpr) string {
	var b strings.Builder
	for _, part := range t.Parts {
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			b.WriteString(lit.Val.AsString())
			continue
		}
		r := part.Range()
		b.WriteString("${" + string(r.SliceBytes(c.f.Src)) + "}")
	}
	return b.String()
}
