package terraform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// meter spends the budgets of one root module (its nested modules included): evaluation
// steps, instances, and the size of every value computed. Past a budget the value being
// computed is Unknown, reported once where it happened.
type meter struct {
	lim       budget.Limits
	steps     int
	instances int
	report    func(source.Diagnostic)
	reported  map[source.Range]bool
	stepsOut  bool // the steps budget was spent, and said so
	full      bool // the total instances budget was spent: no more module is loaded
}

func newMeter(lim budget.Limits, report func(source.Diagnostic)) *meter {
	return &meter{lim: lim.WithDefaults(), report: report, reported: map[source.Range]bool{}}
}

// exceeded reports e at r, once per range.
func (m *meter) exceeded(e *budget.Exceeded, r source.Range, consequence string) {
	if m.reported[r] {
		return
	}
	m.reported[r] = true
	m.report(e.Diagnostic(&r, consequence))
}

// step spends one evaluation step; false once the budget is spent.
func (m *meter) step() error {
	if m.steps++; m.steps > m.lim.Steps {
		return &budget.Exceeded{Budget: budget.Steps, Limit: int64(m.lim.Steps), What: "the module's evaluation takes more steps"}
	}
	return nil
}

// respend spends again the n steps a value took to compute, when they fit in the budget:
// computing it again would take the same steps then, and give the same value. false
// means it must be computed again, which spends them and reports the budget where it
// runs out.
func (m *meter) respend(n int) bool {
	if m.steps+n > m.lim.Steps {
		return false
	}
	m.steps += n
	return true
}

// size returns the budget v exceeds, or nil: it counts v's values at every depth and
// measures its strings, stopping at the first budget passed.
func (m *meter) size(v cty.Value, what string) *budget.Exceeded {
	count := 0
	var walk func(v cty.Value) *budget.Exceeded
	walk = func(v cty.Value) *budget.Exceeded {
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return nil
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			if n := len(v.AsString()); n > m.lim.StringBytes {
				return &budget.Exceeded{Budget: budget.StringBytes, Limit: int64(m.lim.StringBytes), What: fmt.Sprintf("%s a string of %d bytes", what, n)}
			}
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
			if count += v.LengthInt(); count > m.lim.Values {
				return &budget.Exceeded{Budget: budget.Values, Limit: int64(m.lim.Values), What: fmt.Sprintf("%s more than %d values", what, m.lim.Values)}
			}
			if ty.IsObjectType() {
				// GetAttr, not ElementIterator, which makes (and normalises) a key string
				// per attribute: the most allocations of any one place in a module scan.
				for name := range ty.AttributeTypes() {
					if e := walk(v.GetAttr(name)); e != nil {
						return e
					}
				}
				return nil
			}
			for it := v.ElementIterator(); it.Next(); {
				if _, el := it.Element(); true {
					if e := walk(el); e != nil {
						return e
					}
				}
			}
		}
		return nil
	}
	return walk(v)
}

// value evaluates e in ctx as boundedValue does, spending a step and checking the size of
// the result and of every function result on the way; r is where e is written. ok is
// false when e cannot be evaluated or a budget stopped it (reported).
func (m *meter) value(e hcl.Expression, ctx *hcl.EvalContext, r source.Range, eval func(hcl.Expression, *hcl.EvalContext) (cty.Value, hcl.Diagnostics, bool)) (cty.Value, bool) {
	if err := m.step(); err != nil {
		m.stepsSpent(err, r)
		return cty.DynamicVal, false
	}
	v, diags, ok := eval(e, ctx)
	m.functionBudgets(diags)
	if !ok {
		return cty.DynamicVal, false
	}
	if e := m.size(v, "the expression computes"); e != nil {
		m.exceeded(e, r, "the value is unknown")
		return cty.DynamicVal, false
	}
	return v, true
}

// in evaluates e in ctx as valueIn does, under the budgets as value does.
func (m *meter) in(e hcl.Expression, ctx *hcl.EvalContext, r source.Range) (cty.Value, hcl.Diagnostics) {
	if err := m.step(); err != nil {
		m.stepsSpent(err, r)
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: err.Error()}}
	}
	v, diags := valueIn(e, ctx)
	m.functionBudgets(diags)
	if e := m.size(v, "the expression computes"); e != nil {
		m.exceeded(e, r, "the value is unknown")
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: e.Error()})
	}
	return v, diags
}

// stepsSpent reports the steps budget once, where it ran out.
func (m *meter) stepsSpent(err error, r source.Range) {
	if !m.stepsOut {
		m.stepsOut = true
		var e *budget.Exceeded
		if errors.As(err, &e) {
			m.exceeded(e, r, "this and every later expression of the module is unknown")
		}
	}
}

// functionBudgets reports the function calls a budget stopped, at the call.
func (m *meter) functionBudgets(diags hcl.Diagnostics) {
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok || d.Subject == nil {
			continue
		}
		var e *budget.Exceeded
		if !errors.As(extra.FunctionCallError(), &e) {
			continue
		}
		if e.Budget == budget.Steps {
			if m.stepsOut {
				continue
			}
			m.stepsOut = true
		}
		m.exceeded(e, rangeOf(*d.Subject), "the value is unknown")
	}
}

// rangeOf converts an hcl range, whose byte offsets index the file it names.
func rangeOf(r hcl.Range) source.Range {
	return source.Range{Path: r.Filename,
		Start: source.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:   source.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte}}
}

// allow returns how many of n instances the block at r may have: n, or fewer when the
// per-block or total instances budget is met (reported).
func (m *meter) allow(n int, r source.Range, what string) int {
	if n > m.lim.Instances {
		m.exceeded(&budget.Exceeded{Budget: budget.Instances, Limit: int64(m.lim.Instances), What: fmt.Sprintf("%s has %d instances", what, n)}, r,
			"its instances are not expanded")
		return -1
	}
	left := m.lim.TotalInstances - m.instances
	if n > left {
		m.full = true
		m.exceeded(&budget.Exceeded{Budget: budget.TotalInstances, Limit: int64(m.lim.TotalInstances), What: "the root module's blocks have more instances in all"}, r,
			"from here on instances are not expanded")
		m.instances = m.lim.TotalInstances
		return max(left, 0)
	}
	m.instances += n
	return n
}

// guard wraps f so that each call spends a step, a call that would build a value past a
// budget fails before building it (setproduct, format widths, indent), and a result past
// a budget fails after.
//
// The wrapper checks nothing itself: its parameters accept anything and its type is
// dynamic, so that cty does the argument checks (a deep copy of the argument to unmark
// it, and type checks) in f, rather than again around it: those walks were a tenth of a
// module-heavy scan. One walk per argument remains around it: cty looks for marks
// (ContainsMarked) before it asks whether the parameter allows them.
func (m *meter) guard(name string, f function.Function) function.Function {
	return m.guardWith(name, f, specOf(f))
}

// guardWith is guard with the wrapper's spec made already.
func (m *meter) guardWith(name string, f function.Function, spec *function.Spec) function.Function {
	s := *spec
	s.Impl = func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if err := m.step(); err != nil {
			return unknownResult(f, args, err)
		}
		if err := m.precheck(name, args); err != nil {
			return unknownResult(f, args, err)
		}
		v, err := f.Call(args)
		if err != nil {
			return v, err
		}
		if e := m.size(v, name+" returns"); e != nil {
			return unknownResult(f, args, e)
		}
		return v, nil
	}
	return function.New(&s)
}

// specOf is the spec of guard's wrapper of f, without its implementation: f's
// description, and its parameters made permissive.
func specOf(f function.Function) *function.Spec {
	return &function.Spec{
		Description: f.Description(),
		Params:      permissive(f.Params()),
		VarParam:    permissiveVar(f.VarParam()),
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
	}
}

// unknownResult is the result of a call to f that a budget stopped: unknown, of the type
// f would return.
func unknownResult(f function.Function, args []cty.Value, err error) (cty.Value, error) {
	ty, terr := f.ReturnTypeForValues(args)
	if terr != nil {
		ty = cty.DynamicPseudoType
	}
	return cty.UnknownVal(ty), err
}

func permissive(params []function.Parameter) []function.Parameter {
	out := make([]function.Parameter, len(params))
	for i, p := range params {
		p.AllowNull, p.AllowUnknown, p.AllowMarked, p.AllowDynamicType = true, true, true, true
		out[i] = p
	}
	return out
}

func permissiveVar(p *function.Parameter) *function.Parameter {
	if p == nil {
		return nil
	}
	return &permissive([]function.Parameter{*p})[0]
}

// stdSpecs are the specs of the wrappers of stdFunctions, made once: every root module
// guards the same functions with its own meter, and only the implementations differ.
var stdSpecs = sync.OnceValue(func() map[string]*function.Spec {
	specs := make(map[string]*function.Spec, len(stdFunctions))
	for name, f := range stdFunctions {
		specs[name] = specOf(f)
	}
	return specs
})

// guardedStd returns stdFunctions, each guarded.
func (m *meter) guardedStd() map[string]function.Function {
	specs := stdSpecs()
	out := make(map[string]function.Function, len(stdFunctions))
	for name, f := range stdFunctions {
		out[name] = m.guardWith(name, f, specs[name])
	}
	return out
}

// formatWidth finds the widths and precisions of a format string's verbs.
var formatWidth = lazyregexp.New(`%[-+ #0]*(\d*)(?:\.(\d*))?`)

// precheck refuses the calls whose result would pass a budget, judged from the arguments.
func (m *meter) precheck(name string, args []cty.Value) error {
	switch name {
	case "setproduct":
		n := 1
		for _, a := range args {
			a, _ = a.Unmark()
			if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
				return nil
			}
			if n *= max(a.LengthInt(), 1); n > m.lim.Values {
				return &budget.Exceeded{Budget: budget.Values, Limit: int64(m.lim.Values), What: "setproduct would build more values"}
			}
		}
	case "format", "formatlist":
		if len(args) == 0 {
			return nil
		}
		f, _ := args[0].Unmark()
		if f.Type() != cty.String || !f.IsKnown() || f.IsNull() {
			return nil
		}
		for _, sub := range formatWidth.FindAllStringSubmatch(f.AsString(), -1) {
			for _, num := range sub[1:] {
				if w, err := strconv.Atoi(num); err == nil && w > m.lim.StringBytes || err != nil && num != "" {
					return &budget.Exceeded{Budget: budget.StringBytes, Limit: int64(m.lim.StringBytes), What: name + " pads to a width of " + num}
				}
			}
		}
	case "indent":
		if len(args) != 2 {
			return nil
		}
		n, s := args[0], args[1]
		if !n.IsKnown() || n.IsNull() || !s.IsKnown() || s.IsNull() || s.Type() != cty.String {
			return nil
		}
		width, _ := n.AsBigFloat().Int64()
		lines := int64(strings.Count(s.AsString(), "\n"))
		if width*lines > int64(m.lim.StringBytes) || width > int64(m.lim.StringBytes) {
			return &budget.Exceeded{Budget: budget.StringBytes, Limit: int64(m.lim.StringBytes), What: "indent would build a longer string"}
		}
	}
	return nil
}
