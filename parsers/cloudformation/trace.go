package cloudformation

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// maxTrace bounds the steps of a trace. Chains that long are not readable anyway, and
// without a bound nested calls (an Fn::If in each branch of an Fn::If, ten thousand deep)
// would copy ever longer traces. The first steps, where the value started, are kept.
const maxTrace = 32

// Traced returns a copy of v, and of every part of it, whose Trace is before, then the
// part's own Trace, then after. The parts that shared one Trace share the new one. v
// itself is left alone: computed values are reached from several places (a loop item,
// a serverless variable read twice), each with its own explanation.
func Traced(v *graph.Value, before, after []graph.Step) *graph.Value {
	if len(before) == 0 && len(after) == 0 {
		return v
	}
	t := tracer{before: before, after: after}
	return t.copy(v)
}

// step is the one-step trace of a value that starts at r.
func step(r source.Range, what string) []graph.Step {
	return []graph.Step{{Range: r, What: what}}
}

// traceKey identifies a trace slice, so that the parts sharing one keep sharing.
type traceKey struct {
	first *graph.Step
	n     int
}

func keyOf(trace []graph.Step) traceKey {
	if len(trace) == 0 {
		return traceKey{}
	}
	return traceKey{&trace[0], len(trace)}
}

type tracer struct {
	before, after []graph.Step
	// first is the trace that the value's own trace became, which most of its parts
	// share; done holds the others, by the trace they extend.
	first     []graph.Step
	firstKey  traceKey
	firstDone bool
	done      map[traceKey][]graph.Step
}

func (t *tracer) copy(v *graph.Value) *graph.Value {
	out := *v
	out.Trace = t.extend(v.Trace)
	if v.Items != nil {
		out.Items = make([]*graph.Value, len(v.Items))
		for i, it := range v.Items {
			out.Items[i] = t.copy(it)
		}
	}
	if v.Attrs != nil {
		out.Attrs = make([]*graph.Attribute, len(v.Attrs))
		for i, a := range v.Attrs {
			attr := *a
			attr.Value = t.copy(a.Value)
			out.Attrs[i] = &attr
		}
	}
	return &out
}

func (t *tracer) extend(trace []graph.Step) []graph.Step {
	k := keyOf(trace)
	if t.firstDone && k == t.firstKey {
		return t.first
	}
	if s, ok := t.done[k]; ok {
		return s
	}
	s := make([]graph.Step, 0, min(len(t.before)+len(trace)+len(t.after), maxTrace))
	s = appendSteps(s, t.before...)
	s = appendSteps(s, trace...)
	s = appendSteps(s, t.after...)
	switch {
	case !t.firstDone:
		t.first, t.firstKey, t.firstDone = s, k, true
	case t.done == nil:
		t.done = map[traceKey][]graph.Step{k: s}
	default:
		t.done[k] = s
	}
	return s
}

// appendSteps appends steps to trace, up to maxTrace steps, leaving out those already in
// it: a value built from the same input twice (`${Env}-${Env}`) explains it once.
func appendSteps(trace []graph.Step, steps ...graph.Step) []graph.Step {
	for _, s := range steps {
		if len(trace) >= maxTrace {
			break
		}
		if !slices.Contains(trace, s) {
			trace = append(trace, s)
		}
	}
	return trace
}

// Combined is the trace of a value that a function (Fn::Sub, a string with serverless
// variables) computed at `at` from inputs with the given traces. When the inputs have one
// trace between them, that trace is the explanation: the function is where the value is
// used anyway. Several traces are joined and followed by the function's step, which says
// they were combined; with none, the function's step is the whole explanation.
func Combined(at source.Range, what string, inputs ...[]graph.Step) []graph.Step {
	var distinct [][]graph.Step
	for _, in := range inputs {
		if len(in) > 0 && !slices.ContainsFunc(distinct, func(d []graph.Step) bool { return slices.Equal(d, in) }) {
			distinct = append(distinct, in)
		}
	}
	if len(distinct) == 1 {
		return distinct[0]
	}
	n := 1
	for _, d := range distinct {
		n += len(d)
	}
	out := make([]graph.Step, 0, min(n, maxTrace))
	for _, d := range distinct {
		out = appendSteps(out, d...)
	}
	return append(out[:min(len(out), maxTrace-1)], graph.Step{Range: at, What: what})
}

// tracesOf returns the traces of v and its parts, each once, in order.
func tracesOf(v *graph.Value) [][]graph.Step {
	var out [][]graph.Step
	seen := map[traceKey]bool{}
	v.Walk(func(x *graph.Value) {
		if k := keyOf(x.Trace); len(x.Trace) > 0 && !seen[k] {
			seen[k] = true
			out = append(out, x.Trace)
		}
	})
	return out
}

// anchorStep is the step of a value reached through a YAML alias of the node at anchored.
// The anchor's name is read from the alias (`*name`) when it is written in the converter's
// file; an alias in a file a serverless variable read is named by its range alone.
func (c *Converter) anchorStep(alias, anchored source.Range) []graph.Step {
	what := "anchor"
	if src := c.file.Src; alias.Path == c.file.Path && alias.Start.Byte < alias.End.Byte && alias.End.Byte <= len(src) {
		what = "anchor &" + strings.TrimPrefix(string(src[alias.Start.Byte:alias.End.Byte]), "*")
	}
	return step(anchored, what)
}
