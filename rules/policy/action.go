package policy

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Match reports whether an action pattern as written in a policy ("s3:Get*", "iam:*",
// "*", "ec2:Describe?nstances") matches an action: `*` matches any run of characters and
// `?` any one, and action names are case-insensitive.
func Match(pattern, action string) bool {
	return glob(strings.ToLower(pattern), strings.ToLower(action))
}

// glob matches s against p with `*` and `?`, backtracking only to the last star, so that
// it runs in linear time on the lengths of both.
func glob(p, s string) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// everything reports whether a pattern covers every action or resource: "*", and "*:*"
// for actions.
func everything(pattern string) bool {
	return pattern != "" && strings.Trim(pattern, "*") == "" || pattern == "*:*"
}

// Every reports which element makes e cover every action (or resource) and, when none is
// known to, the parts not statically known that might. A "*" item does; so does a
// NotAction (NotResource) that excludes something known but not everything: it allows all
// the rest.
func (e Elements) Every(r *graph.Resource, why string) (at rules.Locatable, unresolved []Unknown) {
	if e.At == nil {
		return nil, nil
	}
	if e.Not {
		if slices.ContainsFunc(e.Known, isEverything) {
			return nil, nil
		}
		if len(e.Unknown) > 0 {
			return nil, unknowns(r, e.Unknown, why)
		}
		return e.At, nil
	}
	if i := slices.IndexFunc(e.Known, isEverything); i >= 0 {
		return e.Known[i], nil
	}
	return nil, unknowns(r, e.Unknown, why)
}

func isEverything(v *graph.Value) bool { return everything(v.Str) }

// Covers reports whether e allows action (for resources: names resource) and, when it is
// not known to, the parts not statically known that might decide it.
func (e Elements) Covers(r *graph.Resource, action, why string) (at rules.Locatable, unresolved []Unknown) {
	if e.At == nil {
		return nil, nil
	}
	i := slices.IndexFunc(e.Known, func(v *graph.Value) bool { return Match(v.Str, action) })
	switch {
	case e.Not && i >= 0:
		return nil, nil
	case e.Not && len(e.Unknown) > 0:
		return nil, unknowns(r, e.Unknown, why)
	case e.Not:
		return e.At, nil
	case i >= 0:
		return e.Known[i], nil
	}
	return nil, unknowns(r, e.Unknown, why)
}

func unknowns(r *graph.Resource, vs []*graph.Value, why string) []Unknown {
	var out []Unknown
	for _, v := range vs {
		out = append(out, unknownIn(r, v, why)...)
	}
	return out
}

// EveryAction returns the element by which an Allow statement grants every action, or
// the unknown parts that keep it from being judged (an unknown effect among them).
func (s *Statement) EveryAction() (at rules.Locatable, unresolved []Unknown) {
	return s.every(s.Actions, actionUnknownWhy)
}

// EveryResource is EveryAction for resources.
func (s *Statement) EveryResource() (at rules.Locatable, unresolved []Unknown) {
	return s.every(s.Resources, resourceUnknownWhy)
}

func (s *Statement) every(e Elements, why string) (rules.Locatable, []Unknown) {
	if len(s.effectUnknown) == 0 && !strings.EqualFold(s.Effect, "Allow") {
		return nil, nil
	}
	at, unresolved := e.Every(s.Resource, why)
	if at != nil && len(s.effectUnknown) > 0 {
		return nil, s.effectUnknown
	}
	return at, unresolved
}
