package rules

import (
	"fmt"
	"slices"
	"strings"
)

// AccountParam is the parameter of the rules whose check includes "the resource is missing
// from the account" (no trail, no GuardDuty detector, no recorder, no EBS default
// encryption, no password policy). Off by default, since most repositories do not own
// account setup (RULES.md 1.4); the baseline profile turns every such check on at once.
const AccountParam = "require-in-account"

// Profiles are the named sets of settings `--profile` and `profile:` select.
var Profiles = map[string]string{
	"baseline": "the repository sets up the account: report the account-level resources it lacks (" + AccountParam + " on every rule that has it)",
}

// ApplyProfile returns rs with the profile name applied, as copies; "" applies none.
func ApplyProfile(rs []*Rule, name string) ([]*Rule, error) {
	switch name {
	case "":
		return rs, nil
	case "baseline":
	default:
		names := make([]string, 0, len(Profiles))
		for n := range Profiles {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(names, ", "))
	}
	out := make([]*Rule, len(rs))
	for i, r := range rs {
		out[i] = r
		if r.HasAccountCheck() {
			c, err := Configure(r, map[string]any{AccountParam: true})
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
	}
	return out, nil
}

// Bool returns a bool parameter (false when undeclared or of another type).
func (c *Context) Bool(name string) bool {
	v, _ := c.Param(name).(bool)
	return v
}

// HasAccountCheck reports whether the rule can report a resource missing from the
// account: whether it declares AccountParam, which the baseline profile turns on.
func (m *Meta) HasAccountCheck() bool {
	return slices.ContainsFunc(m.Params, func(p Param) bool { return p.Name == AccountParam })
}
