package cloudformation

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
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

// intrinsic evaluates a function call written at `at`. Only a Ref to a parameter with a
// default and a Sub without variables have a known value; every other call is Unknown and
// carries the references made inside it.
func (c *Converter) intrinsic(name string, arg *document.Node, at source.Range, depth int) *graph.Value {
	switch name {
	case "Ref":
		if target, ok := literal(arg); ok {
			return c.ref(target, at)
		}
	case "Fn::GetAtt":
		if v := c.getAtt(arg, at, depth); v != nil {
			return v
		}
	case "Fn::Sub":
		if v := c.sub(arg, at, depth); v != nil {
			return v
		}
	}
	return c.opaque(at, depth, arg)
}

// opaque is the Unknown result of a call at `at`, with every reference made in args.
func (c *Converter) opaque(at source.Range, depth int, args ...*document.Node) *graph.Value {
	v := &graph.Value{Type: graph.Unknown, Range: at}
	for _, a := range args {
		c.value(a, depth+1).Walk(func(x *graph.Value) { v.Refs = append(v.Refs, x.Refs...) })
	}
	return v
}

func unknownRef(at source.Range, address, attr string) *graph.Value {
	return &graph.Value{Type: graph.Unknown, Range: at, Refs: []*graph.Ref{{Address: address, Attr: attr, Range: at}}}
}

// ref resolves a Ref. A parameter with a literal Default yields that value, ranged at the
// Ref with the Default as its Origin; anything else (a resource, a parameter without a
// default, a pseudo parameter, AWS::NoValue) is Unknown.
func (c *Converter) ref(name string, at source.Range) *graph.Value {
	p, ok := c.params[name]
	if !ok {
		return unknownRef(at, name, "")
	}
	origin := p.value.Range
	var v *graph.Value
	if p.list {
		v = &graph.Value{Type: graph.List}
		if p.value.Value != "" {
			for _, s := range strings.Split(p.value.Value, ",") {
				v.Items = append(v.Items, &graph.Value{Type: graph.String, Str: strings.TrimSpace(s), Range: origin, Origin: &origin})
			}
		}
	} else {
		v = c.scalar(p.value)
	}
	v.Range, v.Origin, v.Refs = at, &origin, []*graph.Ref{{Address: name, Range: at}}
	return v
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

// sub evaluates Fn::Sub. A template string without variables is a known string (with
// `${!Literal}` unescaped). Otherwise the result is Unknown and references what each
// ${Name} or ${Name.Attr} names (not the variables of the map form, pseudo parameters or
// serverless variables), then whatever the map's values reference.
func (c *Converter) sub(arg *document.Node, at source.Range, depth int) *graph.Value {
	tmpl, vars := arg, (*document.Node)(nil)
	if arg.Kind == document.Sequence && len(arg.Items) == 2 {
		tmpl, vars = arg.Items[0], arg.Items[1]
	}
	text, ok := literal(tmpl)
	if !ok {
		return nil
	}
	names, unescaped := subVariables(text)
	if len(names) == 0 {
		return &graph.Value{Type: graph.String, Str: unescaped, Range: at}
	}
	v := &graph.Value{Type: graph.Unknown, Range: at}
	for _, name := range names {
		if name == "" || vars.Get(name) != nil || strings.Contains(name, ":") {
			continue // a map variable, AWS::Region, ${opt:stage}
		}
		target, attr, _ := strings.Cut(name, ".")
		v.Refs = append(v.Refs, &graph.Ref{Address: target, Attr: attr, Range: tmpl.Range})
	}
	if vars != nil {
		v.Refs = append(v.Refs, c.opaque(at, depth, vars).Refs...)
	}
	return v
}

// subVariables returns the variable names of a Sub template and the template with
// `${!Literal}` escapes resolved (meaningful only when there are no variables).
func subVariables(s string) (names []string, unescaped string) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return names, b.String()
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
			return names, b.String()
		}
		names = append(names, strings.TrimSpace(rest[:j]))
		s = rest[j+1:]
	}
}
