package cloudformation

import (
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
)

// maxDepth bounds how deeply values are converted. The decoders already bound the nesting
// of a file, but aliases can chain anchored nodes into deeper trees; deeper values are
// Unknown.
const maxDepth = 10_000

// Value converts a document node into a graph value with the node's range: scalars by
// their tag, mappings into Maps, sequences into Lists and intrinsic functions into
// references. A value reached through a YAML alias has the anchored node as its Origin,
// and the anchor as the last step of its Trace.
func (c *Converter) Value(n *document.Node) *graph.Value { return c.value(n, 0) }

func (c *Converter) value(n *document.Node, depth int) *graph.Value {
	if depth > maxDepth {
		return &graph.Value{Type: graph.Unknown, Range: n.Range}
	}
	v := c.convert(n, depth)
	if n.Alias != nil {
		if v.Origin == nil {
			origin := n.Alias.Range
			v.Origin = &origin
		}
		shared(v)
		v = Traced(v, nil, c.anchorStep(n.Range, n.Alias.Range))
	}
	return v
}

// shared marks the values under v, part of an anchored node reached through an alias or a
// merge key: each is defined where it is written, which other mappings may share, so it
// gets its own range as Origin and fixers leave it alone.
func shared(v *graph.Value) {
	for _, it := range v.Items {
		sharedValue(it)
	}
	for _, a := range v.Attrs {
		sharedValue(a.Value)
	}
}

// sharedValue marks v and what is under it. A value that already has an Origin was marked
// with its subtree (an inner alias) or has none (a parameter default), so it is skipped:
// chains of aliases are walked once.
func sharedValue(v *graph.Value) {
	if v.Origin != nil {
		return
	}
	origin := v.Range
	v.Origin = &origin
	shared(v)
}

func (c *Converter) convert(n *document.Node, depth int) *graph.Value {
	if name, arg, ok := intrinsic(n); ok {
		return c.intrinsic(name, arg, n.Range, depth)
	}
	switch n.Kind {
	case document.Mapping:
		return c.mapping(n, depth)
	case document.Sequence:
		v := &graph.Value{Type: graph.List, Range: n.Range, Items: make([]*graph.Value, 0, len(n.Items))}
		for _, it := range n.Items {
			if item := c.value(it, depth+1); !isNoValue(item) {
				v.Items = append(v.Items, item)
			}
		}
		return v
	}
	if c.format == graph.Serverless && c.vars != nil && n.Kind == document.Scalar && strings.Contains(n.Value, "${") {
		return c.vars.Resolve(n)
	}
	return c.scalar(n)
}

// mapping converts a mapping, leaving out the entries whose value is AWS::NoValue and
// expanding the Fn::ForEach entries into the keys they generate.
func (c *Converter) mapping(n *document.Node, depth int) *graph.Value {
	v := &graph.Value{Type: graph.Map, Range: n.Range, Attrs: make([]*graph.Attribute, 0, len(n.Pairs))}
	// The attributes are allocated together, one per entry: loops add more, one by one.
	block := make([]graph.Attribute, len(n.Pairs))
	add := func(name string, key, value *document.Node, fromElsewhere bool) {
		var a *graph.Attribute
		if len(block) > 0 {
			a, block = &block[0], block[1:]
		} else {
			a = new(graph.Attribute)
		}
		*a = graph.Attribute{Name: name, NameRange: key.Range, Range: span(key, value), Value: c.value(value, depth+1)}
		if isNoValue(a.Value) {
			return
		}
		if fromElsewhere {
			sharedValue(a.Value)
		}
		v.Attrs = append(v.Attrs, a)
	}
	for _, p := range n.Pairs {
		if !c.isForEach(p.Key) {
			add(p.Key.Value, p.Key, p.Value, p.Merged)
			continue
		}
		emit := func(name string, key, value *document.Node) { add(name, key, value, true) }
		if c.forEach(p, depth, emit) != nil {
			// The keys the loop generates are not known, so neither is which are absent.
			return &graph.Value{Type: graph.Unknown, Range: n.Range}
		}
	}
	return v
}

// scalar converts a scalar by its tag. Tags with no graph type of their own (timestamps
// such as an IAM policy's `Version: 2012-10-17`, binary) are strings, as CloudFormation
// reads them.
func (c *Converter) scalar(n *document.Node) *graph.Value {
	switch n.Tag {
	case document.NullTag:
		return &graph.Value{Type: graph.Null, Range: n.Range}
	case document.BoolTag:
		return &graph.Value{Type: graph.Bool, Bool: isTrue(n.Value), Range: n.Range}
	case document.IntTag, document.FloatTag:
		if num, ok := parseNumber(n.Value); ok {
			return &graph.Value{Type: graph.Number, Num: num, Str: n.Value, Range: n.Range}
		}
	}
	if c.format == graph.Serverless && strings.Contains(n.Value, "${") {
		return &graph.Value{Type: graph.Unknown, Range: n.Range} // a serverless variable
	}
	return &graph.Value{Type: graph.String, Str: n.Value, Range: n.Range}
}

func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y":
		return true
	}
	return false
}

// parseNumber reads a YAML or JSON number: decimal, or with a base prefix or digit
// separators as YAML allows (0x1F, 0o17, 1_000). A number Go cannot represent (.inf,
// an out-of-range exponent) stays a string.
func parseNumber(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	i, err := strconv.ParseInt(s, 0, 64)
	return float64(i), err == nil
}
