package rules

import (
	"fmt"
	"path"
	"strings"
)

// Matches reports whether pattern names the rule: its ID, name or an alias (any case), or
// a glob over its ID such as "AWS-EC2-*".
func (m *Meta) Matches(pattern string) bool {
	if strings.EqualFold(pattern, m.ID) || strings.EqualFold(pattern, m.Name) {
		return true
	}
	for _, a := range m.Aliases {
		if strings.EqualFold(pattern, a) {
			return true
		}
	}
	ok, _ := path.Match(strings.ToUpper(pattern), m.ID)
	return ok
}

// Select picks the rules to run from all. With enable empty, every rule that is on by
// default runs; otherwise exactly the rules enable names (default-off ones included).
// disable removes rules after that. A pattern that names no rule is an error, so that a
// typo never silently turns a check off.
func Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	if err := known(all, enable); err != nil {
		return nil, err
	}
	if err := known(all, disable); err != nil {
		return nil, err
	}
	var out []*Rule
	for _, r := range all {
		on := !r.DefaultOff
		if len(enable) > 0 {
			on = matchesAny(&r.Meta, enable)
		}
		if on && !matchesAny(&r.Meta, disable) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Lookup returns the rule named by id (ID, name or alias), or nil.
func Lookup(all []*Rule, id string) *Rule {
	for _, r := range all {
		if !strings.ContainsAny(id, "*?[") && r.Matches(id) {
			return r
		}
	}
	return nil
}

func matchesAny(m *Meta, patterns []string) bool {
	for _, p := range patterns {
		if m.Matches(p) {
			return true
		}
	}
	return false
}

func known(all []*Rule, patterns []string) error {
	for _, p := range patterns {
		found := false
		for _, r := range all {
			if r.Matches(p) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("no rule matches %q (see `iacscan rules`)", p)
		}
	}
	return nil
}
