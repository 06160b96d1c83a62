package policy

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Unknown is a part of a document a check needs that is not statically known: the
// resource declaring it, where it is and why the check cannot be made.
type Unknown struct {
	Resource *graph.Resource
	At       rules.Locatable
	Why      string // "policy principal is not known statically"
}

// Record records u as an unresolved check of the running rule.
func (u Unknown) Record(ctx *rules.Context) { ctx.Unresolved(u.Resource, u.At, u.Why) }

// Record records each of us and reports whether there was any: a check that has
// unknowns to record makes no finding.
func Record(ctx *rules.Context, us []Unknown) bool {
	for _, u := range us {
		u.Record(ctx)
	}
	return len(us) > 0
}

// Why the parts of a document may not be judged.
const (
	documentUnknownWhy  = "policy document is not known statically"
	statementUnknownWhy = "policy statement is not known statically"
	effectUnknownWhy    = "policy effect is not known statically"
	principalUnknownWhy = "policy principal is not known statically"
	conditionUnknownWhy = "policy condition is not known statically"
	actionUnknownWhy    = "policy action is not known statically"
	resourceUnknownWhy  = "policy resource is not known statically"
)

// unknownIn returns v, declared by r, as a list of one unknown when it is present and not
// statically known, else nil.
func unknownIn(r *graph.Resource, v *graph.Value, why string) []Unknown {
	if v == nil || v.Known() {
		return nil
	}
	return []Unknown{{Resource: r, At: v, Why: why}}
}
