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
		vars := e.Variables()
		v := c.encoded(e, r)
		if v == nil {
			var ok bool
			if v, ok = c.ev.evaluate(e, r, vars); !ok {
				v = &graph.Value{Type: graph.Unknown, Range: r}
			}
		}
		v.Refs = c.instanceRefs(e, vars)
		return v
	}
	switch e.(type) {
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
