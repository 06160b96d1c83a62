package custom

import (
	"fmt"
	"slices"

	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
)

// inputs are what an expression reads.
type inputs struct {
	// fields are the fields of `resource` it selects by a constant name; whole says it
	// uses the map otherwise too (its keys, its size, as a value): then it reads them all.
	fields fieldSet
	whole  bool
	// values is the view of resource.values it reads by constant names only
	// (resource.values.versioning); nil when it reads the map otherwise too.
	values *valuesView
	// neighbours are, for referrers and targets, what it reads of each neighbour when it
	// reads the list only through a macro (all, exists, map, ...) whose variable it reads
	// by constant names only; nil otherwise.
	neighbours [2]*neighboursView
	// value says it reads `value`.
	value bool
}

// valuesView is what an expression reads of a values map: the names it selects.
type valuesView struct {
	names []string
	name  string // the view's name, for the caches of evaluation.derived
}

// neighboursView is what an expression reads of each neighbour in a list of them.
type neighboursView struct {
	fields fieldSet
	values *valuesView // nil: all of values, if fields holds it
	name   string
}

// neighbourFields are the fields neighboursView applies to, in the order of
// inputs.neighbours.
var neighbourFields = [2]field{fieldReferrers, fieldTargets}

// reads collects what an expression reads of a map of fields: the fields selected by
// name, and the names selected in its values.
type reads struct {
	fields    fieldSet
	opaque    bool // used otherwise than by constant field names
	names     []string
	valuesAll bool // values used otherwise than by constant names
}

// note records the use of the map at e.
func (r *reads) note(e celast.NavigableExpr, allowed fieldSet) (celast.NavigableExpr, field) {
	sel, name, ok := selected(e)
	f := slices.Index(fieldNames[:], name)
	if !ok || f < 0 || !allowed.has(field(f)) {
		r.opaque = true
		return nil, 0
	}
	r.fields |= 1 << f
	if field(f) == fieldValues {
		if _, name, ok := selected(sel); ok {
			r.names = append(r.names, name)
		} else {
			r.valuesAll = true
		}
	}
	return sel, field(f)
}

// values returns the view of values read, or nil when values is read as a whole.
func (r *reads) values() *valuesView {
	if r.valuesAll || !r.fields.has(fieldValues) {
		return nil
	}
	names := slices.Compact(slices.Sorted(slices.Values(r.names)))
	return &valuesView{names: names, name: fmt.Sprintf("values%q", names)}
}

// inputsOf finds what an expression reads.
func inputsOf(a *cel.Ast) inputs {
	var (
		res    reads
		nbs    [2]reads
		in     inputs
		listed [2]bool
	)
	root := celast.NavigateAST(a.NativeRep())
	for _, e := range celast.MatchDescendants(root, celast.AllMatcher()) {
		switch e.Kind() {
		case celast.ComprehensionKind:
			c := e.AsComprehension()
			if slices.ContainsFunc([]string{c.IterVar(), c.IterVar2(), c.AccuVar()}, func(v string) bool { return v == "resource" || v == "value" }) {
				return inputs{fields: allFields, whole: true, value: true} // a shadowed name: assume it reads everything
			}
		case celast.IdentKind:
			switch e.AsIdent() {
			case "value":
				in.value = true
			case "resource":
				sel, f := res.note(e, allFields)
				if i := slices.Index(neighbourFields[:], f); i >= 0 && sel != nil {
					listed[i] = true
					neighbourReads(sel, &nbs[i])
				}
			}
		}
	}
	if res.opaque {
		return inputs{fields: allFields, whole: true, value: in.value}
	}
	in.fields, in.values = res.fields, res.values()
	for i, nb := range nbs {
		if listed[i] && !nb.opaque {
			view := &neighboursView{fields: nb.fields, values: nb.values(), name: fmt.Sprintf("%s%d", fieldNames[neighbourFields[i]], nb.fields)}
			if view.values != nil {
				view.name += view.values.name
			}
			in.neighbours[i] = view
		}
	}
	return in
}

// neighbourReads notes in r what the macro iterating the list of neighbours sel reads of
// each (opaque when sel is used otherwise).
func neighbourReads(sel celast.NavigableExpr, r *reads) {
	p, ok := sel.Parent()
	if !ok || p.Kind() != celast.ComprehensionKind || p.AsComprehension().IterRange().ID() != sel.ID() || p.AsComprehension().HasIterVar2() {
		r.opaque = true
		return
	}
	v := p.AsComprehension().IterVar()
	for _, e := range celast.MatchDescendants(p, celast.AllMatcher()) {
		switch {
		case e.ID() == p.ID():
		case e.Kind() == celast.ComprehensionKind:
			if c := e.AsComprehension(); c.IterVar() == v || c.IterVar2() == v || c.AccuVar() == v {
				r.opaque = true // shadowed
				return
			}
		case e.Kind() == celast.IdentKind && e.AsIdent() == v:
			r.note(e, ownFields)
		}
	}
}

// selected returns the expression that selects a constant name from e (e.name or
// e["name"]), and the name.
func selected(e celast.NavigableExpr) (celast.NavigableExpr, string, bool) {
	p, ok := e.Parent()
	if !ok {
		return nil, "", false
	}
	switch p.Kind() {
	case celast.SelectKind:
		return p, p.AsSelect().FieldName(), true
	case celast.CallKind:
		args := p.AsCall().Args()
		if p.AsCall().FunctionName() != operators.Index || len(args) != 2 || args[0].ID() != e.ID() || args[1].Kind() != celast.LiteralKind {
			return nil, "", false
		}
		s, ok := args[1].AsLiteral().(types.String)
		return p, string(s), ok
	}
	return nil, "", false
}
