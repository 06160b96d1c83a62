package s3

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// unknown is a value a check needs that is not statically known: the resource declaring
// it, where it is and why the check cannot be made. Views collect them; a rule records
// those that keep it from deciding as unresolved (RULES.md decision 5).
type unknown struct {
	resource *graph.Resource
	at       rules.Locatable
	why      string // "acl is not known statically"
	related  []rules.Related
}

func (u unknown) record(ctx *rules.Context) { ctx.Unresolved(u.resource, u.at, u.why, u.related...) }

// recorded records each of us and reports whether there was any: a check that has
// unknowns to record makes no finding.
func recorded(ctx *rules.Context, us []unknown) bool {
	for _, u := range us {
		u.record(ctx)
	}
	return len(us) > 0
}

// unknownAt returns v, declared by r, as an unknown when it is present and not statically
// known, else nil.
func unknownAt(r *graph.Resource, v *graph.Value, why string) *unknown {
	if v == nil || v.Known() {
		return nil
	}
	return &unknown{resource: r, at: v, why: why}
}

// unknownIn is unknownAt as a list of at most one unknown, to append.
func unknownIn(r *graph.Resource, v *graph.Value, why string) []unknown {
	if u := unknownAt(r, v, why); u != nil {
		return []unknown{*u}
	}
	return nil
}

// unknownItems returns v, or each item of the list v, that is not statically known.
func unknownItems(r *graph.Resource, v *graph.Value, why string) []unknown {
	if v == nil || v.Type != graph.List {
		return unknownIn(r, v, why)
	}
	var out []unknown
	for _, it := range v.Items {
		out = append(out, unknownIn(r, it, why)...)
	}
	return out
}
