package iam

import (
	"fmt"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// The parameters of AWS-IAM-005: the thresholds a password policy must meet.
const (
	minLengthParam = "minimum-length"
	reuseParam     = "reuse-prevention"
	maxAgeParam    = "max-age"
)

// PasswordPolicy is AWS-IAM-005: the account password policy is weaker than the
// thresholds.
var PasswordPolicy = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-005",
		Name:  "iam-password-policy-weak",
		Title: "Weak account password policy",
		Description: "The `aws_iam_account_password_policy` lets users choose weak passwords or keep them forever: " +
			"a minimum length under 14 characters, no requirement for lowercase or uppercase letters, numbers or symbols, " +
			"reuse of any of the last 24 passwords, no expiry within 90 days, or users unable to change their own password. " +
			"A missing setting takes AWS's weak default and is reported too. The thresholds are parameters. " +
			"CloudFormation has no password policy resource; an account without the resource is not reported (it may be managed elsewhere).",
		Remediation: "Set `minimum_password_length = 14`, `require_lowercase_characters`, `require_uppercase_characters`, `require_numbers` and `require_symbols` to true, " +
			"`password_reuse_prevention = 24`, `max_password_age = 90` and `allow_users_to_change_password = true`. " +
			"`--fix` tightens the values written in the resource and adds the missing ones; it never loosens a stricter setting.",
		Severity: rules.Medium,
		Tags:     tags("authentication", "password", "CWE-521"),
		Formats:  []graph.Format{graph.Terraform},
		Fix:      rules.FixAuto,
		Params: []rules.Param{
			{Name: minLengthParam, Description: "The shortest password length allowed.", Value: 14},
			{Name: reuseParam, Description: "How many previous passwords may not be reused.", Value: 24},
			{Name: maxAgeParam, Description: "The most days a password may be kept.", Value: 90},
		},
	},
	Check: checkPasswordPolicy,
}

// passwordSetting is one setting of the policy and the bound it must meet.
type passwordSetting struct {
	name string
	// ok reports whether a known value meets the bound; want is the value a fix writes.
	ok   func(v *graph.Value) (ok, known bool)
	want *graph.Value
	what string // what a weak value allows, for messages
}

func passwordSettings(ctx *rules.Context) []passwordSetting {
	required := func(name, what string) passwordSetting {
		return passwordSetting{name: name, want: graph.BoolValue(true), what: what, ok: func(v *graph.Value) (bool, bool) {
			b, known := v.AsBool()
			return b, known
		}}
	}
	atLeast := func(name string, n int, what string) passwordSetting {
		return passwordSetting{name: name, want: number(n), what: what, ok: func(v *graph.Value) (bool, bool) {
			x, known := v.AsInt()
			return x >= n, known
		}}
	}
	maxAge := ctx.Int(maxAgeParam)
	return []passwordSetting{
		atLeast("minimum_password_length", ctx.Int(minLengthParam), fmt.Sprintf("passwords shorter than %d characters", ctx.Int(minLengthParam))),
		required("require_lowercase_characters", "passwords without lowercase letters"),
		required("require_uppercase_characters", "passwords without uppercase letters"),
		required("require_numbers", "passwords without numbers"),
		required("require_symbols", "passwords without symbols"),
		atLeast("password_reuse_prevention", ctx.Int(reuseParam), fmt.Sprintf("reusing one of the last %d passwords", ctx.Int(reuseParam))),
		{name: "max_password_age", want: number(maxAge), what: fmt.Sprintf("keeping a password more than %d days", maxAge), ok: func(v *graph.Value) (bool, bool) {
			x, known := v.AsInt()
			return x > 0 && x <= maxAge, known
		}},
		required("allow_users_to_change_password", "users unable to change their own password"),
	}
}

func number(n int) *graph.Value {
	return &graph.Value{Type: graph.Number, Num: float64(n), Str: fmt.Sprint(n)}
}

func checkPasswordPolicy(ctx *rules.Context) {
	settings := passwordSettings(ctx)
	for _, r := range ctx.Graph.OfKind(graph.IAMAccountPasswordPolicy) {
		if !r.Body.Known() {
			ctx.Unresolved(r, r.Body, "password policy is not known statically")
			continue
		}
		for _, s := range settings {
			checkPasswordSetting(ctx, r, s)
		}
	}
}

func checkPasswordSetting(ctx *rules.Context, r *graph.Resource, s passwordSetting) {
	text := s.want.Str
	if s.want.Type == graph.Bool {
		text = "true"
	}
	a := r.Get(s.name)
	if a == nil {
		ctx.Report(r, nil, "password policy "+r.ID.Address+" does not set "+s.name+", allowing "+s.what,
			rules.WithFix(rules.FixAuto, "add "+s.name+" = "+text,
				fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: s.name, New: s.want}))
		return
	}
	ok, known := s.ok(a.Value)
	switch {
	case !known:
		if !a.Value.Known() {
			ctx.Unresolved(r, a.Value, s.name+" is not known statically")
		}
	case !ok:
		changes := []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: a.Value, New: s.want}}
		fix := rules.WithFix(rules.FixAuto, "set "+s.name+" to "+text, changes...)
		if origin := fixers.DefinedElsewhere(changes); origin != "" {
			fix = rules.WithFix(rules.FixSuggest, "set "+s.name+" to "+text+"; a suggestion because "+origin)
		}
		ctx.Report(r, a.Value, "password policy "+r.ID.Address+" allows "+s.what, fix)
	}
}
