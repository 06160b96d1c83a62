package terraform

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// call is one instance of a module: a root module, or one instance of a module block.
type call struct {
	root    string               // the root module's directory: the scope of every resource
	prefix  string               // the module path of addresses: "module.web.", "" in the root
	key     string               // the module's key in modules.json: "web.db"
	inputs  map[string]cty.Value // the arguments of the module block; nil in a root module
	origins map[string]origin    // where each input comes from
	stack   []string             // the module directories on the call path
	// calledFrom are the headers of the module blocks on the call path, innermost first.
	calledFrom []source.Range
}

// instance evaluates one module instance into its resources and its modules' resources.
func (l *loader) instance(m *moduleSource, c *call) []*graph.Resource {
	ev := &evaluator{meter: l.meter, origins: map[string]origin{}, prefix: c.prefix, expanded: map[string]bool{},
		bodies: map[string]fileBlock{}, selves: map[string]cty.Value{}, converters: map[*parsedFile]*converter{}, facts: l.facts,
		constant: map[hcl.Expression]argValue{}}
	ev.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":       cty.ObjectVal(l.variables(m, c, ev.origins)),
			"path":      l.paths(m, c),
			"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
			// Data sources and module outputs are never known. Reading one fails either
			// way, but a name missing from the context makes hcl rank every name it has
			// by Levenshtein distance for a "did you mean" nobody reads; an attribute
			// missing from an empty object fails at once.
			"data":   cty.EmptyObjectVal,
			"module": cty.EmptyObjectVal,
		},
		Functions: l.functions(c.root),
	}
	ev.ctx.Variables["local"] = l.locals(m, ev)
	insts := make([][]inst, len(m.resources))
	expandAll(m, ev, insts)
	bindResources(m, ev, insts)
	if expandAll(m, ev, insts) { // count or for_each read a resource bound just now
		bindResources(m, ev, insts)
	}
	var out []*graph.Resource
	for i, fb := range m.resources {
		out = append(out, l.convert(fb, ev, insts[i], c)...)
	}
	for _, fb := range m.providers {
		if r := l.provider(fb, ev, c); r != nil {
			out = append(out, r)
		}
	}
	for _, fb := range m.calls {
		out = append(out, l.callModule(m, fb, ev, c)...)
	}
	return out
}

// expandAll expands the resource blocks not expanded yet and reports whether one was.
func expandAll(m *moduleSource, ev *evaluator, insts [][]inst) (changed bool) {
	for i, fb := range m.resources {
		if len(fb.labels()) != 2 {
			insts[i] = []inst{{}} // converted once, to report the labels
			continue
		}
		if ev.expanded[address(fb)] || insts[i] != nil && !repeated(fb) {
			continue // a block without count or for_each keeps its instance, and its args
		}
		var expanded bool
		insts[i], expanded = expand(fb, ev)
		if expanded {
			ev.expanded[address(fb)], changed = true, true
		}
	}
	return changed
}

// repeated reports whether a block has count or for_each.
func repeated(fb fileBlock) bool {
	_, count := fb.attr("count")
	_, forEach := fb.attr("for_each")
	return count || forEach
}

// address is a resource or data block's address in its module.
func address(fb fileBlock) string {
	labels := fb.labels()
	if fb.typ() == "data" {
		return "data." + labels[0] + "." + labels[1]
	}
	return labels[0] + "." + labels[1]
}

// inst is one instance of a block with count or for_each: its address suffix and the
// count or each value it sees.
type inst struct {
	suffix string
	vars   map[string]cty.Value
	origin origin // where the count or each value comes from
	// args are the values of the top-level arguments bindResources computed that read
	// no resource, which converting the instance reuses (evaluator.argValue).
	args map[hcl.Expression]argValue
}

// expand returns the instances of a block. expanded is false for a block with neither
// count nor for_each, and for one whose count or for_each is not known: a single
// instance then stands for all, seeing Unknown count.index and each values.
func expand(fb fileBlock, ev *evaluator) (insts []inst, expanded bool) {
	if e, ok := fb.attr("count"); ok {
		r := fb.pf.rng(e.Range())
		return expandCount(e, ev, ev.derive(e, r, "count"), r)
	}
	if e, ok := fb.attr("for_each"); ok {
		r := fb.pf.rng(e.Range())
		return expandForEach(e, ev, ev.derive(e, r, "for_each"), r)
	}
	return []inst{{}}, false
}

// expandCount expands count, written at r, within the instances budgets.
func expandCount(e hcl.Expression, ev *evaluator, origin origin, r source.Range) ([]inst, bool) {
	v, diags := ev.meter.in(e, ev.ctx, r)
	var n int
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || v.IsMarked() || gocty.FromCtyValue(v, &n) != nil || n < 0 ||
		ev.meter.allow(n, r, "count") < n {
		unknown := cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})
		return []inst{{vars: map[string]cty.Value{"count": unknown}, origin: origin}}, false
	}
	out := make([]inst, n)
	for i := range out {
		idx := cty.NumberIntVal(int64(i))
		out[i] = inst{suffix: instanceKey(idx), vars: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": idx})}, origin: origin}
	}
	return out, true
}

// expandForEach expands for_each, written at r, within the instances budgets.
func expandForEach(e hcl.Expression, ev *evaluator, origin origin, r source.Range) ([]inst, bool) {
	v, diags := ev.meter.in(e, ev.ctx, r)
	ty := v.Type()
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || v.IsMarked() ||
		!(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) || ev.meter.allow(v.LengthInt(), r, "for_each") < v.LengthInt() {
		return unknownEach(origin), false
	}
	var out []inst
	for it := v.ElementIterator(); it.Next(); {
		k, el := it.Element()
		if ty.IsSetType() {
			k = el // a set's elements are its keys, and must be strings
		}
		key := instanceKey(k)
		if k.Type() != cty.String || key == "" {
			return unknownEach(origin), false
		}
		out = append(out, inst{suffix: key, vars: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": el})}, origin: origin})
	}
	return out, true
}

// unknownEach is the one instance of a for_each that is not known.
func unknownEach(origin origin) []inst {
	unknown := cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})
	return []inst{{vars: map[string]cty.Value{"each": unknown}, origin: origin}}
}

// transparent reports whether e builds its value from its parts without computing:
// traversals, literals and constructors only. In JSON, arrays and objects are
// constructors, and a string is transparent when it is a literal or the template of one
// interpolation ("${var.x}").
func transparent(e hcl.Expression) bool { return nativeParts(e, transparentSyntax) }

func transparentSyntax(e hclsyntax.Expression) bool {
	ok := true
	hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.ScopeTraversalExpr, *hclsyntax.LiteralValueExpr, *hclsyntax.TupleConsExpr,
			*hclsyntax.ObjectConsExpr, *hclsyntax.ObjectConsKeyExpr, *hclsyntax.ParenthesesExpr, *hclsyntax.TemplateWrapExpr:
		default:
			ok = false
		}
		return nil
	})
	return ok
}

// enter binds an instance's count or each value; the returned function unbinds it.
func (ev *evaluator) enter(in inst) func() {
	parent := ev.ctx
	ev.ctx = parent.NewChild()
	ev.ctx.Variables = make(map[string]cty.Value, len(in.vars)+1) // room for self
	maps.Copy(ev.ctx.Variables, in.vars)
	for name := range in.vars {
		ev.origins[name] = in.origin
	}
	return func() {
		ev.ctx = parent
		for name := range in.vars {
			delete(ev.origins, name)
		}
	}
}

// reserved are the names of the evaluation context that are not resource types.
var reserved = map[string]bool{"var": true, "local": true, "path": true, "terraform": true, "count": true, "each": true,
	"self": true, "data": true, "module": true}

// bindResources makes the attributes set in the configuration of every resource
// readable as aws_s3_bucket.b.bucket (aws_s3_bucket.b[0].bucket, ...["k"].bucket for
// instances). Only top-level attributes that evaluate without other resources are bound;
// reading anything else fails, and stays Unknown.
func bindResources(m *moduleSource, ev *evaluator, insts [][]inst) {
	// A resource read before its type is bound fails to evaluate; as an empty object it
	// fails at once, where as an unknown root name hcl would rank every name of the
	// context by Levenshtein distance for a "did you mean" nobody reads.
	for _, fb := range m.resources {
		if typ := fb.labels(); fb.typ() == "resource" && len(typ) == 2 && !reserved[typ[0]] {
			if _, bound := ev.ctx.Variables[typ[0]]; !bound {
				ev.ctx.Variables[typ[0]] = cty.EmptyObjectVal
			}
		}
	}
	byType := map[string]map[string]cty.Value{}
	for i, fb := range m.resources {
		if fb.typ() != "resource" || len(fb.labels()) != 2 || reserved[fb.labels()[0]] {
			continue
		}
		typ, name := fb.labels()[0], fb.labels()[1]
		objs := map[string]cty.Value{}
		var order []cty.Value
		for j := range insts[i] {
			in := &insts[i][j]
			obj := resourceObject(fb, ev, in, typ+"."+name)
			objs[strings.Trim(in.suffix, `[]"`)] = obj
			order = append(order, obj)
		}
		if byType[typ] == nil {
			byType[typ] = map[string]cty.Value{}
		}
		byType[typ][name] = instancesValue(ev.expanded[typ+"."+name], insts[i], objs, order)
	}
	for typ, names := range byType {
		ev.ctx.Variables[typ] = cty.ObjectVal(names)
	}
}

// instancesValue is how a resource reads: an object, a tuple of count instances or an
// object of for_each instances.
func instancesValue(expanded bool, insts []inst, objs map[string]cty.Value, order []cty.Value) cty.Value {
	switch {
	case !expanded:
		return order[0]
	case len(order) == 0:
		return cty.EmptyTupleVal
	case strings.HasPrefix(insts[0].suffix, `["`):
		return cty.ObjectVal(objs)
	}
	return cty.TupleVal(order)
}

// resourceObject evaluates the top-level attributes of one resource instance, which
// self reads too. Where they were written is looked up only when a reference needs it
// (evaluator.originOf).
func resourceObject(fb fileBlock, ev *evaluator, in *inst, addr string) cty.Value {
	defer ev.enter(*in)()
	ev.bodies[addr] = fb
	attrs := map[string]cty.Value{}
	for name, e := range fb.arguments() {
		if v, ok := ev.argValue(in, e, fb.pf.rng(e.Range())); ok {
			attrs[name] = v
		}
	}
	obj := cty.ObjectVal(attrs)
	ev.selves[addr+in.suffix] = obj
	return obj
}

// bindSelf makes self read the instance at addr while its body is converted, as in its
// provisioner and connection blocks; the returned function unbinds it. A data source
// has no self.
func (ev *evaluator) bindSelf(addr string, fb fileBlock) func() {
	obj, ok := ev.selves[addr]
	if !ok {
		return func() {}
	}
	ev.ctx.Variables["self"] = obj // the context enter made for this instance
	ev.bodies["self"] = fb
	return func() { delete(ev.bodies, "self") }
}

// convert builds the resources of one block, one per instance.
func (l *loader) convert(fb fileBlock, ev *evaluator, insts []inst, mc *call) []*graph.Resource {
	c := ev.converter(fb.pf)
	base, ok := c.resource(fb.typ(), fb.labels(), c.rng(fb.header()), c.rng(fb.whole()))
	if !ok {
		l.diags = append(l.diags, c.diags...)
		return nil
	}
	out := make([]*graph.Resource, 0, len(insts))
	for _, in := range insts {
		r := *base
		r.ID.Address = ev.prefix + base.ID.Address + in.suffix
		r.Scope = mc.root
		r.CalledFrom = mc.calledFrom
		exit := ev.enter(in)
		ev.args, ev.argsCtx = in.args, ev.ctx
		unbind := ev.bindSelf(base.ID.Address+in.suffix, fb)
		r.Body = c.blockBody(fb)
		unbind()
		ev.args, ev.argsCtx = nil, nil
		exit()
		out = append(out, &r)
	}
	l.diags = append(l.diags, c.diags...)
	c.diags = nil
	return out
}

// paths is the path object: path.module relative to the root module, as Terraform has it.
func (l *loader) paths(m *moduleSource, c *call) cty.Value {
	rel, err := filepath.Rel(c.root, m.dir)
	if err != nil {
		rel = m.dir
	}
	return cty.ObjectVal(map[string]cty.Value{
		"module": cty.StringVal(filepath.ToSlash(rel)), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
	})
}

// functions returns the function table of a root module, built once.
func (l *loader) functions(root string) map[string]function.Function {
	if fs, ok := l.funcs[root]; ok {
		return fs
	}
	fs := functionsFor(&fileReader{root: l.opts.Root, dir: root}, l.meter)
	l.funcs[root] = fs
	return fs
}

// localsCycle reports a reference cycle among locals at the local that closes it.
func (l *loader) localsCycle(fa fileAttr, path []string) {
	r := fa.pf.rng(fa.attr.NameRange)
	l.addDiag(source.Error, &r, "Cycle in locals",
		fmt.Sprintf("local.%s refers to itself: %s. These locals are not evaluated.", fa.attr.Name, strings.Join(path, " → ")))
}

// locals evaluates the module's locals in dependency order.
func (l *loader) locals(m *moduleSource, ev *evaluator) cty.Value {
	defs := map[string]fileAttr{}
	for _, fa := range m.locals {
		if _, dup := defs[fa.attr.Name]; !dup {
			defs[fa.attr.Name] = fa
		}
	}
	vals := map[string]cty.Value{}
	visiting := map[string]bool{}
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		fa, ok := defs[name]
		if _, done := vals[name]; done || !ok {
			return
		}
		if visiting[name] {
			l.localsCycle(fa, append(slices.Clone(stack[slices.Index(stack, "local."+name):]), "local."+name))
			return
		}
		visiting[name], stack = true, append(stack, "local."+name)
		deps := map[string]cty.Value{}
		for _, dep := range localRefs(ev.variables(fa.attr.Expr)) {
			visit(dep)
			if v, ok := vals[dep]; ok {
				deps[dep] = v
			}
		}
		stack = stack[:len(stack)-1]
		vals[name] = localValue(fa, ev, deps)
	}
	for _, fa := range m.locals {
		visit(fa.attr.Name)
	}
	return cty.ObjectVal(vals)
}

// localValue evaluates one local with the locals it reads and records its origin.
func localValue(fa fileAttr, ev *evaluator, deps map[string]cty.Value) cty.Value {
	ctx := ev.ctx.NewChild()
	ctx.Variables = map[string]cty.Value{"local": cty.ObjectVal(deps)}
	ev.origins["local."+fa.attr.Name] = ev.derive(fa.attr.Expr, fa.pf.rng(fa.attr.Expr.Range()), "local."+fa.attr.Name)
	v, ok := ev.value(fa.attr.Expr, ctx, fa.pf.rng(fa.attr.Expr.Range()))
	if !ok {
		return cty.DynamicVal
	}
	return v
}

// localRefs returns the names of the locals an expression reads, from its traversals.
func localRefs(vars []hcl.Traversal) []string {
	var out []string
	for _, t := range vars {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			out = append(out, a.Name)
		}
	}
	return out
}
