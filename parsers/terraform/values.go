package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// maxForDepth bounds how deeply for expressions may nest in an evaluated expression: each
// level multiplies the work (a crafted file would nest for loops over range() to hang the
// scan), and real configurations nest two, as in flatten([for a in x : [for b in y : …]]).
// A deeper expression stays Unknown.
const maxForDepth = 2

// evaluator is what converting an expression of a module instance needs to compute it:
// the evaluation context (variables, locals, resources, each/count, functions), where
// each symbol was defined, and the module path prefixed to addresses.
type evaluator struct {
	ctx *hcl.EvalContext
	// origins maps a symbol to where its value was defined: "var.x", "local.y", "each",
	// "count", a dynamic block's iterator, "aws_s3_bucket.b.bucket".
	origins map[string]source.Range
	// prefix is the module path of the instance ("module.web."), "" in a root module.
	prefix string
	// expanded holds the addresses of resources declared with count or for_each, whose
	// references name one instance.
	expanded map[string]bool
	// bodies are the resource blocks by address, where their attributes' origins are.
	bodies map[string]fileBlock
	// converters are the instance's converters by file, one each so that a file's
	// duplicate declarations are found.
	converters map[*parsedFile]*converter
}

// converter returns the instance's converter of pf.
func (ev *evaluator) converter(pf *parsedFile) *converter {
	c, ok := ev.converters[pf]
	if !ok {
		c = pf.converter(ev)
		ev.converters[pf] = c
	}
	return c
}

// evaluate computes e. ok is false when e cannot be evaluated at all (an unknown
// variable, a type error): the caller keeps it Unknown.
func (ev *evaluator) evaluate(e hclsyntax.Expression, r source.Range, vars []hcl.Traversal) (*graph.Value, bool) {
	if forDepth(e) > maxForDepth {
		return nil, false
	}
	v, diags := e.Value(ev.ctx)
	if diags.HasErrors() {
		return nil, false
	}
	origin := ev.originOf(vars)
	if origin == nil && !evaluable(e) {
		origin = &r // a function's result: computed, though from literals only
	}
	return fromCty(v, r, origin, maxValueDepth), true
}

// maxValueDepth bounds the nesting of a computed value (jsondecode of a crafted string).
const maxValueDepth = 64

// origin returns where the first symbol e reads that has an origin was defined, or nil.
func (ev *evaluator) origin(e hclsyntax.Expression) *source.Range { return ev.originOf(e.Variables()) }

// originOf returns where the first of the symbols vars that has an origin was defined.
func (ev *evaluator) originOf(vars []hcl.Traversal) *source.Range {
	for _, t := range vars {
		key := t.RootName()
		if o, ok := ev.origins[key]; ok {
			return &o
		}
		for _, step := range t[1:] {
			a, ok := step.(hcl.TraverseAttr)
			if !ok {
				break
			}
			if o, ok := ev.attributeOrigin(key, a.Name); ok {
				return &o
			}
			key += "." + a.Name
			if o, ok := ev.origins[key]; ok {
				return &o
			}
		}
	}
	return nil
}

// attributeOrigin returns where the resource at address set the attribute name.
func (ev *evaluator) attributeOrigin(address, name string) (source.Range, bool) {
	fb, ok := ev.bodies[address]
	if !ok {
		return source.Range{}, false
	}
	a, ok := fb.block.Body.Attributes[name]
	if !ok {
		return source.Range{}, false
	}
	return fb.pf.rng(a.Expr.Range()), true
}

// forDepth returns how deeply for expressions nest in e.
func forDepth(e hclsyntax.Expression) int {
	switch e.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		return 0 // the common leaves, without a walk
	}
	w := &forWalker{}
	hclsyntax.Walk(e, w)
	return w.deepest
}

// forWalker counts the for expressions enclosing the node it is at.
type forWalker struct{ depth, deepest int }

func (w *forWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok {
		w.depth++
		w.deepest = max(w.deepest, w.depth)
	}
	return nil
}

func (w *forWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.ForExpr); ok {
		w.depth--
	}
	return nil
}

// fromCty converts a computed value. It has no per-item source of its own, so every part
// takes the range of the expression it was written at and the origin of its definition.
// Unknown parts stay Unknown.
func fromCty(v cty.Value, r source.Range, origin *source.Range, depth int) *graph.Value {
	out := &graph.Value{Type: graph.Unknown, Range: r, Origin: origin}
	if !v.IsKnown() || v.IsMarked() || depth == 0 {
		return out
	}
	if v.IsNull() {
		out.Type = graph.Null
		return out
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		out.Type, out.Str = graph.String, v.AsString()
	case ty == cty.Bool:
		out.Type, out.Bool = graph.Bool, v.True()
	case ty == cty.Number:
		out.Type = graph.Number
		bf := v.AsBigFloat()
		out.Num, _ = bf.Float64()
		out.Str = bf.Text('f', -1)
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out.Type = graph.List
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			out.Items = append(out.Items, fromCty(el, r, origin, depth-1))
		}
	case ty.IsMapType() || ty.IsObjectType():
		out.Type = graph.Map
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			out.Attrs = append(out.Attrs, &graph.Attribute{
				Name: k.AsString(), NameRange: r, Range: r, Value: fromCty(el, r, origin, depth-1),
			})
		}
	}
	return out
}

// markComputed sets origin on every part of v that has none: values a dynamic block
// generated, which fixers must not edit in place.
func markComputed(v *graph.Value, origin source.Range) {
	v.Walk(func(x *graph.Value) {
		if x.Origin == nil {
			o := origin
			x.Origin = &o
		}
	})
}
