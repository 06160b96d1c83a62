package custom

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
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

// celCondition is `cel: EXPR`: the expression must be true.
type celCondition struct {
	prg    cel.Program
	negate bool
}

func (c celCondition) needsValue() bool { return false }

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
	prg, err := e.Program(ast, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		b.fail(n, "cel: %v", err)
		return presence{want: true}
	}
	return celCondition{prg: prg, negate: negate}
}

func (c celCondition) test(e *evaluation, r *graph.Resource, v *graph.Value) verdict {
	out, _, err := c.prg.Eval(map[string]any{"resource": e.resource(r), "value": e.native(v)})
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
	shallow  map[*graph.Resource]map[string]any // without neighbours
	full     map[*graph.Resource]map[string]any
	ingress  map[*graph.Resource][]any
	unknowns []*graph.Value // the Unknown values handed to CEL, by ID-1
}

type evaluationKey struct{}

// evaluationOf returns the scan's evaluation, built on first use.
func evaluationOf(ctx *rules.Context) *evaluation {
	return rules.Memo(ctx, evaluationKey{}, func() *evaluation {
		return &evaluation{g: ctx.Graph, shallow: map[*graph.Resource]map[string]any{}, full: map[*graph.Resource]map[string]any{}}
	})
}

// resource returns r as CEL sees it, with its neighbours.
func (e *evaluation) resource(r *graph.Resource) map[string]any {
	if m, ok := e.full[r]; ok {
		return m
	}
	m := map[string]any{}
	for k, v := range e.neighbour(r) {
		m[k] = v
	}
	m["referrers"] = e.neighbours(e.g.Referrers(r))
	m["targets"] = e.neighbours(e.g.Targets(r))
	m["ingress"] = e.ingressOf(r)
	e.full[r] = m
	return m
}

func (e *evaluation) neighbours(rs []*graph.Resource) []any {
	out := make([]any, len(rs))
	for i, x := range rs {
		out[i] = e.neighbour(x)
	}
	return out
}

// neighbour is r without its own neighbours: kind, native, format, address, name, file,
// tags and values.
func (e *evaluation) neighbour(r *graph.Resource) map[string]any {
	if m, ok := e.shallow[r]; ok {
		return m
	}
	m := map[string]any{
		"kind": string(r.Kind), "native": r.Native, "format": r.Format.String(),
		"address": r.ID.Address, "name": r.Name, "file": r.ID.Path,
		"values": e.native(r.Body), "tags": e.tags(r),
	}
	e.shallow[r] = m
	return m
}

// tags returns r's tags as a map, Unknown when they are not all statically known.
func (e *evaluation) tags(r *graph.Resource) any {
	tags, known := r.Tags()
	if !known {
		return e.unknown(r.Body.Lookup("tags"))
	}
	m := make(map[string]any, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// ingressOf lists a security group's inbound permissions in every format's shape as one:
// protocol ("tcp", "udp", "icmp", "icmpv6", "all", "other"), from_port, to_port, world
// (a source is 0.0.0.0/0 or ::/0) and unknown_sources.
func (e *evaluation) ingressOf(r *graph.Resource) []any {
	if e.ingress == nil {
		e.ingress = map[*graph.Resource][]any{}
		for _, p := range ec2.Ingress(e.g) {
			if p.Group == nil {
				continue
			}
			e.ingress[p.Group] = append(e.ingress[p.Group], map[string]any{
				"protocol": p.Protocol.String(), "from_port": int64(p.From), "to_port": int64(p.To),
				"world": len(p.World) > 0, "unknown_sources": len(p.UnknownSources) > 0,
			})
		}
	}
	out := e.ingress[r]
	if out == nil {
		out = []any{}
	}
	return out
}

// native converts a value for CEL: maps (a name repeated, as HCL blocks are, becomes a
// list), lists, strings, integers where the number is whole, doubles, booleans, null, and
// CEL unknowns for what is not statically known, so that an expression reading them is
// itself unknown.
func (e *evaluation) native(v *graph.Value) any {
	if v == nil {
		return types.NullValue
	}
	switch v.Type {
	case graph.Unknown:
		return e.unknown(v)
	case graph.String:
		return v.Str
	case graph.Number:
		if v.Num == float64(int64(v.Num)) {
			return int64(v.Num)
		}
		return v.Num
	case graph.Bool:
		return v.Bool
	case graph.List:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = e.native(it)
		}
		return out
	case graph.Map:
		out := make(map[string]any, len(v.Attrs))
		for _, a := range v.Attrs {
			x := e.native(a.Value)
			switch prev, seen := out[a.Name]; {
			case !seen:
				out[a.Name] = x
			case isList(prev) && a.Value.Block:
				out[a.Name] = append(prev.([]any), x)
			default:
				out[a.Name] = []any{prev, x}
			}
		}
		return out
	}
	return types.NullValue
}

func isList(x any) bool { _, ok := x.([]any); return ok }

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
