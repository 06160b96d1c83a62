package setting

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// Matcher reports whether a known value is safe.
type Matcher func(*graph.Value) bool

// True matches a known true (also "true" in any case, as CloudFormation writes it).
func True(v *graph.Value) bool { return v.IsTrue() }

// False matches a known false.
func False(v *graph.Value) bool { return v.IsFalse() }

// OneOf matches a scalar equal to one of values, ignoring case: AWS accepts "KMS" and
// "kms" alike for most enumerations.
func OneOf(values ...string) Matcher {
	return func(v *graph.Value) bool {
		s, ok := v.AsString()
		return ok && slices.ContainsFunc(values, func(x string) bool { return strings.EqualFold(x, s) })
	}
}

// NoneOf matches a scalar equal to none of values, ignoring case.
func NoneOf(values ...string) Matcher {
	one := OneOf(values...)
	return func(v *graph.Value) bool { return !one(v) }
}

// AtLeast matches a number (or numeric string) of at least n.
func AtLeast(n int) Matcher {
	return func(v *graph.Value) bool {
		i, ok := v.AsInt()
		return ok && i >= n
	}
}

// NotEmpty matches any value but an empty string: a key ID, a bucket name.
func NotEmpty(v *graph.Value) bool {
	s, ok := v.AsString()
	return !ok || s != ""
}
