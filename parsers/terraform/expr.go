package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// expr converts a native expression. Tuple and object constructors keep their structure
// so that every item has its own range; expressions that can only be known with variables
// or functions are Unknown; anything else is a constant, evaluated without a context.
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
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.FunctionCallExpr,
		*hclsyntax.ForExpr, *hclsyntax.SplatExpr, *hclsyntax.IndexExpr:
		return c.unknown(r, e.Variables())
	}
	if vars := e.Variables(); len(vars) > 0 {
		return c.unknown(r, vars)
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

// evaluable reports whether an expression without variables can be evaluated here: not
// with a function call (there is no function table), nor with a for loop, which a crafted
// file could nest to make evaluation take exponential time.
func evaluable(e hclsyntax.Expression) bool {
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
			return c.unknown(r, e.Variables())
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
