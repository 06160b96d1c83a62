// Package suppress decides which findings a team has accepted on purpose: inline ignores
// in comments and CloudFormation Metadata (iacscan's own syntax and the peers' through
// rule aliases), with reasons and expiry dates, and resources excluded by tag. It is the
// first part of the "process" stage; findings it suppresses are kept, with why, so that
// every report can count them and list them on request.
package suppress

import (
	"fmt"
	"time"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// The kinds of suppression, named as SARIF names them.
const (
	KindInSource = "inSource" // an ignore in the scanned file (comment or Metadata)
	KindExternal = "external" // configuration (exclude-tags) or a baseline
)

// Ignore is one ignore found in a file, placed: it knows what it covers.
type Ignore struct {
	Tool     string
	IDs      []string  // rule IDs, aliases or globs as written
	Selector *Selector // nil: every instance
	Expires  time.Time // zero: never; otherwise the ignore holds through that day (UTC)
	Reason   string
	// At is the directive's text (or Metadata entry): where diagnostics about it point.
	At source.Range
	// Problem, when set, makes the ignore malformed: reported and never honoured.
	Problem string
	// Workspace is a trivy/tfsec `:ws:` glob, or "".
	Workspace string
	Scope     Scope
}

// Scope is what an ignore covers.
type Scope struct {
	Path string
	// Line, when not zero, is the one line covered: findings starting there, and findings
	// whose related locations (a parameter default the value came from) start there.
	Line int
	// Block is the resource, module call or other top-level block covered when Line is 0.
	Block source.Range
	// ByRelation makes Block cover the findings related to it, not declared in it: a
	// module call covers the findings inside the module, a variable the findings on
	// values it defines.
	ByRelation bool
}

// Suppressed is a finding that is not reported as failing, and why.
type Suppressed struct {
	rules.Finding
	Suppression Suppression
}

// Suppression says why a finding is suppressed.
type Suppression struct {
	Kind     string        // KindInSource or KindExternal
	Reason   string        // as written, or why configuration excludes it
	Expires  string        // YYYY-MM-DD, or ""
	Location *source.Range // the ignore or the tag; nil for a baseline
	Baseline bool          // recorded in the baseline (--baseline)
}

// Options tune Apply.
type Options struct {
	// Now is the date expiry is checked against.
	Now time.Time
	// RequireReason refuses ignores without a reason instead of warning about them.
	RequireReason bool
	// Catalog is every rule iacscan knows: an iacscan ignore naming none of them is reported.
	Catalog []*rules.Rule
	// Ran are the rules that ran: an ignore is unused only if a rule it names ran.
	Ran []*rules.Rule
	// Resources finds the resource a finding is about (for block scopes and selectors).
	Resources map[graph.ID]*graph.Resource
}

// Index returns the resources of g by ID, as Options.Resources wants them.
func Index(g *graph.Graph) map[graph.ID]*graph.Resource {
	m := make(map[graph.ID]*graph.Resource, len(g.Resources))
	for _, r := range g.Resources {
		m[r.ID] = r
	}
	return m
}

// expired reports whether the ignore no longer holds on now's date.
func (ig *Ignore) expired(now time.Time) bool {
	if ig.Expires.IsZero() {
		return false
	}
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(ig.Expires)
}

func (ig *Ignore) expiry() string {
	if ig.Expires.IsZero() {
		return ""
	}
	return ig.Expires.Format(dateLayout)
}

func (ig *Ignore) location() string {
	return fmt.Sprintf("%s:%d:%d", ig.At.Path, ig.At.Start.Line, ig.At.Start.Column)
}
