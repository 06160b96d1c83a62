package scan

import (
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/source"
)

// processed is the outcome of the process stage (DESIGN.md "Data flow"): the findings
// still reported, the suppressed ones with why, and diagnostics about the ignores.
type processed struct {
	findings          []rules.Finding
	suppressed        []suppress.Suppressed
	diags             source.Diagnostics
	excludedResources int
}

// process applies, in order, the inline ignores, the tag exclusions, the baseline, and
// fix.disable to the findings of the rules that ran.
func process(g *graph.Graph, inputs []parsers.Input, findings []rules.Finding, ran []*rules.Rule, opts Options) processed {
	var p processed
	if !opts.NoIgnores {
		var sup []suppress.Suppressed
		findings, sup, p.diags = suppress.Apply(findings, ignores(g, inputs), suppress.Options{
			Now:           now(opts),
			RequireReason: opts.RequireReason,
			Catalog:       opts.Rules,
			Ran:           ran,
			Resources:     suppress.Index(g),
		})
		p.suppressed = append(p.suppressed, sup...)
	}
	findings, sup, excluded := suppress.ExcludeTags(findings, g, opts.ExcludeTags)
	p.suppressed = append(p.suppressed, sup...)
	p.excludedResources = excluded
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
	p.findings = disableFixes(findings, opts.FixDisable)
	return p
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
// path.Match globs in which a `**` element spans any number of directories.
func excluded(file string, patterns []string) bool {
	parts := strings.Split(file, "/")
	for _, p := range patterns {
		pat := strings.Split(strings.Trim(filepath.ToSlash(p), "/"), "/")
		for n := len(parts); n > 0; n-- { // the file, then each directory above it
			if globMatch(pat, parts[:n]) {
				return true
			}
		}
	}
	return false
}

func globMatch(pat, parts []string) bool {
	if len(pat) == 0 {
		return len(parts) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(parts); i++ {
			if globMatch(pat[1:], parts[i:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], parts[0])
	return ok && globMatch(pat[1:], parts[1:])
}

// suppressedAbout keeps the suppressed findings in files, as onlyAbout does for findings.
func suppressedAbout(files []string, sup []suppress.Suppressed) []suppress.Suppressed {
	keep := map[string]bool{}
	for _, f := range files {
		keep[displayPath(f)] = true
	}
	var out []suppress.Suppressed
	for _, s := range sup {
		if keep[s.Range.Path] {
			out = append(out, s)
		}
	}
	return out
}
