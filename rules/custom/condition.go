package custom

import (
	"net/netip"
	"regexp"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/graph"
)

// condition is what a resource must satisfy: a rule's `require`.
type condition interface {
	// test judges v, the setting's value (nil when it is absent and has no default), of r.
	test(e *evaluation, r *graph.Resource, v *graph.Value) verdict
	// needsValue reports whether the condition says nothing about an absent setting: a
	// resource without it is then not judged.
	needsValue() bool
}

// verdict is a condition's judgement.
type verdict struct {
	ok bool
	// unknown is the value that is not statically known, when the judgement depends on it.
	unknown *graph.Value
	// offending are the list items that fail a condition on each item.
	offending []*graph.Value
	// err is an evaluation error; stop says the rule cannot go on (its cost limit).
	err  error
	stop bool
}

// scalar is a condition each item of the value must meet (the value itself when it is
// not a list), such as one_of.
type scalar struct {
	pred   func(*graph.Value) bool
	negate bool
}

func (s scalar) needsValue() bool { return true }

func (s scalar) test(_ *evaluation, _ *graph.Resource, v *graph.Value) verdict {
	items := []*graph.Value{v}
	if v.Type == graph.List {
		items = v.Items
	}
	var out verdict
	for _, it := range items {
		switch {
		case !it.Known():
			return verdict{unknown: it}
		case s.pred(it) == s.negate:
			out.offending = append(out.offending, it)
		}
	}
	out.ok = len(out.offending) == 0
	return out
}

// presence is `present: true` (want) or `absent: true`.
type presence struct{ want bool }

func (p presence) needsValue() bool { return false }

func (p presence) test(_ *evaluation, _ *graph.Resource, v *graph.Value) verdict {
	return verdict{ok: (v != nil) == p.want}
}

// condition compiles a `require` (or a `not`) node; negate is set inside an odd number of
// `not`s. Problems go to b.
func (b *builder) condition(n *yaml.Node, negate, hasSetting bool) condition {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		b.fail(n, "a condition has exactly one key")
		return presence{want: true}
	}
	key, arg := n.Content[0].Value, n.Content[1]
	if key != "cel" && key != "not" && !hasSetting {
		b.fail(n.Content[0], "condition %s needs a setting to test (or use cel)", key)
	}
	switch key {
	case "not":
		return b.condition(arg, !negate, hasSetting)
	case "present", "absent":
		return presence{want: (key == "present") != negate}
	case "cel":
		return b.cel(arg, negate)
	case "equals":
		want := valueOf(arg)
		return scalar{pred: func(v *graph.Value) bool { return equal(v, want) }, negate: negate}
	case "one_of":
		var wants []*graph.Value
		for _, it := range arg.Content {
			wants = append(wants, valueOf(it))
		}
		return scalar{pred: func(v *graph.Value) bool {
			return slices.ContainsFunc(wants, func(w *graph.Value) bool { return equal(v, w) })
		}, negate: negate}
	case "matches":
		re, err := regexp.Compile(arg.Value)
		if err != nil {
			b.fail(arg, "matches: %v", err)
			return presence{want: true}
		}
		return scalar{pred: func(v *graph.Value) bool { s, ok := v.AsString(); return ok && re.MatchString(s) }, negate: negate}
	case "cidr_within":
		nets := b.prefixes(arg.Content...)
		return scalar{pred: func(v *graph.Value) bool {
			p, ok := prefixOf(v)
			return ok && slices.ContainsFunc(nets, func(n netip.Prefix) bool { return n.Bits() <= p.Bits() && n.Contains(p.Addr()) })
		}, negate: negate}
	case "cidr_contains":
		nets := b.prefixes(arg)
		return scalar{pred: func(v *graph.Value) bool {
			p, ok := prefixOf(v)
			return ok && len(nets) == 1 && p.Bits() <= nets[0].Bits() && p.Contains(nets[0].Addr())
		}, negate: negate}
	}
	b.fail(n.Content[0], "unknown condition %q", key)
	return presence{want: true}
}

// prefixes parses CIDRs (or single addresses) of a rule file.
func (b *builder) prefixes(ns ...*yaml.Node) []netip.Prefix {
	var out []netip.Prefix
	for _, n := range ns {
		p, ok := prefixOf(graph.StringValue(n.Value))
		if !ok {
			b.fail(n, "%q is not a CIDR", n.Value)
			continue
		}
		out = append(out, p)
	}
	return out
}

// prefixOf reads a CIDR, or an address as its one-address prefix.
func prefixOf(v *graph.Value) (netip.Prefix, bool) {
	s, ok := v.AsString()
	if !ok {
		return netip.Prefix{}, false
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// equal compares a setting's value with a rule file's: numbers by value, booleans also
// when written as strings (CloudFormation), anything else as text.
func equal(v, want *graph.Value) bool {
	switch want.Type {
	case graph.Bool:
		b, ok := v.AsBool()
		return ok && b == want.Bool
	case graph.Number:
		s, ok := v.AsString()
		f, err := strconv.ParseFloat(s, 64)
		return ok && err == nil && f == want.Num
	case graph.Null:
		return v.Type == graph.Null
	}
	a, ok1 := v.AsString()
	b, ok2 := want.AsString()
	return ok1 && ok2 && a == b
}
