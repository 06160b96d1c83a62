package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// Locatable is anything a finding can point at: a resource (its header), an attribute,
// a value or a list item.
type Locatable interface{ Location() source.Range }

// Related is a secondary location of a finding: where a value was defined, the resource
// that neutralises it.
type Related struct {
	Range   source.Range `json:"range"`
	Message string       `json:"message"`
}

// Finding is one offending element found by one rule.
type Finding struct {
	Rule     *Meta        `json:"-"`
	Severity Severity     `json:"severity"` // the rule's, unless the check lowered or raised it
	Message  string       `json:"message"`
	Resource graph.ID     `json:"resource"`
	Kind     graph.Kind   `json:"kind"`
	Range    source.Range `json:"range"`
	// Path is the attribute path inside the resource ("ingress[0].cidr_blocks[1]"); with the
	// rule ID and resource address it is the finding's line-independent identity.
	Path    string    `json:"path,omitempty"`
	Related []Related `json:"related,omitempty"`
	// Fix is how the finding can be fixed, or nil.
	Fix *Fix `json:"fix,omitempty"`
}

// Fix is the fix a rule offers for one finding. Mode is FixAuto when --fix may write it and
// FixSuggest when it is only shown (--diff, SARIF): a guarded rule decides per finding.
type Fix struct {
	Mode        FixMode         `json:"mode"`
	Description string          `json:"description"`
	Changes     []fixers.Change `json:"-"`
	Edits       []fixers.Edit   `json:"edits,omitempty"` // planned from Changes by the fix engine
}

// WithFix attaches a fix to the finding.
func WithFix(mode FixMode, description string, changes ...fixers.Change) ReportOption {
	return func(f *Finding) {
		f.Fix = &Fix{Mode: mode, Description: description, Changes: changes}
	}
}

// ReportOption adjusts a finding as it is reported.
type ReportOption func(*Finding)

// WithSeverity overrides the rule's severity, e.g. "ineffective" public ACLs drop to low.
func WithSeverity(s Severity) ReportOption { return func(f *Finding) { f.Severity = s } }

// WithRelated adds a related location.
func WithRelated(at Locatable, msg string) ReportOption {
	return func(f *Finding) { f.Related = append(f.Related, Related{Range: at.Location(), Message: msg}) }
}

// Context is what a check sees: the graph, and the sink its findings go to.
type Context struct {
	Graph    *graph.Graph
	rule     *Rule
	findings []Finding
	memo     map[any]any // shared by every rule of one Run
}

// Memo returns what build returns for key, built once per Run and shared by all rules, so
// that a typed view (every bucket with its settings, every ingress permission) is built
// once per scan however many rules read it. Keys are package-private types of the caller.
func Memo[T any](c *Context, key any, build func() T) T {
	if v, ok := c.memo[key]; ok {
		return v.(T)
	}
	v := build()
	c.memo[key] = v
	return v
}

// Report records a finding about resource r at the given element (nil: r's header).
func (c *Context) Report(r *graph.Resource, at Locatable, msg string, opts ...ReportOption) {
	if at == nil {
		at = r
	}
	f := Finding{
		Rule:     &c.rule.Meta,
		Severity: c.rule.Severity,
		Message:  msg,
		Resource: r.ID,
		Kind:     r.Kind,
		Range:    at.Location(),
		Path:     r.PathOf(at.Location()),
	}
	for _, opt := range opts {
		opt(&f)
	}
	for _, call := range r.CalledFrom {
		f.Related = append(f.Related, Related{Range: call, Message: "module called here"})
	}
	if v, ok := at.(*graph.Value); ok && v.Origin != nil {
		f.Related = append(f.Related, Related{Range: *v.Origin, Message: "value defined here"})
	}
	c.findings = append(c.findings, f)
}

// Run runs every rule over g. A rule that panics becomes a diagnostic, never a crash.
// Findings are sorted by path, line, column and rule ID.
func Run(g *graph.Graph, rs []*Rule) ([]Finding, source.Diagnostics) {
	var (
		out   []Finding
		diags source.Diagnostics
	)
	memo := map[any]any{}
	for _, r := range rs {
		fs, err := runOne(&Context{Graph: g, rule: r, memo: memo})
		if err != nil {
			diags = append(diags, source.Diagnostic{Severity: source.Error, Summary: "internal error in rule " + r.ID, Detail: err.Error()})
		}
		out = append(out, fs...)
	}
	Sort(out)
	return out, diags
}

func runOne(ctx *Context) (fs []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			fs, err = nil, fmt.Errorf("%v\n%s", p, debug.Stack())
		}
	}()
	ctx.rule.Check(ctx)
	return ctx.findings, nil
}

// Sort orders findings by path, line, column and rule ID: the order of every report.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Range.Path != b.Range.Path {
			return a.Range.Path < b.Range.Path
		}
		if a.Range.Start.Byte != b.Range.Start.Byte {
			return a.Range.Start.Byte < b.Range.Start.Byte
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// Fingerprint is the finding's identity across edits that move lines: a hash of the rule
// ID, the resource's file and address and the attribute path. SARIF partialFingerprints and
// baselines use it.
func (f *Finding) Fingerprint() string {
	sum := sha256.Sum256([]byte(f.Rule.ID + "\x00" + f.Resource.Path + "\x00" + f.Resource.Address + "\x00" + f.Path))
	return hex.EncodeToString(sum[:16])
}
