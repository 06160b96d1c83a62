package scan

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/source"
)

// processed is the outcome of the process stage (DESIGN.md "Data flow"): the findings
// still reported, the suppressed ones with why, the unresolved checks still reported, and
// diagnostics about the ignores.
type processed struct {
	findings          []rules.Finding
	suppressed        []suppress.Suppressed
	unresolved        []rules.Unresolved
	diags             source.Diagnostics
	excludedResources int
	generated         map[string]generator // the generated inputs, by path
}

// process applies, in order, the inline ignores, the tag exclusions, the baseline, and
// fix.disable to the findings of the rules that ran (selected). The ignores and tag
// exclusions take unresolved checks out of the report as they take findings, and an
// ignore that covers an unresolved check is used: the value it silences may turn out bad.
func process(g *graph.Graph, inputs []parsers.Input, res rules.Results, selected []*rules.Rule, opts Options) processed {
	var (
		p   processed
		igs []*suppress.Ignore
	)
	if !opts.NoIgnores {
		igs = ignores(g, inputs)
	}
	resources := suppress.Index(g)
	asFindings, unresolved := unresolvedFindings(res.Unresolved, resources)
	findings, sup, diags := suppress.Apply(slices.Concat(res.Findings, asFindings), igs, suppress.Options{
		Now:           now(opts),
		RequireReason: opts.RequireReason,
		Catalog:       opts.Rules,
		Ran:           selected,
		Resources:     resources,
	})
	p.diags = diags
	findings, sup2, excluded := suppress.ExcludeTags(findings, g, opts.ExcludeTags)
	p.excludedResources = excluded
	for _, s := range slices.Concat(sup, sup2) {
		if !unresolved[keyOf(s.Finding)] {
			p.suppressed = append(p.suppressed, s)
		}
	}
	findings, p.unresolved = splitUnresolved(findings, res.Unresolved, unresolved)
	if opts.Baseline != nil {
		var known []rules.Finding
		findings, known = opts.Baseline.Filter(findings)
		for _, f := range known {
			p.suppressed = append(p.suppressed, suppress.Suppressed{Finding: f, Suppression: suppress.Suppression{
				Kind:     suppress.KindExternal,
				Reason:   "recorded in the baseline",
				Baseline: true,
			}})
		}
	}
	p.generated = generatedInputs(inputs, g)
	p.findings = markGenerated(disableFixes(findings, opts.FixDisable), p.generated, resources)
	return p
}

// unresolvedKey identifies an unresolved check: one per rule, resource and location. A
// rule never reports a finding where it records an unresolved check, as a value is either
// known or not, so the key also tells them apart among findings.
type unresolvedKey struct {
	rule     string
	resource graph.ID
	at       source.Range
}

func keyOf(f rules.Finding) unresolvedKey { return unresolvedKey{f.Rule.ID, f.Resource, f.Range} }

// unresolvedFindings returns each unresolved check as the finding it would be, so that
// ignores and exclusions apply to it as they would to the finding, and their keys.
func unresolvedFindings(us []rules.Unresolved, resources map[graph.ID]*graph.Resource) ([]rules.Finding, map[unresolvedKey]bool) {
	out := make([]rules.Finding, 0, len(us))
	keys := make(map[unresolvedKey]bool, len(us))
	for _, u := range us {
		f := rules.Finding{Rule: u.Rule, Resource: u.Resource, Kind: u.Kind, Range: u.Range}
		if r := resources[u.Resource]; r != nil {
			for _, call := range r.CalledFrom { // an ignore on the module call covers it
				f.Related = append(f.Related, rules.Related{Range: call, Message: "module called here"})
			}
		}
		out = append(out, f)
		keys[keyOf(f)] = true
	}
	return out, keys
}

// splitUnresolved separates from kept the findings standing for unresolved checks and
// returns the other findings and the unresolved checks kept, in their order.
func splitUnresolved(kept []rules.Finding, us []rules.Unresolved, unresolved map[unresolvedKey]bool) ([]rules.Finding, []rules.Unresolved) {
	var (
		findings []rules.Finding
		keep     = map[unresolvedKey]bool{}
	)
	for _, f := range kept {
		if unresolved[keyOf(f)] {
			keep[keyOf(f)] = true
		} else {
			findings = append(findings, f)
		}
	}
	var out []rules.Unresolved
	for _, u := range us {
		if keep[unresolvedKey{u.Rule.ID, u.Resource, u.Range}] {
			out = append(out, u)
		}
	}
	return findings, out
}

// count records the process stage's numbers in stats.
func (p processed) count(stats *Stats) {
	stats.ExcludedResources = p.excludedResources
	for _, s := range p.suppressed {
		if s.Suppression.Baseline {
			stats.Baselined++
		} else {
			stats.Suppressed++
		}
	}
}

func now(opts Options) time.Time {
	if opts.Now != nil {
		return opts.Now()
	}
	return time.Now()
}

// ignores collects the inline ignores of every input and the Metadata ignores of every
// resource.
func ignores(g *graph.Graph, inputs []parsers.Input) []*suppress.Ignore {
	byPath := map[string][]*graph.Resource{}
	for _, r := range g.Resources {
		byPath[r.ID.Path] = append(byPath[r.ID.Path], r)
	}
	var out []*suppress.Ignore
	for _, in := range inputs {
		out = append(out, suppress.Inline(in.File, in.Format, byPath[in.File.Path])...)
	}
	for _, r := range g.Resources {
		out = append(out, suppress.Metadata(r)...)
	}
	return out
}

// disableFixes turns the automatic fixes of the rules patterns name into suggestions:
// shown by --diff and in SARIF, never written by --fix.
func disableFixes(findings []rules.Finding, patterns []string) []rules.Finding {
	if len(patterns) == 0 {
		return findings
	}
	for i := range findings {
		f := &findings[i]
		if f.Fix == nil || f.Fix.Mode != rules.FixAuto || f.Rule == nil || !matchesAny(f.Rule, patterns) {
			continue
		}
		fix := *f.Fix // the rule's Fix may be shared; never change it in place
		fix.Mode = rules.FixSuggest
		f.Fix = &fix
	}
	return findings
}

func matchesAny(m *rules.Meta, patterns []string) bool {
	for _, p := range patterns {
		if m.Matches(p) {
			return true
		}
	}
	return false
}

// excludePaths drops the inputs that opts.ExcludePaths name and returns how many.
func excludePaths(inputs []parsers.Input, opts Options) ([]parsers.Input, int) {
	if len(opts.ExcludePaths) == 0 {
		return inputs, 0
	}
	kept := inputs[:0:0]
	for _, in := range inputs {
		if !excluded(relativeTo(opts.ExcludeRoot, in.File.Path), opts.ExcludePaths) {
			kept = append(kept, in)
		}
	}
	return kept, len(inputs) - len(kept)
}

// relativeTo returns the slash path of file (a display path) relative to root, or the
// display path itself when root is "" or file lies outside root.
func relativeTo(root, file string) string {
	if root == "" {
		return file
	}
	abs, err := filepath.Abs(filepath.FromSlash(file))
	if err != nil {
		return file
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return file
	}
	rel, err := filepath.Rel(absRoot, abs)
	if err != nil || !filepath.IsLocal(rel) {
		return file
	}
	return filepath.ToSlash(rel)
}

// excluded reports whether a pattern matches file or one of its directories. Patterns are
// doublestar globs: path.Match syntax, `**` spanning any number of directories, and
// `{a,b}` alternatives. A malformed pattern matches nothing.
func excluded(file string, patterns []string) bool {
	parts := strings.Split(file, "/")
	for _, p := range patterns {
		pat := strings.Trim(filepath.ToSlash(p), "/")
		for n := len(parts); n > 0; n-- { // the file, then each directory above it
			if ok, _ := doublestar.Match(pat, strings.Join(parts[:n], "/")); ok {
				return true
			}
		}
	}
	return false
}
