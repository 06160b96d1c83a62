// Package sarif writes a scan.Result as SARIF 2.1.0 for GitHub code scanning and other
// SARIF consumers. The log always has exactly one run (GitHub rejects several runs of one
// category), describes every rule that ran, and locates results with repository-relative
// URIs, full regions and line-independent fingerprints. go-sarif is an implementation
// detail: nothing of it leaks out of this package.
package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

const (
	// ToolName is the driver name: GitHub filters alerts by it.
	ToolName = "iacscan"
	// InformationURI is the tool's home page.
	InformationURI = "https://github.com/iacscan/iacscan"
	// SourceRoot is the uriBaseId of every relative URI: the scanned repository's root.
	SourceRoot = "%SRCROOT%"
	// FingerprintKey names iacscan's own partial fingerprint. GitHub computes its
	// primaryLocationLineHash itself and warns about a foreign value under that key, so
	// ours lives under a key of its own, versioned in case the identity ever changes.
	FingerprintKey = "iacscan/v1"
	// maxTags is GitHub's limit of tags per rule.
	maxTags = 20
)

// semverRE is the semver.org regular expression: only such a version may go to
// semanticVersion, which GitHub prefers over version.
var semverRE = lazyregexp.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// Write writes res as one indented SARIF 2.1.0 log, within GitHub code scanning's limits
// (see Limits).
func Write(w io.Writer, res *scan.Result, opts report.Options) error {
	return write(w, res, opts, GitHub)
}

func write(w io.Writer, res *scan.Result, opts report.Options, lim Limits) error {
	doc, err := capped(res, opts, lim)
	if err != nil {
		return err
	}
	_, err = w.Write(doc)
	return err
}

// encode renders the log with the results keep selects.
func encode(res *scan.Result, opts report.Options, keep *selection) ([]byte, error) {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	log.AddRun(newRun(res, opts, keep))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote source text such as "<" verbatim
	err = enc.Encode(log)
	return buf.Bytes(), err
}

// describer adds each rule descriptor a run needs once: the rule's own, and a variant
// for each severity a finding of the rule has that differs from the rule's.
type describer struct {
	run       *sarif.Run
	described map[string]bool
}

// describe adds the descriptor of m at severity s if it is missing and returns its ID.
func (d *describer) describe(m *rules.Meta, s rules.Severity) string {
	id := ruleID(m, s)
	if !d.described[id] {
		d.described[id] = true
		d.run.Tool.Driver.AddRule(newRule(m, s))
	}
	return id
}

// ruleID is the ruleId of a result of m at severity s. GitHub code scanning takes an
// alert's severity only from properties.security-severity of the reportingDescriptor whose
// id equals the result's ruleId (neither result properties nor ruleIndex count), so a
// finding whose severity iacscan changed (lowered as ineffective, raised by exposure) is
// reported under a variant of the rule, "AWS-S3-001/low": a hierarchical rule ID as SARIF
// §3.27.5 allows, described by its own descriptor with that severity. Findings at the
// rule's severity keep the plain ID, so their alerts keep their identity.
func ruleID(m *rules.Meta, s rules.Severity) string {
	if s == m.Severity || s == 0 {
		return m.ID
	}
	return m.ID + "/" + s.String()
}

func newRun(res *scan.Result, opts report.Options, keep *selection) *sarif.Run {
	run := sarif.NewRun(sarif.Tool{Driver: newDriver(opts.Version)})
	run.WithColumnKind("utf16CodeUnits")
	run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
		// No uri: an absolute path would differ on every machine, and consumers such as
		// upload-sarif resolve relative URIs against the checkout themselves.
		SourceRoot: sarif.NewArtifactLocation().WithDescriptionText("The root of the scanned repository."),
	})
	d := &describer{run: run, described: map[string]bool{}}
	for _, r := range res.Rules {
		d.describe(&r.Meta, r.Severity)
	}
	loc := newLocator(res)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Rule == nil || !keep.finding(i) {
			continue // only rules.Run makes findings, and it always sets the rule
		}
		// A finding of a rule missing from res.Rules still needs its descriptor, or its
		// ruleIndex would point nowhere.
		run.AddResult(newResult(f, d.describe(f.Rule, f.Severity), loc))
	}
	addSuppressed(run, res, loc, d, keep)
	inv := newInvocation(res.Diagnostics, loc)
	if n := keep.notification(); n != nil {
		inv.AddTToolExecutionNotification(n)
	}
	run.AddInvocations(inv)
	return run
}

func newDriver(version string) *sarif.ToolComponent {
	d := sarif.NewDriver(ToolName).WithInformationURI(InformationURI)
	if version != "" {
		d.WithVersion(version)
	}
	if semverRE.MatchString(version) {
		d.WithSemanticVersion(version)
	}
	return d
}

// newRule describes a rule at severity s (see ruleID) with everything GitHub shows or
// filters on.
func newRule(m *rules.Meta, s rules.Severity) *sarif.ReportingDescriptor {
	if s == 0 {
		s = m.Severity
	}
	level, score := s.SARIF()
	full := m.Description
	if full == "" {
		full = m.Title // GitHub requires a fullDescription
	}
	if s != m.Severity {
		if !strings.HasSuffix(full, ".") {
			full += "."
		}
		full += fmt.Sprintf(" These findings of %s are %s, not %s as the rule is: the message of each says why.", m.ID, s, m.Severity)
	}
	d := sarif.NewRule(ruleID(m, s)).
		WithShortDescription(sarif.NewMultiformatMessageString(m.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(full)).
		WithTextHelp(helpText(m)).
		WithMarkdownHelp(helpMarkdown(m)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)).
		WithProperties(sarif.Properties{"tags": tags(m.Tags), "security-severity": score})
	if m.Name != "" {
		d.WithName(m.Name)
	}
	if help := m.HelpURI(); help != "" {
		d.WithHelpURI(help)
	}
	return d
}

// helpText is the plain-text help: why, how to fix, and where the rule's page is.
func helpText(m *rules.Meta) string {
	parts := nonEmpty(m.Description)
	if fix := strings.TrimSpace(m.Remediation); fix != "" {
		parts = append(parts, "How to fix: "+fix)
	}
	if help := m.HelpURI(); help != "" {
		parts = append(parts, "Documentation: "+help)
	}
	return strings.Join(parts, "\n\n")
}

// helpMarkdown is what GitHub shows on the alert page in place of helpText.
func helpMarkdown(m *rules.Meta) string {
	parts := nonEmpty(m.Description)
	if fix := strings.TrimSpace(m.Remediation); fix != "" {
		parts = append(parts, "**How to fix.** "+fix)
	}
	if help := m.HelpURI(); help != "" {
		parts = append(parts, "[Rule documentation]("+help+")")
	}
	return strings.Join(parts, "\n\n")
}

func nonEmpty(s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		return []string{s}
	}
	return nil
}

// tags returns the rule's tags with "security" first, which is what makes GitHub treat
// the rule's security-severity as the alert severity, without duplicates and within
// GitHub's limit.
func tags(ts []string) []string {
	out := []string{"security"}
	for _, t := range ts {
		known := slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) })
		if len(out) < maxTags && t != "" && !known {
			out = append(out, t)
		}
	}
	return out
}

func newResult(f *rules.Finding, ruleID string, loc locator) *sarif.Result {
	level, _ := f.Severity.SARIF()
	r := sarif.NewRuleResult(ruleID).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(f.Message)).
		WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint()})
	primary := loc.location(f.Range)
	if f.Resource.Address != "" {
		logical := []*sarif.LogicalLocation{sarif.NewLogicalLocation().WithFullyQualifiedName(f.Resource.Address).WithKind("resource")}
		if f.Construct != "" { // the AWS CDK construct the generated resource comes from
			logical = append(logical, sarif.NewLogicalLocation().WithFullyQualifiedName(f.Construct).WithKind("module"))
		}
		primary.WithLogicalLocations(logical)
	}
	r.AddLocation(primary)
	for i, rel := range f.Related {
		r.AddRelatedLocation(loc.location(rel.Range).WithId(i + 1).WithMessage(sarif.NewTextMessage(rel.Message)))
	}
	if flow := newCodeFlow(f, loc); flow != nil {
		r.AddCodeFlow(flow)
	}
	if fix := newFix(f.Fix, loc); fix != nil {
		r.AddFix(fix)
	}
	return r
}

// newCodeFlow shows how a computed value reached the finding as a SARIF code flow, which
// GitHub code scanning renders step by step: each step of the trace, then the finding's
// own location. A value written where it is used has no flow.
func newCodeFlow(f *rules.Finding, loc locator) *sarif.CodeFlow {
	if len(f.Trace) == 0 {
		return nil
	}
	thread := sarif.NewThreadFlow()
	for _, s := range f.Trace {
		thread.AddLocation(sarif.NewThreadFlowLocation().
			WithLocation(loc.location(s.Range).WithMessage(sarif.NewTextMessage(s.What))))
	}
	used := f.Path
	if used == "" {
		used = f.Resource.Address
	}
	thread.AddLocation(sarif.NewThreadFlowLocation().
		WithLocation(loc.location(f.Range).WithMessage(sarif.NewTextMessage(used))))
	return sarif.NewCodeFlow().WithTextMessage("how the value was computed").WithThreadFlows([]*sarif.ThreadFlow{thread})
}

// newFix turns the byte edits the fix engine planned for a finding, the very edits --fix
// writes, into a SARIF fix with one artifactChange per file. A fix without edits (not
// planned, or nothing to write) is no SARIF fix.
func newFix(fix *rules.Fix, loc locator) *sarif.Fix {
	if fix == nil || len(fix.Edits) == 0 {
		return nil
	}
	out := sarif.NewFix()
	if fix.Description != "" {
		out.WithDescriptionText(fix.Description)
	}
	changes := map[string]*sarif.ArtifactChange{}
	for _, e := range fix.Edits {
		c := changes[e.Path]
		if c == nil {
			c = sarif.NewArtifactChange(artifactLocation(e.Path))
			changes[e.Path] = c
			out.AddArtifactChanges(c)
		}
		r := sarif.NewReplacement(loc.editRegion(e.Path, e.Start, e.End))
		if e.New != "" {
			r.WithInsertedContent(sarif.NewArtifactContent().WithText(e.New))
		}
		c.WithReplacement(r)
	}
	return out
}

// newInvocation reports whether the analysis was complete, and carries the diagnostics
// about the inputs as notifications rather than as fake results or a second run.
func newInvocation(diags source.Diagnostics, loc locator) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccess(!diags.HasErrors())
	for _, d := range diags {
		n := sarif.NewNotification().WithLevel(notificationLevel(d.Severity)).WithTextMessage(diagnosticText(d))
		if d.Subject != nil {
			n.AddLocation(loc.location(*d.Subject))
		}
		inv.AddTToolExecutionNotification(n)
	}
	return inv
}

func notificationLevel(s source.Severity) string {
	if s == source.Warning {
		return "warning"
	}
	return "error"
}

func diagnosticText(d source.Diagnostic) string {
	if d.Detail == "" {
		return d.Summary
	}
	return d.Summary + ": " + d.Detail
}

// artifactLocation returns the location of the file at path: relative paths (the normal
// case, relative to the scanned root) keep their form under SourceRoot; a path outside the
// root that the scanner left absolute becomes a file URI.
func artifactLocation(path string) *sarif.ArtifactLocation {
	if abs, ok := absoluteFileURI(path); ok {
		return sarif.NewSimpleArtifactLocation(abs)
	}
	return sarif.NewSimpleArtifactLocation((&url.URL{Path: path}).EscapedPath()).WithUriBaseId(SourceRoot)
}

var windowsDrive = lazyregexp.New(`^[A-Za-z]:/`)

func absoluteFileURI(path string) (string, bool) {
	switch {
	case strings.HasPrefix(path, "/"):
	case windowsDrive.MatchString(path):
		path = "/" + path
	default:
		return "", false
	}
	return (&url.URL{Scheme: "file", Path: path}).String(), true
}
