package cloudformation

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// intrinsic recognises an intrinsic function call: a short-form tag (`!GetAtt A.B`) or a
// mapping with a single key that names a function ({"Fn::GetAtt": [...]}, {"Ref": X},
// {"Condition": Name}). It returns the long-form function name and its argument.
func intrinsic(n *document.Node) (name string, arg *document.Node, ok bool) {
	if isApplicationTag(n.Tag) {
		name = n.Tag[1:]
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		untagged := *n
		untagged.Tag = coreTag(n.Kind)
		return name, &untagged, true
	}
	if n.Kind != document.Mapping || len(n.Pairs) != 1 || n.Pairs[0].Key.Kind != document.Scalar {
		return "", nil, false
	}
	name, arg = n.Pairs[0].Key.Value, n.Pairs[0].Value
	switch {
	case name == "Ref" || strings.HasPrefix(name, "Fn::"):
		return name, arg, true
	case name == "Condition" && arg.Kind == document.Scalar:
		return name, arg, true
	}
	return "", nil, false
}

// isApplicationTag reports whether tag is a local tag such as "!Ref", as opposed to a core
// tag ("!!str") or none.
func isApplicationTag(tag string) bool { return len(tag) > 1 && tag[0] == '!' && tag[1] != '!' }

// coreTag is the tag of the argument of a short-form function: YAML does not resolve a
// scalar written after a tag, so it is a string.
func coreTag(k document.Kind) string {
	switch k {
	case document.Mapping:
		return document.MapTag
	case document.Sequence:
		return document.SeqTag
	}
	return document.StrTag
}

// literal returns the text of a scalar that is not itself a function call.
func literal(n *document.Node) (string, bool) {
	if n.Kind != document.Scalar || isApplicationTag(n.Tag) {
		return "", false
	}
	return n.Value, true
}

// evaluator returns the function that computes the named function's result, or nil when
// its result is never known. The function returns nil when the call is malformed, before
// converting any argument; the call is then Unknown.
func evaluator(name string) func(c *Converter, arg *document.Node, at source.Range, depth int) *graph.Value {
	switch name {
	case "Fn::GetAtt":
		return (*Converter).getAtt
	case "Fn::Sub":
		return (*Converter).sub
	case "Fn::If":
		return (*Converter).ifValue
	case "Fn::Join":
		return (*Converter).join
	case "Fn::Select":
		return (*Converter).selectItem
	case "Fn::Split":
		return (*Converter).split
	case "Fn::FindInMap":
		return (*Converter).findInMap
	case "Fn::Base64":
		return (*Converter).base64
	case "Fn::Length":
		return (*Converter).length
	}
	return nil
}

// intrinsic evaluates a function call written at `at`. Every call that cannot be evaluated
// (Fn::GetAZs, Fn::ImportValue, a function of unknown arguments) is Unknown and carries
// the references made inside it.
func (c *Converter) intrinsic(name string, arg *document.Node, at source.Range, depth int) *graph.Value {
	if name == "Ref" {
		if target, ok := literal(arg); ok {
			return c.ref(target, at)
		}
	} else if eval := evaluator(name); eval != nil {
		if v := eval(c, arg, at, depth); v != nil && c.withinBudget(v, name, at) {
			return v
		}
	}
	return c.opaque(at, depth, arg)
}

// opaque is the Unknown result of a call at `at`, with every reference made in args.
func (c *Converter) opaque(at source.Range, depth int, args ...*document.Node) *graph.Value {
	v := &graph.Value{Type: graph.Unknown, Range: at}
	for _, a := range args {
		c.value(a, depth+1).Walk(func(x *graph.Value) { v.Refs = append(v.Refs, graph.PartOf(x.Refs)...) })
	}
	return v
}

func unknownRef(at source.Range, address, attr string) *graph.Value {
	return &graph.Value{Type: graph.Unknown, Range: at, Refs: []*graph.Ref{{Address: address, Attr: attr, Range: at, Whole: true}}}
}

// getAtt reads `A.B`, `[A, B]` or `[A, !Ref AttrParam]` into a reference to A's attribute.
func (c *Converter) getAtt(arg *document.Node, at source.Range, depth int) *graph.Value {
	if s, ok := literal(arg); ok {
		target, attr, _ := strings.Cut(s, ".")
		return unknownRef(at, target, attr)
	}
	if arg.Kind != document.Sequence || len(arg.Items) != 2 {
		return nil
	}
	target, ok := literal(arg.Items[0])
	if !ok {
		return nil
	}
	if attr, ok := literal(arg.Items[1]); ok {
		return unknownRef(at, target, attr)
	}
	v := c.opaque(at, depth, arg.Items[1])
	v.Refs = append([]*graph.Ref{{Address: target, Range: at}}, v.Refs...)
	return v
}

// sub evaluates Fn::Sub: each ${Name} takes the value of the variable map's entry, the
// loop identifier, or the parameter of that name; ${!Literal} is unescaped. When every
// variable is known the result is a string, defined where its first variable's value is
// (no Origin for a template without variables), and explained by the traces of the
// variables' values (see Combined). Otherwise it is Unknown and references what
// each ${Name}, ${Name.Attr} or pseudo parameter ${AWS::Region} names (not serverless
// variables), then whatever the map's values reference.
func (c *Converter) sub(arg *document.Node, at source.Range, depth int) *graph.Value {
	tmpl, vars := arg, (*document.Node)(nil)
	if arg.Kind == document.Sequence && len(arg.Items) == 2 {
		tmpl, vars = arg.Items[0], arg.Items[1]
	}
	text, ok := literal(tmpl)
	if !ok {
		return nil
	}
	values := map[string]*graph.Value{}
	for _, p := range mapPairs(vars) {
		values[p.Key.Value] = c.value(p.Value, depth+1)
	}
	res := subResult{known: true}
	text = expandSub(text, func(name string) string {
		known := res.known
		res.known = true
		s := c.subVariable(name, values, tmpl.Range, &res)
		if !res.known {
			s = "${" + name + "}" // kept in the unknown result's Template
		}
		res.known = res.known && known
		return s
	})
	if res.known {
		v := &graph.Value{Type: graph.String, Str: text, Range: at, Origin: res.origin}
		if res.origin != nil {
			v.Trace = Combined(at, "Fn::Sub", res.traces...)
		}
		return v
	}
	v := &graph.Value{Type: graph.Unknown, Range: at, Refs: graph.PartOf(res.refs), Template: text}
	if len(v.Refs) == 1 && wholeVariable.MatchString(tmpl.Value) {
		v.Refs[0].Whole = true // "${B}" is B's value
	}
	for _, p := range mapPairs(vars) {
		values[p.Key.Value].Walk(func(x *graph.Value) { v.Refs = append(v.Refs, graph.PartOf(x.Refs)...) })
	}
	return v
}

// wholeVariable is a Sub template that is one variable and nothing else.
var wholeVariable = lazyregexp.New(`^\$\{[^!}]+\}$`)

// subResult is what the variables of one Sub template resolved to so far.
type subResult struct {
	known  bool           // every variable so far has a known value
	origin *source.Range  // where the first known variable's value was defined
	traces [][]graph.Step // how the variables' values were computed, in order
	refs   []*graph.Ref   // what the variables reference
}

// subVariable returns the text of one ${Name} of a Sub template written at `at`, with the
// variable map's values, and records it in res.
func (c *Converter) subVariable(name string, values map[string]*graph.Value, at source.Range, res *subResult) string {
	v, ok := values[name]
	switch {
	case ok:
	case strings.HasPrefix(name, "AWS::"): // a pseudo parameter, known at deploy time
		res.refs = append(res.refs, &graph.Ref{Address: name, Range: at})
		res.known = false
		return ""
	case strings.Contains(name, ":") && c.vars != nil: // serverless resolves ${opt:stage} first
		v = c.vars.Resolve(&document.Node{Kind: document.Scalar, Tag: document.StrTag, Value: "${" + name + "}", Range: at})
	case strings.Contains(name, ":"):
		res.known = false
		return ""
	case strings.Contains(name, "."):
		target, attr, _ := strings.Cut(name, ".")
		res.refs = append(res.refs, &graph.Ref{Address: target, Attr: attr, Range: at})
		res.known = false
		return ""
	default:
		v = c.ref(name, at)
		res.refs = append(res.refs, v.Refs...)
	}
	s, known := scalarString(v)
	if known && res.origin == nil {
		res.origin = originOf(v)
	}
	res.traces = append(res.traces, v.Trace)
	res.known = res.known && known
	return s
}

// mapPairs returns the entries of a mapping, none for anything else.
func mapPairs(n *document.Node) []document.Pair {
	if n == nil || n.Kind != document.Mapping {
		return nil
	}
	return n.Pairs
}

// expandSub replaces each ${Name} of a Sub template by what lookup returns and unescapes
// ${!Literal}. lookup is called for every variable, so that it sees them all even once one
// is unknown.
func expandSub(s string, lookup func(name string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+2:]
		if strings.HasPrefix(rest, "!") {
			b.WriteString("${")
			s = rest[1:]
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		if name := strings.TrimSpace(rest[:j]); name != "" {
			b.WriteString(lookup(name))
		}
		s = rest[j+1:]
	}
}

// withinBudget reports whether the string a call computed is within the string-bytes
// budget: nested Fn::Sub or Fn::Join that each use the one inside twice double at every
// level, and a template of a few lines would otherwise exhaust memory. A string past it is
// reported once per call, and the call is Unknown.
func (c *Converter) withinBudget(v *graph.Value, name string, at source.Range) bool {
	if v.Type != graph.String || len(v.Str) <= c.lim.StringBytes {
		return true
	}
	e := &budget.Exceeded{Budget: budget.StringBytes, Limit: int64(c.lim.StringBytes), What: fmt.Sprintf("%s builds a string of %d bytes", name, len(v.Str))}
	c.budgetDiags = append(c.budgetDiags, e.Diagnostic(&at, "the value is unknown"))
	return false
}
