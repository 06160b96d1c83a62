package terraform

import (
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/source"
	"github.com/zclconf/go-cty/cty"
)

// syntaxFacts holds, for the native expressions of one scan, what their syntax alone
// says: the traversals they make, how deeply for expressions nest in them, whether they
// are transparent or evaluable. Every instance of a module asks the same of the same
// expressions; walking them again each time was a fifth of the allocations of a scan of
// terraform-aws-eks. Root modules are evaluated in parallel and share it.
type syntaxFacts struct {
	m sync.Map // hclsyntax.Expression (always a pointer) → *facts
}

// facts are what syntaxFacts keeps about one expression; vars is shared and read-only.
type facts struct {
	vars                   []hcl.Traversal
	depth                  int // for expressions nested in it (forDepth)
	transparent, evaluable bool
	// indexes are the nodes that may index a resource with an instance key, in the
	// order hclsyntax.VisitAll meets them (converter.syntaxIndexKeys): traversals with
	// an index step, relative traversals and index expressions. Most expressions have
	// none, and their instances' references need no walk.
	indexes []hclsyntax.Node
}

// of returns the facts of a native expression, computed on first use. A nil receiver
// computes them every time. The commonest leaves, a literal and a lone traversal, are
// answered without a walk or an entry: caching them would cost more than it saves in
// a module evaluated once.
func (s *syntaxFacts) of(e hclsyntax.Expression) facts {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return facts{transparent: true, evaluable: true}
	case *hclsyntax.ScopeTraversalExpr:
		return facts{vars: []hcl.Traversal{e.Traversal}, transparent: true, evaluable: true}
	}
	if s == nil {
		return *newFacts(e)
	}
	if f, ok := s.m.Load(e); ok {
		return *f.(*facts)
	}
	f, _ := s.m.LoadOrStore(e, newFacts(e))
	return *f.(*facts)
}

// newFacts reads, in one walk, e's traversals, depth, transparent, evaluable and indexes.
func newFacts(e hclsyntax.Expression) *facts {
	w := &factWalker{facts: facts{transparent: true, evaluable: true}}
	hclsyntax.Walk(e, w)
	return &w.facts
}

// factWalker computes what hclsyntax.Variables, forWalker, transparentSyntax and
// evaluableSyntax compute.
type factWalker struct {
	facts
	fors int
	// scopes are the names for expressions bind around the node (hclsyntax.ChildScope),
	// whose traversals are not variables, as hclsyntax.Variables has it.
	scopes []map[string]struct{}
}

func (w *factWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	switch n := n.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if !w.local(n.Traversal.RootName()) {
			w.vars = append(w.vars, n.Traversal)
		}
		if _, ok := traversalIndex(n.Traversal); ok {
			w.indexes = append(w.indexes, n)
		}
	case *hclsyntax.RelativeTraversalExpr, *hclsyntax.IndexExpr:
		w.indexes = append(w.indexes, n)
	case hclsyntax.ChildScope:
		w.scopes = append(w.scopes, n.LocalNames)
	}
	switch n.(type) {
	case *hclsyntax.ForExpr:
		w.fors++
		w.depth = max(w.depth, w.fors)
		w.transparent, w.evaluable = false, false
	case *hclsyntax.FunctionCallExpr:
		w.transparent, w.evaluable = false, false
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.LiteralValueExpr, *hclsyntax.TupleConsExpr,
		*hclsyntax.ObjectConsExpr, *hclsyntax.ObjectConsKeyExpr, *hclsyntax.ParenthesesExpr, *hclsyntax.TemplateWrapExpr:
	default:
		w.transparent = false
	}
	return nil
}

func (w *factWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	switch n.(type) {
	case *hclsyntax.ForExpr:
		w.fors--
	case hclsyntax.ChildScope:
		w.scopes = w.scopes[:len(w.scopes)-1]
	}
	return nil
}

// local reports whether an enclosing for expression binds name.
func (w *factWalker) local(name string) bool {
	for _, names := range w.scopes {
		if _, ok := names[name]; ok {
			return true
		}
	}
	return false
}

// variables returns the traversals e makes.
func (ev *evaluator) variables(e hcl.Expression) []hcl.Traversal {
	if ne, native := e.(hclsyntax.Expression); native {
		return ev.facts.of(ne).vars
	}
	return e.Variables()
}

// transparent is transparent(e), from the facts of a native expression.
func (ev *evaluator) transparent(e hcl.Expression) bool {
	if ne, native := e.(hclsyntax.Expression); native {
		return ev.facts.of(ne).transparent
	}
	return transparent(e)
}

// evaluable is evaluable(e), from the facts of a native expression.
func (ev *evaluator) evaluable(e hcl.Expression) bool {
	if ne, native := e.(hclsyntax.Expression); native {
		return ev.facts.of(ne).evaluable
	}
	return evaluable(e)
}

// bounded is boundedValue(e, ctx), with the for depth of a native expression from its
// facts.
func (ev *evaluator) bounded(e hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics, bool) {
	ne, native := e.(hclsyntax.Expression)
	if !native {
		return boundedValue(e, ctx)
	}
	if ev.facts.of(ne).depth > maxForDepth {
		return cty.DynamicVal, nil, false
	}
	v, diags := e.Value(ctx)
	return v, diags, !diags.HasErrors()
}

// value evaluates e in ctx as bounded does, under the root module's budgets (meter.value).
func (ev *evaluator) value(e hcl.Expression, ctx *hcl.EvalContext, r source.Range) (cty.Value, bool) {
	return ev.meter.value(e, ctx, r, ev.bounded)
}
