package terraform

import (
	"math/big"
	"slices"
	"strconv"

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
// each symbol's value comes from, and the module path prefixed to addresses.
type evaluator struct {
	ctx *hcl.EvalContext
	// origins maps a symbol to where its value comes from: "var.x", "local.y", "each",
	// "count", a dynamic block's iterator.
	origins map[string]origin
	// prefix is the module path of the instance ("module.web."), "" in a root module.
	prefix string
	// expanded holds the addresses of resources declared with count or for_each, whose
	// references name one instance.
	expanded map[string]bool
	// bodies are the resource blocks by address, where their attributes' origins are.
	bodies map[string]fileBlock
	// selves are the resource instances by address ("aws_instance.web[0]"): what self
	// reads in each.
	selves map[string]cty.Value
	// converters are the instance's converters by file, one each so that a file's
	// duplicate declarations are found.
	converters map[*parsedFile]*converter
	// facts are what the syntax of expressions says, shared by the scan's instances.
	facts *syntaxFacts
	// meter spends the root module's evaluation budgets.
	meter *meter
	// args are the argument values of the instance being converted, valid while the
	// context is argsCtx (evaluator.reused).
	args    map[hcl.Expression]argValue
	argsCtx *hcl.EvalContext
	// constant are the values of top-level arguments that read only what is the same in
	// every instance of every block of the module instance (readsConstant): they are
	// computed once for all the instances of their block.
	constant map[hcl.Expression]argValue
}

// argValue is a top-level argument's value and the evaluation steps computing it took.
type argValue struct {
	v     cty.Value
	steps int
}

// argValue evaluates the top-level argument e of the instance in, written at r, for
// bindResources. Converting the instance evaluates its arguments again, with the
// resources bound; one that reads no resource (nor self) has the same value then, and is
// kept for it to reuse (reused), with the other instances of the block when it reads no
// count or each value either.
func (ev *evaluator) argValue(in *inst, e hcl.Expression, r source.Range) (cty.Value, bool) {
	if a, ok := in.args[e]; ok && ev.meter.respend(a.steps) {
		return a.v, true
	}
	if a, ok := ev.constant[e]; ok && ev.meter.respend(a.steps) {
		return a.v, true
	}
	before := ev.meter.steps
	v, ok := ev.value(e, ev.ctx, r)
	if ok {
		switch ev.reads(e) {
		case readsConstant:
			ev.constant[e] = argValue{v: v, steps: ev.meter.steps - before}
		case readsInstance:
			if in.args == nil {
				in.args = map[hcl.Expression]argValue{}
			}
			in.args[e] = argValue{v: v, steps: ev.meter.steps - before}
		}
	}
	return v, ok
}

// reused returns the value argValue or keep kept for e, when e is evaluated in the
// context of the instance being converted and the steps budget allows computing it again.
func (ev *evaluator) reused(e hcl.Expression) (cty.Value, bool) {
	if ev.argsCtx == nil || ev.ctx != ev.argsCtx {
		return cty.NilVal, false
	}
	a, ok := ev.args[e]
	if !ok {
		a, ok = ev.constant[e]
	}
	if !ok || !ev.meter.respend(a.steps) {
		return cty.NilVal, false
	}
	return a.v, true
}

// keep keeps the value of e, computed in steps, for the other instances of its block
// when e is a top-level argument of the instance being converted that reads only
// constants.
func (ev *evaluator) keep(e hcl.Expression, v cty.Value, steps int) {
	if ev.argsCtx != nil && ev.ctx == ev.argsCtx && ev.reads(e) == readsConstant {
		ev.constant[e] = argValue{v: v, steps: steps}
	}
}

// What an expression reads, as far as its value may change within a module instance.
const (
	readsConstant  = iota // variables, locals, path, terraform, and the data and module objects, always empty
	readsInstance         // those, and the count or each value of its instance
	readsResources        // a resource, self, or any other symbol
)

// reads says what the symbols e reads are.
func (ev *evaluator) reads(e hcl.Expression) int {
	out := readsConstant
	for _, t := range ev.variables(e) {
		switch t.RootName() {
		case "var", "local", "path", "terraform", "data", "module":
		case "count", "each":
			out = readsInstance
		default:
			return readsResources
		}
	}
	return out
}

// origin is where a symbol's value comes from: at is where it was defined (the Origin of
// a value computed from it, which fixers point at instead of editing), trace the steps
// that produced it (the value's Trace, which --explain-values prints). Both are shared by
// every value computed from the symbol, and never changed in place.
type origin struct {
	at    *source.Range
	trace []graph.Step
}

// definedAt is the origin of a symbol defined at r with trace.
func definedAt(r source.Range, trace []graph.Step) origin { return origin{at: &r, trace: trace} }

// maxTrace bounds a trace: a value computed from many symbols, each computed from many
// more, would otherwise carry them all.
const maxTrace = 16

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
func (ev *evaluator) evaluate(e hcl.Expression, r source.Range, vars []hcl.Traversal) (*graph.Value, bool) {
	v, ok := ev.reused(e)
	if !ok {
		before := ev.meter.steps
		if v, ok = ev.value(e, ev.ctx, r); !ok {
			return nil, false
		}
		ev.keep(e, v, ev.meter.steps-before)
	}
	at, trace := ev.provenance(vars)
	if at == nil && !ev.evaluable(e) {
		at = &r // a function's result: computed, though from literals only
	}
	return fromCty(v, r, at, trace, maxValueDepth), true
}

// maxValueDepth bounds the nesting of a computed value (jsondecode of a crafted string).
const maxValueDepth = 64

// maxExponent bounds the binary exponent of a computed number: float64's range. A larger
// or smaller one stays Unknown.
const maxExponent = 1100

// derive returns the origin of a symbol that e defines, as the step what written at r: when
// e only passes on one symbol's value (var.x, [var.x], { k = var.x }) it was defined where
// that symbol was, else at e; its trace is the traces of what e reads, then the step.
func (ev *evaluator) derive(e hcl.Expression, r source.Range, what string) origin {
	vars := ev.variables(e)
	at, trace := ev.provenance(vars)
	trace = appendStep(trace, graph.Step{Range: r, What: what})
	if at != nil && len(vars) == 1 && ev.transparent(e) {
		return origin{at: at, trace: trace}
	}
	return definedAt(r, trace)
}

// provenance returns where the first of the symbols vars that has an origin was defined
// (nil when none has), and the steps of all of them, in order. The trace of one symbol is
// returned as it is, shared: traces are never changed in place (appendStep copies), and
// most values are computed from one symbol. Several symbols' traces are merged into one
// new array, not one per step.
func (ev *evaluator) provenance(vars []hcl.Traversal) (at *source.Range, trace []graph.Step) {
	var buf [4]origin
	origins := buf[:0]
	for _, t := range vars {
		if o, ok := ev.originOf(t); ok {
			origins = append(origins, o)
		}
	}
	if len(origins) == 0 {
		return nil, nil
	}
	at, trace = origins[0].at, origins[0].trace
	if at == nil {
		at = &source.Range{}
	}
	steps := len(trace) // an upper bound of the merged trace's length
	for _, o := range origins[1:] {
		steps += len(o.trace)
	}
	owned := false
	for _, o := range origins[1:] {
		for _, s := range o.trace {
			if len(trace) >= maxTrace || slices.Contains(trace, s) {
				continue
			}
			if !owned {
				trace, owned = append(make([]graph.Step, 0, min(steps, maxTrace)), trace...), true
			}
			trace = append(trace, s)
		}
	}
	return at, trace[:len(trace):len(trace)]
}

// appendStep appends s to trace unless it is there already or the trace is full. The
// result never shares its array with trace, which other values hold.
func appendStep(trace []graph.Step, s graph.Step) []graph.Step {
	if len(trace) >= maxTrace || slices.Contains(trace, s) {
		return trace
	}
	return append(trace[:len(trace):len(trace)], s)
}

// originOf returns where the symbol t reads comes from: a variable, local or iterator, or
// an attribute set in the configuration of the resource it names.
//
// The keys it looks up ("var", "var.x", "aws_s3_bucket.b") are built in one buffer,
// which map lookups read without making a string of each: this runs for every symbol of
// every computed expression.
func (ev *evaluator) originOf(t hcl.Traversal) (origin, bool) {
	var buf [128]byte
	key := append(buf[:0], t.RootName()...)
	if o, ok := ev.origins[string(key)]; ok {
		return o, true
	}
	for _, ts := range t[1:] {
		a, ok := ts.(hcl.TraverseAttr)
		if !ok {
			break
		}
		if fb, ok := ev.bodies[string(key)]; ok {
			if e, ok := fb.attr(a.Name); ok {
				r := fb.pf.rng(e.Range())
				what := string(append(append(key, '.'), a.Name...))
				return step(r, what), true
			}
		}
		key = append(append(key, '.'), a.Name...)
		if o, ok := ev.origins[string(key)]; ok {
			return o, true
		}
	}
	return origin{}, false
}

// nativeParts calls fn with the native-syntax expressions e is made of until fn returns
// false, and reports whether it never did: e itself, or in JSON the templates of the
// strings and keys of the value, which is how hcl evaluates them. A JSON string without
// "${" or "%{" is a literal, and has no part.
func nativeParts(e hcl.Expression, fn func(hclsyntax.Expression) bool) bool {
	if ne, ok := e.(hclsyntax.Expression); ok {
		return fn(ne)
	}
	return jsonStrings(e, func(str hcl.Expression, s string) bool {
		t, ok := parseJSONTemplate(str, s)
		return !ok || fn(t) // a broken template fails to evaluate anyway
	})
}

// parseJSONTemplate parses the text s of a JSON string str as the template hcl evaluates
// it as; ok is false when s has no interpolation or directive, or does not parse.
func parseJSONTemplate(str hcl.Expression, s string) (t hclsyntax.Expression, ok bool) {
	if !isTemplate(s) {
		return nil, false
	}
	r := str.Range()
	start := hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1} // past the quote
	t, diags := hclsyntax.ParseTemplate([]byte(s), r.Filename, start)
	return t, !diags.HasErrors()
}

// jsonStrings calls fn with each string of a JSON value, object keys included, and its
// text until fn returns false, and reports whether it never did.
func jsonStrings(e hcl.Expression, fn func(str hcl.Expression, s string) bool) bool {
	if l, ok := e.(interface{ ExprList() []hcl.Expression }); ok {
		if items := l.ExprList(); items != nil {
			for _, it := range items {
				if !jsonStrings(it, fn) {
					return false
				}
			}
			return true
		}
	}
	if m, ok := e.(interface{ ExprMap() []hcl.KeyValuePair }); ok {
		if pairs := m.ExprMap(); pairs != nil {
			for _, p := range pairs {
				if !jsonStrings(p.Key, fn) || !jsonStrings(p.Value, fn) {
					return false
				}
			}
			return true
		}
	}
	v, diags := e.Value(nil) // a JSON string verbatim
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return true
	}
	return fn(e, v.AsString())
}

// valueIn evaluates e in ctx. A JSON value without a template has the same value
// without the context, which spares hcl parsing each of its strings as a template: most
// of a JSON resource's values are literals.
func valueIn(e hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if _, native := e.(hclsyntax.Expression); native || !jsonStrings(e, func(_ hcl.Expression, s string) bool { return !isTemplate(s) }) {
		return e.Value(ctx)
	}
	return e.Value(nil)
}

// boundedValue evaluates e in ctx as valueIn does, unless for expressions nest in it
// deeper than maxForDepth; ok is false then, and when evaluation fails.
func boundedValue(e hcl.Expression, ctx *hcl.EvalContext) (v cty.Value, diags hcl.Diagnostics, ok bool) {
	depth, templates := 0, true
	if ne, native := e.(hclsyntax.Expression); native {
		depth = forDepth(ne)
	} else {
		templates = false
		jsonStrings(e, func(str hcl.Expression, s string) bool {
			templates = templates || isTemplate(s)
			if t, ok := parseJSONTemplate(str, s); ok {
				depth = max(depth, forDepth(t))
			}
			return true
		})
	}
	if depth > maxForDepth {
		return cty.DynamicVal, nil, false
	}
	if !templates {
		ctx = nil
	}
	v, diags = e.Value(ctx)
	return v, diags, !diags.HasErrors()
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
// takes the range of the expression it was written at, and the origin and trace of its
// definition. Unknown parts stay Unknown.
func fromCty(v cty.Value, r source.Range, origin *source.Range, trace []graph.Step, depth int) *graph.Value {
	out := &graph.Value{}
	fillCty(out, v, r, origin, trace, depth)
	return out
}

// fillCty converts v into out. The items of a collection are allocated together, one
// array of values (and of attributes) per collection rather than one object each: a
// computed map of tags or a policy document has many.
func fillCty(out *graph.Value, v cty.Value, r source.Range, origin *source.Range, trace []graph.Step, depth int) {
	*out = graph.Value{Type: graph.Unknown, Range: r, Origin: origin, Trace: trace}
	if !v.IsKnown() || v.IsMarked() || depth == 0 {
		return
	}
	if v.IsNull() {
		out.Type = graph.Null
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		out.Type, out.Str = graph.String, v.AsString()
	case ty == cty.Bool:
		out.Type, out.Bool = graph.Bool, v.True()
	case ty == cty.Number:
		bf := v.AsBigFloat()
		if exp := bf.MantExp(nil); exp > maxExponent || exp < -maxExponent {
			return // beyond float64 (jsondecode("1e99999999")): its digits alone would fill memory
		}
		out.Type = graph.Number
		out.Num, out.Str = number(bf)
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out.Type = graph.List
		n := v.LengthInt()
		values := make([]graph.Value, n)
		if n > 0 { // an empty list keeps nil Items, as before
			out.Items = make([]*graph.Value, 0, n)
		}
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			var item *graph.Value
			if i := len(out.Items); i < n {
				item = &values[i]
			} else {
				item = &graph.Value{}
			}
			fillCty(item, el, r, origin, trace, depth-1)
			out.Items = append(out.Items, item)
		}
	case ty.IsMapType() || ty.IsObjectType():
		out.Type = graph.Map
		n := v.LengthInt()
		values, attrs := make([]graph.Value, n), make([]graph.Attribute, n)
		if n > 0 {
			out.Attrs = make([]*graph.Attribute, 0, n)
		}
		add := func(k string, el cty.Value) {
			var a *graph.Attribute
			var val *graph.Value
			if i := len(out.Attrs); i < n {
				a, val = &attrs[i], &values[i]
			} else {
				a, val = &graph.Attribute{}, &graph.Value{}
			}
			fillCty(val, el, r, origin, trace, depth-1)
			*a = graph.Attribute{Name: k, NameRange: r, Range: r, Value: val}
			out.Attrs = append(out.Attrs, a)
		}
		if ty.IsObjectType() {
			// by name in lexical order, as ElementIterator, which would also make a cty
			// string of each name
			names := make([]string, 0, n)
			for k := range ty.AttributeTypes() {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, k := range names {
				add(k, v.GetAttr(k))
			}
			break
		}
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			add(k.AsString(), el)
		}
	}
}

// number returns a number's float64 value and its text as bf.Text('f', -1) writes it.
// Text looks for the shortest decimal at cty's 512-bit precision, a costly conversion
// (14% of the CPU of a module-heavy scan): an integer that fits int64, nearly every
// number of a configuration, is formatted directly instead.
func number(bf *big.Float) (float64, string) {
	if bf.IsInt() && (bf.Sign() != 0 || !bf.Signbit()) { // -0 is written "-0"
		if i, acc := bf.Int64(); acc == big.Exact {
			return float64(i), strconv.FormatInt(i, 10)
		}
	}
	f, _ := bf.Float64()
	return f, bf.Text('f', -1)
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
