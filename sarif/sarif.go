// Package sarif writes a scan.Result as SARIF 2.1.0 for GitHub code scanning and other
// SARIF consumers. The log always has exactly one run (GitHub rejects several runs of one
// category), describes every rule that ran, and locates results with repository-relative
// URIs, full regions and line-independent fingerprints. go-sarif is an implementation
// detail: nothing of it leaks out of this package.
package sarif

import (
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

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
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// Write writes res as one indented SARIF 2.1.0 log.
func Write(w io.Writer, res *scan.Result, opts report.Options) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	log.AddRun(newRun(res, opts))
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote source text such as "<" verbatim
	return enc.Encode(log)
}

func newRun(res *scan.Result, opts report.Options) *sarif.Run {
	run := sarif.NewRun(sarif.Tool{Driver: newDriver(opts.Version)})
	run.WithColumnKind("utf16CodeUnits")
	run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
		// No uri: an absolute path would differ on every machine, and consumers such as
		// upload-sarif resolve relative URIs against the checkout themselves.
		SourceRoot: sarif.NewArtifactLocation().WithDescriptionText("The root of the scanned repository."),
	})
	described := map[string]bool{}
	describe := func(m *rules.Meta) {
		if !described[m.ID] {
			described[m.ID] = true
			run.Tool.Driver.AddRule(newRule(m))
		}
	}
	for _, r := range res.Rules {
		describe(&r.Meta)
	}
	loc := newLocator(res)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Rule == nil {
			continue // only rules.Run makes findings, and it always sets the rule
		}
		// A finding of a rule missing from res.Rules still needs its descriptor, or its
		// ruleIndex would point nowhere.
		describe(f.Rule)
		run.AddResult(newResult(f, loc))
	}
	addSuppressed(run, res, loc, describe)
	run.AddInvocations(newInvocation(res.Diagnostics, loc))
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

// newRule describes a rule with everything GitHub shows or filters on.
func newRule(m *rules.Meta) *sarif.ReportingDescriptor {
	level, score := m.Severity.SARIF()
	full := m.Description
	if full == "" {
		full = m.Title // GitHub requires a fullDescription
	}
	d := sarif.NewRule(m.ID).
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

func newResult(f *rules.Finding, loc locator) *sarif.Result {
	level, _ := f.Severity.SARIF()
	r := sarif.NewRuleResult(f.Rule.ID).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(f.Message)).
		WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint()})
	primary := loc.location(f.Range)
	if f.Resource.Address != "" {
		primary.WithLogicalLocations([]*sarif.LogicalLocation{
			sarif.NewLogicalLocation().WithFullyQualifiedName(f.Resource.Address).WithKind("resource"),
		})
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

var windowsDrive = regexp.MustCompile(`^[A-Za-z]:/`)

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
