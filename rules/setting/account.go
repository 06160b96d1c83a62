package setting

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
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
// none of a's kinds, one finding at the start of the scan's first file: there is no
// resource to point at, and the first file is where a reader of the report starts.
func (a Account) Check(ctx *rules.Context) {
	g := ctx.Graph
	if !ctx.Bool(rules.AccountParam) || len(g.Resources) == 0 || len(g.OfKind(a.Kinds...)) > 0 {
		return
	}
	path := g.Resources[0].ID.Path
	start := source.Pos{Line: 1, Column: 1}
	at := source.Range{Path: path, Start: start, End: start}
	account := &graph.Resource{ID: graph.ID{Path: path, Address: "account"}, Kind: "account", Header: at, Range: at, Body: &graph.Value{Type: graph.Map}}
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
