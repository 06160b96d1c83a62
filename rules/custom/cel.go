package custom

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
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

// celCondition is `cel: EXPR`: the expression must be true. It has two programs: tracked
// counts the cost of every step and stops at CostLimit; plain does not count, and runs
// where the expression's worst case on the scan's values is provably within the limit.
type celCondition struct {
	ast            *cel.Ast
	tracked, plain cel.Program
	negate         bool
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
	tracked, err := e.Program(ast, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		b.fail(n, "cel: %v", err)
		return presence{want: true}
	}
	plain, err := e.Program(ast)
	if err != nil {
		b.fail(n, "cel: %v", err)
		return presence{want: true}
	}
	return &celCondition{ast: ast, tracked: tracked, plain: plain, negate: negate}
}

// program returns the program to run on the scan's values: plain when the expression's
// estimated worst case, with every list, map and string at most as large as the largest the
// scan holds, stays within CostLimit; tracked otherwise. The estimate is made once per
// scan (the evaluation keeps it).
func (c *celCondition) program(e *evaluation) cel.Program {
	if prg, ok := e.programs[c]; ok {
		return prg
	}
	prg := c.tracked
	if env, err := env(); err == nil {
		if est, err := env.EstimateCost(c.ast, sizes{e.maxSize}); err == nil && est.Max <= CostLimit {
			prg = c.plain
		}
	}
	e.programs[c] = prg
	return prg
}

// sizes estimates every variable-length value as at most max long.
type sizes struct{ max uint64 }

func (s sizes) EstimateSize(checker.AstNode) *checker.SizeEstimate {
	return &checker.SizeEstimate{Min: 0, Max: s.max}
}

func (sizes) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

func (c *celCondition) test(e *evaluation, r *graph.Resource, v *graph.Value) verdict {
	activation := map[string]any{"resource": e.resource(r), "value": e.native(v)}
	out, _, err := c.program(e).Eval(activation)
	switch {
	case err != nil:
		return verdict{err: err, stop: strings.Contains(err.Error(), "cost limit")}
	case types.IsUnknown(out):
		return verdict{unknown: e.unknownOf(out.(*types.Unknown))}
	}
	b, ok := out.Value().(bool)
	if !ok {
		return verdict{err: errors.New("the expression is not a bool: " + fmt.Sprint(out.Value()))}
	}
	return verdict{ok: b != c.negate}
}

// evaluation is what the expressions of one scan share: the graph converted once into the
// values CEL reads, however many rules read them.
type evaluation struct {
	g        *graph.Graph
	shallow  map[*graph.Resource]map[string]ref.Val // without neighbours
	full     map[*graph.Resource]ref.Val
	ingress  map[*graph.Resource][]ref.Val
	unknowns []*graph.Value // the Unknown values handed to CEL, by ID-1
	// maxSize is the length of the longest list, map or string converted so far, and
	// programs the program each expression runs on this scan (celCondition.program).
	maxSize  uint64
	programs map[*celCondition]cel.Program
}

type evaluationKey struct{}

// evaluationOf returns the scan's evaluation, built on first use.
func evaluationOf(ctx *rules.Context) *evaluation {
	return rules.Memo(ctx, evaluationKey{}, func() *evaluation {
		return &evaluation{g: ctx.Graph, shallow: map[*graph.Resource]map[string]ref.Val{}, full: map[*graph.Resource]ref.Val{},
			programs: map[*celCondition]cel.Program{}}
	})
}

// The values of one scan are converted to CEL's own types once, and read by every
// expression without further conversion.

// resource returns r as CEL sees it, with its neighbours.
func (e *evaluation) resource(r *graph.Resource) ref.Val {
	if m, ok := e.full[r]; ok {
		return m
	}
	fields := maps.Clone(e.fields(r))
	fields["referrers"] = e.neighbours(e.g.Referrers(r))
	fields["targets"] = e.neighbours(e.g.Targets(r))
	e.saw(len(e.g.Referrers(r)))
	e.saw(len(e.g.Targets(r)))
	fields["ingress"] = types.NewRefValList(types.DefaultTypeAdapter, e.ingressOf(r))
	m := record(fields)
	e.full[r] = m
	return m
}

func (e *evaluation) neighbours(rs []*graph.Resource) ref.Val {
	out := make([]ref.Val, len(rs))
	for i, x := range rs {
		out[i] = record(e.fields(x))
	}
	return types.NewRefValList(types.DefaultTypeAdapter, out)
}

// fields are r's own fields: kind, native, format, address, name, file, tags and values.
func (e *evaluation) fields(r *graph.Resource) map[string]ref.Val {
	if m, ok := e.shallow[r]; ok {
		return m
	}
	m := map[string]ref.Val{
		"kind": types.String(r.Kind), "native": types.String(r.Native), "format": types.String(r.Format.String()),
		"address": types.String(r.ID.Address), "name": types.String(r.Name), "file": types.String(r.ID.Path),
		"values": e.native(r.Body), "tags": e.tags(r),
	}
	e.shallow[r] = m
	return m
}

// saw notes the length of a list, map or string handed to CEL.
func (e *evaluation) saw(n int) { e.maxSize = max(e.maxSize, uint64(n)) }

// record is a CEL map of named fields.
func record(fields map[string]ref.Val) ref.Val {
	m := make(map[string]any, len(fields)) // looked up by string: no hashing of interfaces
	for k, v := range fields {
		m[k] = v
	}
	return types.NewStringInterfaceMap(types.DefaultTypeAdapter, m)
}

// tags returns r's tags as a map (Unknown when the tags as a whole are not statically
// known): a tag whose value is not known is there with an Unknown value, so that an
// expression about other tags, or about which keys exist, is still decided.
func (e *evaluation) tags(r *graph.Resource) ref.Val {
	a := r.Body.Get("tags", "Tags")
	if a == nil {
		return record(nil)
	}
	if !a.Value.Known() {
		return e.unknown(a.Value)
	}
	m := map[string]ref.Val{}
	switch a.Value.Type {
	case graph.Map:
		for _, kv := range a.Value.Attrs {
			m[kv.Name] = e.native(kv.Value)
		}
	case graph.List:
		for _, it := range a.Value.Items {
			key, ok := it.Lookup("Key").AsString()
			if !ok {
				return e.unknown(it)
			}
			m[key] = e.native(it.Lookup("Value"))
		}
	}
	e.saw(len(m))
	return record(m)
}

// ingressOf lists a security group's inbound permissions in every format's shape as one:
// protocol ("tcp", "udp", "icmp", "icmpv6", "all", "other"), from_port, to_port, world
// (a source is 0.0.0.0/0 or ::/0) and unknown_sources.
func (e *evaluation) ingressOf(r *graph.Resource) []ref.Val {
	if e.ingress == nil {
		e.ingress = map[*graph.Resource][]ref.Val{}
		for _, p := range ec2.Ingress(e.g) {
			if p.Group == nil {
				continue
			}
			e.ingress[p.Group] = append(e.ingress[p.Group], record(map[string]ref.Val{
				"protocol": types.String(p.Protocol.String()), "from_port": types.Int(p.From), "to_port": types.Int(p.To),
				"world": types.Bool(len(p.World) > 0), "unknown_sources": types.Bool(len(p.UnknownSources) > 0),
			}))
		}
	}
	e.saw(len(e.ingress[r]))
	return e.ingress[r]
}

// native converts a value for CEL: maps (a name repeated, as HCL blocks are, becomes a
// list), lists, strings, integers where the number is whole, doubles, booleans, null, and
// CEL unknowns for what is not statically known, so that an expression reading them is
// itself unknown.
func (e *evaluation) native(v *graph.Value) ref.Val {
	if v == nil {
		return types.NullValue
	}
	switch v.Type {
	case graph.Unknown:
		return e.unknown(v)
	case graph.String:
		e.saw(len(v.Str))
		return types.String(v.Str)
	case graph.Number:
		if v.Num == float64(int64(v.Num)) {
			return types.Int(int64(v.Num))
		}
		return types.Double(v.Num)
	case graph.Bool:
		return types.Bool(v.Bool)
	case graph.List:
		e.saw(len(v.Items))
		out := make([]ref.Val, len(v.Items))
		for i, it := range v.Items {
			out[i] = e.native(it)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, out)
	case graph.Map:
		return e.nativeMap(v)
	}
	return types.NullValue
}

// nativeMap converts a map; a name repeated, as HCL blocks are, becomes a list.
func (e *evaluation) nativeMap(v *graph.Value) ref.Val {
	fields := make(map[string]ref.Val, len(v.Attrs))
	var repeated map[string][]ref.Val
	for _, a := range v.Attrs {
		x := e.native(a.Value)
		prev, seen := fields[a.Name]
		switch {
		case !seen:
			fields[a.Name] = x
			continue
		case repeated == nil:
			repeated = map[string][]ref.Val{}
		}
		if repeated[a.Name] == nil {
			repeated[a.Name] = []ref.Val{prev}
		}
		repeated[a.Name] = append(repeated[a.Name], x)
	}
	for name, items := range repeated {
		e.saw(len(items))
		fields[name] = types.NewRefValList(types.DefaultTypeAdapter, items)
	}
	e.saw(len(fields))
	return record(fields)
}

// unknown returns a CEL unknown standing for v.
func (e *evaluation) unknown(v *graph.Value) *types.Unknown {
	e.unknowns = append(e.unknowns, v)
	return types.NewUnknown(int64(len(e.unknowns)), nil)
}

// unknownOf returns the first graph value an unknown result depends on.
func (e *evaluation) unknownOf(u *types.Unknown) *graph.Value {
	for _, id := range u.IDs() {
		if id >= 1 && int(id) <= len(e.unknowns) && e.unknowns[id-1] != nil {
			return e.unknowns[id-1]
		}
	}
	return nil
}
