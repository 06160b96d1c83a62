package custom

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/interpreter"
	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/graph"
)

// CostLimit bounds the work of one evaluation of an expression (CEL's cost units: about
// one per operation, list element or string character visited). A rule that exceeds it
// stops with a diagnostic; the scan goes on.
const CostLimit = 1_000_000

// env declares what an expression sees: `resource` (its kind, native type, format,
// address, name, file, tags, values, ingress, referrers and targets) and `value` (the
// setting's value; null when absent). CEL has no I/O.
var env = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("resource", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("value", cel.DynType),
	)
})

// field is a field of `resource`.
type field uint8

const (
	fieldKind field = iota
	fieldNative
	fieldFormat
	fieldAddress
	fieldName
	fieldFile
	fieldTags
	fieldValues
	fieldIngress
	fieldReferrers
	fieldTargets
	numFields
)

var fieldNames = [numFields]string{"kind", "native", "format", "address", "name", "file", "tags", "values", "ingress", "referrers", "targets"}

// fieldSet is a set of fields.
type fieldSet uint16

const (
	allFields fieldSet = 1<<numFields - 1
	// ownFields are what a neighbour shows: everything but its own neighbours and ingress.
	ownFields = allFields &^ (1<<fieldIngress | 1<<fieldReferrers | 1<<fieldTargets)
	// placed are the fields that together name one resource: an expression reading both
	// never sees the same inputs twice.
	placed = 1<<fieldAddress | 1<<fieldFile
)

func (s fieldSet) has(f field) bool { return s&(1<<f) != 0 }

// celCondition is `cel: EXPR`: the expression must be true. It has two programs: tracked
// counts the cost of every step and stops at CostLimit; plain does not count, and runs
// where the expression's worst case on the values at hand is provably within the limit.
type celCondition struct {
	ast            *cel.Ast
	tracked, plain cel.Program
	negate         bool
	in             inputs
}

func (c *celCondition) needsValue() bool { return false }

// cel compiles and type-checks an expression when the file is loaded.
func (b *builder) cel(n *yaml.Node, negate bool) condition {
	e, err := env()
	if err != nil {
		b.fail(n, "internal error: %v", err)
		return presence{want: true}
	}
	ast, iss := e.Compile(n.Value)
	if iss.Err() != nil {
		b.fail(n, "cel: %s", strings.ReplaceAll(iss.Err().Error(), "\n", "\n  "))
		return presence{want: true}
	}
	if t := ast.OutputType(); !t.IsExactType(types.BoolType) && !t.IsExactType(types.DynType) {
		b.fail(n, "cel: the expression is a %s; it must be a bool (true when the resource complies)", t)
		return presence{want: true}
	}
	// OptOptimize builds constant lists and maps once, turns `in` over a constant list into a
	// set lookup and compiles constant regular expressions at load (a bad one is reported
	// here): bounded work, done once.
	tracked, err := e.Program(ast, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(100), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		b.fail(n, "cel: %v", err)
		return presence{want: true}
	}
	plain, err := e.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		b.fail(n, "cel: %v", err)
		return presence{want: true}
	}
	return &celCondition{ast: ast, tracked: tracked, plain: plain, negate: negate, in: inputsOf(ast)}
}

// The interning slots of `value` and of views (evaluation.viewID), after the fields'.
const (
	slotValue = int(numFields) + iota
	slotViews
)

// memoKey identifies an evaluation's inputs: the content of each field read (0: not
// read) and, last, of `value`.
type memoKey [numFields + 1]int32

// condState is what one expression keeps during a scan: its verdicts by inputs, and the
// sizes of values its plain program is proven safe (below plainBelow) or not proven safe
// (from trackedFrom) on.
type condState struct {
	memo                    map[memoKey]verdict
	plainBelow, trackedFrom uint64
}

func (c *celCondition) test(e *evaluation, r *graph.Resource, v *graph.Value) verdict {
	st := e.condState(c)
	// Many resources share their settings: an expression judges the same inputs once.
	// resource.values read by constant names is keyed by the values of those names only
	// (and converted only when the expression runs). A verdict that depends on an unknown
	// is not kept, as it names the unknown.
	now := c.in.fields
	if c.in.values != nil {
		now &^= 1 << fieldValues
	}
	for i, nb := range c.in.neighbours {
		if nb != nil {
			now &^= 1 << neighbourFields[i]
		}
	}
	s := e.read(r, now)
	var key memoKey
	for f := range numFields {
		if now.has(f) {
			key[f] = s.ids[f]
		}
	}
	if c.in.values != nil {
		key[fieldValues] = e.valuesID(r, s, c.in.values)
	}
	for i, nb := range c.in.neighbours {
		if nb != nil {
			f := neighbourFields[i]
			key[f] = e.viewID(s, nb.name, func() []byte { return e.neighboursContent(r, f, nb) })
		}
	}
	if c.in.value {
		key[numFields] = e.intern(slotValue, encode(nil, v))
	}
	memoize := !c.in.whole && c.in.fields&placed != placed
	if out, ok := st.memo[key]; ok && memoize {
		return out
	}
	s = e.read(r, c.in.fields)
	act := &activation{resource: s.vals, value: types.NullValue}
	if c.in.whole {
		act.resource = e.whole(r)
	}
	var size uint64
	for f := range numFields {
		if c.in.fields.has(f) {
			size = max(size, s.sizes[f])
		}
	}
	if c.in.value {
		outer := e.size
		e.size = 0
		act.value = e.native(v)
		size = max(size, e.size)
		e.size = max(outer, e.size)
	}
	out, unknown := c.eval(c.program(st, size), act)
	if unknown != nil {
		return verdict{unknown: e.unknownOf(unknown)}
	}
	if memoize {
		st.memo[key] = out
	}
	return out
}

// eval runs prg; a result that depends on an unknown is returned as that unknown.
func (c *celCondition) eval(prg cel.Program, act *activation) (verdict, *types.Unknown) {
	out, _, err := prg.Eval(act)
	switch {
	case err != nil:
		return verdict{err: err, stop: strings.Contains(err.Error(), "cost limit")}, nil
	case types.IsUnknown(out):
		return verdict{}, out.(*types.Unknown)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return verdict{err: errors.New("the expression is not a bool: " + fmt.Sprint(out.Value()))}, nil
	}
	return verdict{ok: b != c.negate}, nil
}

// program returns the program to run on inputs whose lists, maps and strings are at
// most size long: plain when the expression's estimated worst case on such inputs stays
// within CostLimit, tracked otherwise. The estimate grows with size, so each proof covers
// every smaller size; sizes are rounded up to a power of two to keep the proofs few.
func (c *celCondition) program(st *condState, size uint64) cel.Program {
	switch {
	case size < st.plainBelow:
		return c.plain
	case size >= st.trackedFrom:
		return c.tracked
	}
	for _, bound := range []uint64{ceilPow2(size), size} {
		if bound >= st.trackedFrom {
			continue
		}
		if c.within(bound) {
			st.plainBelow = bound + 1
			return c.plain
		}
		st.trackedFrom = bound
	}
	return c.tracked
}

// within reports whether the expression provably costs at most CostLimit when every
// list, map and string it reads is at most size long.
func (c *celCondition) within(size uint64) bool {
	env, err := env()
	if err != nil {
		return false
	}
	est, err := env.EstimateCost(c.ast, sizes{size})
	return err == nil && est.Max <= CostLimit
}

func ceilPow2(n uint64) uint64 {
	p := uint64(1)
	for p < n && p < math.MaxUint64/2 {
		p <<= 1
	}
	return p
}

// sizes estimates every variable-length value as at most max long.
type sizes struct{ max uint64 }

func (s sizes) EstimateSize(checker.AstNode) *checker.SizeEstimate {
	return &checker.SizeEstimate{Min: 0, Max: s.max}
}

func (sizes) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// activation gives an expression its two variables without building a map per
// evaluation. resource is a Go map of the fields converted so far (it holds at least
// those the expression reads), or a CEL map of all of them.
type activation struct{ resource, value any }

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "resource":
		return a.resource, true
	case "value":
		return a.value, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }
