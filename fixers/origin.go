package fixers

import (
	"fmt"
	"slices"

	"github.com/iacscan/iacscan/graph"
)

// DefinedElsewhere says where a value that the changes would edit or delete is defined,
// when it comes from elsewhere (a parameter default, a YAML anchor, a for_each item): that
// is the place to change, and no fix edits such a value (RULES.md decision 6). A map that
// gains an attribute counts on its own, without its contents. "" when none does.
func DefinedElsewhere(changes []Change) string {
	for _, c := range changes {
		if c.Op == AddAttribute && c.Parent != nil && c.Parent.Origin != nil {
			return DescribeOrigin(c.Parent)
		}
		for _, v := range []*graph.Value{c.Target, removedValue(c)} {
			if x := firstOrigin(v); x != nil {
				return DescribeOrigin(x)
			}
		}
	}
	return ""
}

// firstOrigin returns the first value in v, depth first, that has an Origin, or nil.
func firstOrigin(v *graph.Value) (found *graph.Value) {
	v.Walk(func(x *graph.Value) {
		if found == nil && x.Origin != nil {
			found = x
		}
	})
	return found
}

// removedValue is the value a removal deletes besides its Target.
func removedValue(c Change) *graph.Value {
	switch c.Op {
	case RemoveAttribute:
		return c.Attr.Value
	case RemoveResource:
		return c.Resource.Body
	}
	return nil
}

// DescribeOrigin names where v is defined, for a suggestion: `"0.0.0.0/0" comes from
// parameter AnyCidr default, at template.yaml:7:14; change it there`. The name is the
// step of v's trace at its origin, else the one reference v makes.
func DescribeOrigin(v *graph.Value) string {
	o := v.Origin
	where := fmt.Sprintf("%s:%d:%d; change it there", o.Path, o.Start.Line, o.Start.Column)
	s, scalar := v.AsString()
	from := ""
	if i := slices.IndexFunc(v.Trace, func(st graph.Step) bool { return st.Range == *o }); i >= 0 {
		from = v.Trace[i].What
	} else if len(v.Refs) == 1 {
		from = v.Refs[0].Address
	}
	switch {
	case !scalar && from != "":
		return fmt.Sprintf("it is generated from %s, at %s", from, where)
	case !scalar:
		return "it is generated from " + where
	case from != "":
		return fmt.Sprintf("%q comes from %s, at %s", s, from, where)
	}
	return fmt.Sprintf("%q is defined at %s", s, where)
}
