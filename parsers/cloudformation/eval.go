package cloudformation

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// truth is the value of a condition: known true or false, or unknown (it depends on
// something only known at deploy time).
type truth uint8

const (
	condUnknown truth = iota
	condFalse
	condTrue
)

func truthOf(b bool) truth {
	if b {
		return condTrue
	}
	return condFalse
}

// condition evaluates the named entry of Conditions once. A condition that is not
// declared, or that refers back to itself, is unknown.
func (c *Converter) condition(name string) truth {
	if t, done := c.evaluated[name]; done {
		return t
	}
	n, ok := c.conditions[name]
	if !ok {
		return condUnknown
	}
	c.evaluated[name] = condUnknown // what a cycle sees
	var why []graph.Step
	t := c.condExpr(n, 0, &why)
	c.evaluated[name], c.decidedBy[name] = t, why
	return t
}

// condExpr evaluates a condition function: Fn::Equals, Fn::And, Fn::Or, Fn::Not or a
// Condition reference, adding to why the traces of the values it compares.
func (c *Converter) condExpr(n *document.Node, depth int, why *[]graph.Step) truth {
	name, arg, ok := intrinsic(n)
	if !ok || depth > maxDepth {
		return condUnknown
	}
	switch name {
	case "Condition":
		if s, ok := literal(arg); ok {
			t := c.condition(s)
			*why = appendSteps(*why, c.decidedBy[s]...)
			return t
		}
	case "Fn::Equals":
		if arg.Kind == document.Sequence && len(arg.Items) == 2 {
			va, vb := c.value(arg.Items[0], depth+1), c.value(arg.Items[1], depth+1)
			*why = appendSteps(appendSteps(*why, va.Trace...), vb.Trace...)
			a, okA := va.AsString()
			b, okB := vb.AsString()
			if okA && okB {
				return truthOf(a == b)
			}
		}
	case "Fn::Not":
		if arg.Kind == document.Sequence && len(arg.Items) == 1 {
			switch c.condExpr(arg.Items[0], depth+1, why) {
			case condTrue:
				return condFalse
			case condFalse:
				return condTrue
			}
		}
	case "Fn::And", "Fn::Or":
		if arg.Kind == document.Sequence {
			return c.combine(arg.Items, name == "Fn::And", depth, why)
		}
	}
	return condUnknown
}

// combine evaluates Fn::And (all) or Fn::Or (any): one false (true) operand decides,
// whatever the unknown ones are.
func (c *Converter) combine(operands []*document.Node, all bool, depth int, why *[]graph.Step) truth {
	decisive, result := condTrue, condFalse // Fn::Or
	if all {
		decisive, result = condFalse, condTrue
	}
	for _, op := range operands {
		switch c.condExpr(op, depth+1, why) {
		case decisive:
			return decisive
		case condUnknown:
			result = condUnknown
		}
	}
	return result
}

// ifValue evaluates `Fn::If [Condition, WhenTrue, WhenFalse]` written at `at`. A known
// condition picks its branch. An unknown one yields what both branches agree on (see
// agree): a rule sees a value only where whichever branch deploys would give it.
func (c *Converter) ifValue(arg *document.Node, at source.Range, depth int) *graph.Value {
	if arg.Kind != document.Sequence || len(arg.Items) != 3 {
		return nil
	}
	name, ok := literal(arg.Items[0])
	if !ok {
		return nil
	}
	whenTrue, whenFalse := arg.Items[1], arg.Items[2]
	switch c.condition(name) {
	case condTrue:
		return c.branch(whenTrue, at, c.conditionStep(name, arg.Items[0], "is true"), depth)
	case condFalse:
		return c.branch(whenFalse, at, c.conditionStep(name, arg.Items[0], "is false"), depth)
	}
	a, b := c.value(whenTrue, depth+1), c.value(whenFalse, depth+1)
	if isNoValue(a) || isNoValue(b) {
		return unknownAt(at, a, b)
	}
	v := agree(a, b)
	if v.Type == graph.Unknown { // a new value: nothing else holds it
		v.Range = at
		return v
	}
	return Traced(Computed(v, at), c.conditionStep(name, arg.Items[0], "is unknown; both branches agree"), nil)
}

// branch is the chosen branch of an Fn::If, at the Fn::If and defined in the branch,
// explained by why it was chosen.
func (c *Converter) branch(n *document.Node, at source.Range, why []graph.Step, depth int) *graph.Value {
	v := c.value(n, depth+1)
	if isNoValue(v) {
		return v
	}
	return Traced(Computed(v, at), why, nil)
}

// conditionStep explains an Fn::If whose condition name (written at ref) evaluated as
// state: the traces of the values the condition compared, then its step, at the
// condition's definition (at ref when it is not declared).
func (c *Converter) conditionStep(name string, ref *document.Node, state string) []graph.Step {
	at := ref.Range
	if def, ok := c.conditions[name]; ok {
		at = def.Range
	}
	return appendSteps(slices.Clone(c.decidedBy[name]), graph.Step{Range: at, What: "condition " + name + " " + state})
}

// agree returns what two values have in common: a itself when they are equal, a map or
// list of the agreeing parts when they have the same shape (the attributes in the same
// order, the same number of items), and Unknown, with the references of both, where they
// differ. The parts keep the ranges of a.
func agree(a, b *graph.Value) *graph.Value {
	switch {
	case a.Type != b.Type || a.Type == graph.Unknown:
		return unknownOf(a, b)
	case a.Type == graph.Map && sameKeys(a, b):
		out := *a
		out.Attrs = make([]*graph.Attribute, len(a.Attrs))
		for i, attr := range a.Attrs {
			merged := *attr
			merged.Value = agree(attr.Value, b.Attrs[i].Value)
			out.Attrs[i] = &merged
		}
		return &out
	case a.Type == graph.List && len(a.Items) == len(b.Items):
		out := *a
		out.Items = make([]*graph.Value, len(a.Items))
		for i, it := range a.Items {
			out.Items[i] = agree(it, b.Items[i])
		}
		return &out
	case a.Type == graph.Map, a.Type == graph.List:
		return unknownOf(a, b)
	}
	sa, _ := a.AsString()
	sb, _ := b.AsString()
	if sa != sb {
		return unknownOf(a, b)
	}
	return a
}

func sameKeys(a, b *graph.Value) bool {
	if len(a.Attrs) != len(b.Attrs) {
		return false
	}
	for i, attr := range a.Attrs {
		if attr.Name != b.Attrs[i].Name {
			return false
		}
	}
	return true
}

// unknownOf is the Unknown value at a's range with every reference made in a and b.
func unknownOf(a, b *graph.Value) *graph.Value { return unknownAt(a.Range, a, b) }

// unknownAt is the Unknown result of a call at `at` whose arguments, already converted,
// are args: it carries every reference they make. Evaluators use it rather than opaque
// once they have converted their arguments, so that nested calls are converted once.
func unknownAt(at source.Range, args ...*graph.Value) *graph.Value {
	v := &graph.Value{Type: graph.Unknown, Range: at}
	for _, a := range args {
		a.Walk(func(x *graph.Value) { v.Refs = append(v.Refs, graph.PartOf(x.Refs)...) })
	}
	return v
}

// Computed returns v as used at `at`: a copy ranged there, whose Origin is where v was
// defined (its own Origin, or its range), with every value inside it marked as defined
// where it is written. It is how a value reached through a parameter, a mapping, a branch
// or a serverless variable is placed where it is used.
func Computed(v *graph.Value, at source.Range) *graph.Value {
	out := *v
	if out.Origin == nil {
		origin := v.Range
		out.Origin = &origin
	}
	out.Range = at
	shared(&out)
	return &out
}

// noValueRef is the pseudo parameter that removes the property it is the value of.
const noValueRef = "AWS::NoValue"

// isNoValue reports whether v is a Ref to AWS::NoValue, which its mapping or list drops.
func isNoValue(v *graph.Value) bool {
	return v.Type == graph.Unknown && len(v.Refs) == 1 && v.Refs[0].Address == noValueRef && v.Refs[0].Range == v.Range
}

// join evaluates `Fn::Join [Delimiter, [Values...]]`.
func (c *Converter) join(arg *document.Node, at source.Range, depth int) *graph.Value {
	if arg.Kind != document.Sequence || len(arg.Items) != 2 {
		return nil
	}
	delim, ok := literal(arg.Items[0])
	if !ok {
		return nil
	}
	list := c.value(arg.Items[1], depth+1)
	if list.Type != graph.List {
		return unknownAt(at, list)
	}
	parts := make([]string, len(list.Items))
	for i, it := range list.Items {
		if parts[i], ok = scalarString(it); !ok {
			return unknownAt(at, list)
		}
	}
	return &graph.Value{Type: graph.String, Str: strings.Join(parts, delim), Range: at, Origin: originOf(list),
		Trace: Combined(at, "Fn::Join", tracesOf(list)...)}
}

// selectItem evaluates `Fn::Select [Index, List]`.
func (c *Converter) selectItem(arg *document.Node, at source.Range, depth int) *graph.Value {
	if arg.Kind != document.Sequence || len(arg.Items) != 2 {
		return nil
	}
	index, list := c.value(arg.Items[0], depth+1), c.value(arg.Items[1], depth+1)
	i, ok := index.AsInt()
	if !ok || list.Type != graph.List || i < 0 || i >= len(list.Items) {
		return unknownAt(at, index, list)
	}
	item := list.Items[i]
	if len(index.Trace) == 0 && len(item.Trace) == 0 {
		return Traced(Computed(item, at), nil, step(at, "Fn::Select"))
	}
	return Traced(Computed(item, at), index.Trace, nil)
}

// split evaluates `Fn::Split [Delimiter, String]`: every item is at the call and defined
// where the string is.
func (c *Converter) split(arg *document.Node, at source.Range, depth int) *graph.Value {
	if arg.Kind != document.Sequence || len(arg.Items) != 2 {
		return nil
	}
	delim, ok := literal(arg.Items[0])
	if !ok || delim == "" {
		return nil
	}
	str := c.value(arg.Items[1], depth+1)
	s, known := scalarString(str)
	if !known {
		return unknownAt(at, str)
	}
	origin, trace := originOf(str), Combined(at, "Fn::Split", str.Trace)
	v := &graph.Value{Type: graph.List, Range: at, Origin: origin, Trace: trace}
	for part := range strings.SplitSeq(s, delim) {
		v.Items = append(v.Items, &graph.Value{Type: graph.String, Str: part, Range: at, Origin: origin, Trace: trace})
	}
	return v
}

// findInMap evaluates `Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey]` into the
// mapping entry, defined where the entry is written and explained by where its keys came
// from, then the entry.
func (c *Converter) findInMap(arg *document.Node, at source.Range, depth int) *graph.Value {
	if arg.Kind != document.Sequence || len(arg.Items) < 3 {
		return nil
	}
	var (
		keys [3]string
		args [3]*graph.Value
		ok   = true
	)
	for i := range keys {
		args[i] = c.value(arg.Items[i], depth+1)
		s, known := args[i].AsString()
		keys[i], ok = s, ok && known
	}
	if !ok {
		return unknownAt(at, args[:]...)
	}
	what := "Mappings " + strings.Join(keys[:], ".")
	entry := c.mappings[keys[0]].Get(keys[1]).Get(keys[2])
	if entry == nil && c.extensions && len(arg.Items) == 4 {
		entry = arg.Items[3].Get("DefaultValue") // the transform's fallback for a missing key
		what = "DefaultValue for missing " + what
	}
	if entry == nil {
		return unknownAt(at, args[:]...)
	}
	var keyTrace []graph.Step
	for _, a := range args {
		keyTrace = appendSteps(keyTrace, a.Trace...)
	}
	return Traced(Computed(c.value(entry, depth+1), at), keyTrace, step(entry.Range, what))
}

// length evaluates `Fn::Length List` of the AWS::LanguageExtensions transform.
func (c *Converter) length(arg *document.Node, at source.Range, depth int) *graph.Value {
	if !c.extensions {
		return nil
	}
	list := c.value(arg, depth+1)
	if list.Type != graph.List {
		return unknownAt(at, list)
	}
	n := len(list.Items)
	return &graph.Value{Type: graph.Number, Num: float64(n), Str: strconv.Itoa(n), Range: at, Origin: originOf(list),
		Trace: Combined(at, "Fn::Length", tracesOf(list)...)}
}

// base64 evaluates `Fn::Base64 String` into the encoded string CloudFormation passes on.
func (c *Converter) base64(arg *document.Node, at source.Range, depth int) *graph.Value {
	v := c.value(arg, depth+1)
	s, ok := scalarString(v)
	if !ok {
		return unknownAt(at, v)
	}
	return &graph.Value{Type: graph.String, Str: base64.StdEncoding.EncodeToString([]byte(s)), Range: at, Origin: originOf(v),
		Trace: Combined(at, "Fn::Base64", v.Trace)}
}

// scalarString returns the text of a known scalar other than null.
func scalarString(v *graph.Value) (string, bool) {
	if v.Type == graph.Null {
		return "", false
	}
	return v.AsString()
}

// originOf is where a value computed from v was defined: the first Origin in v, or v's
// range when nothing in it was computed.
func originOf(v *graph.Value) *source.Range {
	var origin *source.Range
	v.Walk(func(x *graph.Value) {
		if origin == nil {
			origin = x.Origin
		}
	})
	if origin == nil {
		r := v.Range
		origin = &r
	}
	return origin
}
