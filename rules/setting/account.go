package setting

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Account declares an account-level resource that must exist (a trail, a GuardDuty
// detector, a Config recorder): a check that only runs when rules.AccountParam is on, as
// the baseline profile turns it on. The account is everything one scan reads: scan the
// directory that sets up the account (its root module, its stacks) to check it.
type Account struct {
	// Kinds are the kinds any of which satisfies the check.
	Kinds []graph.Kind
	// Message says what is missing: "no CloudTrail trail is defined".
	Message string
	// Advice says what to add, as the finding's suggestion.
	Advice string
}

// Param is the parameter that turns account checks on, for a rule's Meta.Params.
func (Account) Param() rules.Param {
	return rules.Param{
		Name:        rules.AccountParam,
		Description: "also report when the scanned account defines no such resource (the baseline profile sets it)",
		Value:       false,
	}
}

// Check reports, when the rule's account parameter is on and the scan has resources but
// none of a's kinds, one finding about the account. There is no resource to point at, so
// it points at what stands for the account: the first AWS provider block, else the
// scan's first resource.
func (a Account) Check(ctx *rules.Context) {
	g := ctx.Graph
	if !ctx.Bool(rules.AccountParam) || len(g.Resources) == 0 || len(g.OfKind(a.Kinds...)) > 0 {
		return
	}
	anchor := g.Resources[0]
	if providers := g.OfKind(graph.AWSProvider); len(providers) > 0 {
		anchor = providers[0]
	}
	account := &graph.Resource{
		ID:     graph.ID{Path: anchor.ID.Path, Address: "account"},
		Kind:   "account",
		Header: anchor.Header,
		Range:  anchor.Header,
		Body:   &graph.Value{Type: graph.Map},
	}
	ctx.Report(account, nil, a.Message, rules.Suggestion(a.Advice))
}

// WithAccount returns r, checking a as well; it declares the account parameter.
func WithAccount(r *rules.Rule, a Account) *rules.Rule {
	r.Params = append(r.Params, a.Param())
	check := r.Check
	r.Check = func(ctx *rules.Context) {
		check(ctx)
		a.Check(ctx)
	}
	return r
}
