// Package lazyregexp is a regular expression compiled on first use, as the Go toolchain's
// own cmd/internal/lazyregexp. A package-level regexp.MustCompile runs in package init,
// in every process, used or not: a one-file scan spent about 4% of its CPU compiling
// expressions it never matched.
package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used; a bad expression
// panics then, as regexp.MustCompile would (tests exercise every one).
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New returns a Regexp for expr, compiled on first use.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// Regexp returns the compiled expression.
func (r *Regexp) Regexp() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}

func (r *Regexp) Match(b []byte) bool        { return r.Regexp().Match(b) }
func (r *Regexp) MatchString(s string) bool  { return r.Regexp().MatchString(s) }
func (r *Regexp) FindString(s string) string { return r.Regexp().FindString(s) }
func (r *Regexp) FindStringSubmatch(s string) []string {
	return r.Regexp().FindStringSubmatch(s)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Regexp().FindAllStringSubmatch(s, n)
}
func (r *Regexp) String() string { return r.expr }
