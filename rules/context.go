package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

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
	// Trace is how the offending value was computed (graph.Value.Trace), for
	// --explain-values; nil when it is written where it is used.
	Trace []graph.Step `json:"trace,omitempty"`
	// Construct is the AWS CDK construct path ("OrdersStack/Uploads") of a finding in
	// CloudFormation the CDK synthesised: what the developer changes.
	Construct string `json:"construct,omitempty"`
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

// WithTrace adds steps to the finding's trace: how the element it points at reached the
// resource (a policy document's statement read from a data source, then the attribute
// that reads it). The element's own Trace, if any, comes first.
func WithTrace(steps []graph.Step) ReportOption {
	return func(f *Finding) { f.Trace = append(f.Trace, steps...) }
}

// WithRaisedSeverity raises the finding one level above the rule's severity, critical
// staying critical: the graph escalation of RULES.md 1.2 for a target the internet reaches.
func WithRaisedSeverity() ReportOption {
	return func(f *Finding) {
		if f.Severity < Critical {
			f.Severity++
		}
	}
}

// WithRelated adds a related location.
func WithRelated(at Locatable, msg string) ReportOption {
	return func(f *Finding) { f.Related = append(f.Related, Related{Range: at.Location(), Message: msg}) }
}

// WithPath adds related locations in order: the path a graph rule followed, such as
// group, attachment and public IP.
func WithPath(steps ...Related) ReportOption {
	return func(f *Finding) { f.Related = append(f.Related, steps...) }
}

// Unresolved is a check a rule skipped because a value it needs is not statically known
// (RULES.md decision 5: what is unknown is never guessed). Reports count and list them so
// that users see what was not checked, and where.
type Unresolved struct {
	Rule     *Meta        `json:"-"`
	Resource graph.ID     `json:"resource"`
	Kind     graph.Kind   `json:"kind"`
	Range    source.Range `json:"range"`  // the value that is not known
	Reason   string       `json:"reason"` // "acl is not known statically"
	// Reads names what the unknown value depends on, as written: "var.vpc_cidr",
	// "data.aws_vpc.main.cidr_block", "AWS::Region": the inputs that would decide it.
	Reads []string `json:"reads,omitempty"`
	// Related are other places that explain it: the resource naming an unknown bucket
	// that may configure this one.
	Related []Related `json:"related,omitempty"`
}

// Context is what a check sees: the graph, and the sink its findings and unresolved
// checks go to.
type Context struct {
	Graph      *graph.Graph
	rule       *Rule
	findings   []Finding
	unresolved []Unresolved
	seen       map[unresolvedKey]bool // the unresolved checks recorded so far
	memo       map[any]any            // shared by every rule of one Run (of its group: see RunAll)
	diags      source.Diagnostics
}

// Diagnose records a problem of the rule itself, not of the inputs: a custom rule whose
// expression exceeds its cost limit. The run goes on; reports show it with the input
// diagnostics.
func (c *Context) Diagnose(d source.Diagnostic) { c.diags = append(c.diags, d) }

// unresolvedKey identifies an unresolved check within one rule's run.
type unresolvedKey struct {
	resource graph.ID
	at       source.Range
}

// Memo returns what build returns for key, built once per Run and shared by all rules (by
// all isolated rules, for an isolated one: see RunAll), so that a typed view (every bucket
// with its settings, every ingress permission) is built once per scan however many rules
// read it. Keys are package-private types of the caller.
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
	if v, ok := at.(*graph.Value); ok {
		if v.Origin != nil {
			f.Related = append(f.Related, Related{Range: *v.Origin, Message: "value defined here"})
		}
		if len(v.Trace) > 0 {
			// how the value was computed, then where it went (WithTrace)
			f.Trace = append(slices.Clone(v.Trace), f.Trace...)
		}
	}
	c.findings = append(c.findings, f)
}

// Unresolved records that the check of r could not be made because the value at is not
// statically known, and why ("acl is not known statically": lower case, no period). A
// rule records it where it skips a check only because of an Unknown value, never when a
// known value is fine; each (resource, location) is recorded once per rule.
func (c *Context) Unresolved(r *graph.Resource, at Locatable, reason string, related ...Related) {
	if at == nil {
		at = r
	}
	key := unresolvedKey{resource: r.ID, at: at.Location()}
	if c.seen[key] {
		return
	}
	if c.seen == nil {
		c.seen = map[unresolvedKey]bool{}
	}
	c.seen[key] = true
	u := Unresolved{Rule: &c.rule.Meta, Resource: r.ID, Kind: r.Kind, Range: key.at, Reason: reason, Related: related}
	if v, ok := at.(*graph.Value); ok {
		u.Reads = reads(v)
	}
	c.unresolved = append(c.unresolved, u)
}

// reads returns the references v makes, each once, in order.
func reads(v *graph.Value) []string {
	var out []string
	for _, ref := range v.Refs {
		name := ref.Address
		if ref.Attr != "" {
			name += "." + ref.Attr
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// Results is what the rules of one run report.
type Results struct {
	Findings   []Finding
	Unresolved []Unresolved
}

// Run runs every rule over g and returns their findings; RunAll also returns the checks
// skipped as unresolved.
func Run(g *graph.Graph, rs []*Rule) ([]Finding, source.Diagnostics) {
	res, diags := RunAll(g, rs)
	return res.Findings, diags
}

// RunAll runs every rule over g. A rule that panics becomes a diagnostic, never a crash,
// and what it reported before is dropped. Findings and unresolved checks are sorted by
// path, line, column and rule ID. Isolated rules run on a goroutine of their own, beside
// the others, each group with its own memo; the results are the same as in one sequence.
func RunAll(g *graph.Graph, rs []*Rule) (Results, source.Diagnostics) {
	var (
		ctxs = make([]*Context, len(rs))
		errs = make([]error, len(rs))
		wg   sync.WaitGroup
	)
	runGroup := func(isolated bool) {
		memo := map[any]any{}
		for i, r := range rs {
			if r.Isolated == isolated {
				ctxs[i] = &Context{Graph: g, rule: r, memo: memo}
				errs[i] = runOne(ctxs[i])
			}
		}
	}
	if slices.ContainsFunc(rs, func(r *Rule) bool { return r.Isolated }) {
		wg.Go(func() { runGroup(true) })
	}
	runGroup(false)
	wg.Wait()
	var (
		out   Results
		diags source.Diagnostics
		n, u  int
	)
	for _, ctx := range ctxs {
		n, u = n+len(ctx.findings), u+len(ctx.unresolved)
	}
	// sized once (findings are large, and a scan has tens of thousands); nil when none
	if n > 0 {
		out.Findings = make([]Finding, 0, n)
	}
	if u > 0 {
		out.Unresolved = make([]Unresolved, 0, u)
	}
	for i, ctx := range ctxs {
		if errs[i] != nil {
			diags = append(diags, source.Diagnostic{Severity: source.Error, Summary: "internal error in rule " + rs[i].ID, Detail: errs[i].Error()})
			continue
		}
		diags = append(diags, ctx.diags...)
		out.Findings = append(out.Findings, ctx.findings...)
		out.Unresolved = append(out.Unresolved, ctx.unresolved...)
	}
	Sort(out.Findings)
	sortUnresolved(out.Unresolved)
	return out, diags
}

func runOne(ctx *Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v\n%s", p, debug.Stack())
		}
	}()
	ctx.rule.Check(ctx)
	return nil
}

// Sort orders findings by path, line, column and rule ID: the order of every report.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int { return byPlace(a.Range, a.Rule, b.Range, b.Rule) })
}

// sortUnresolved orders unresolved checks as Sort orders findings.
func sortUnresolved(us []Unresolved) {
	slices.SortStableFunc(us, func(a, b Unresolved) int { return byPlace(a.Range, a.Rule, b.Range, b.Rule) })
}

// byPlace compares by path, position and rule ID.
func byPlace(ra source.Range, a *Meta, rb source.Range, b *Meta) int {
	return cmp.Or(strings.Compare(ra.Path, rb.Path), cmp.Compare(ra.Start.Byte, rb.Start.Byte), strings.Compare(a.ID, b.ID))
}

// Fingerprint is the finding's identity across edits that move lines: a hash of the rule
// ID, the resource's file and address and the attribute path. SARIF partialFingerprints and
// baselines use it.
func (f *Finding) Fingerprint() string {
	sum := sha256.Sum256([]byte(f.Rule.ID + "\x00" + f.Resource.Path + "\x00" + f.Resource.Address + "\x00" + f.Path))
	return hex.EncodeToString(sum[:16])
}
