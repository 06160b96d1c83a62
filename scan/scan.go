// Package scan is the engine as a library: discover the inputs under some paths, parse them
// into one graph, run the selected rules and return findings, diagnostics and statistics.
// cmd/iacscan, the tests and any embedder call Run.
package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/iacscan/iacscan/baseline"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/source"
)

// Options configure a scan.
type Options struct {
	// Rules is the catalog to choose from (normally builtin.All()).
	Rules []*rules.Rule
	// Enable and Disable select rules by ID, name, alias or glob (rules.Select).
	Enable, Disable []string
	// ReportOnly, when set, makes the paths given to Run files whose directories are
	// scanned (not recursively), so that resources spread over several files link up, while
	// only findings and diagnostics about the files themselves are reported. It is how the
	// pre-commit hook scans the files of a commit.
	ReportOnly bool
	// Parse are the deploy-time inputs files are evaluated with (parameter overrides,
	// serverless options).
	Parse parsers.Options

	// The process stage (docs/suppressions.md, docs/configuration.md).

	// NoIgnores disables inline and CloudFormation Metadata ignores.
	NoIgnores bool
	// RequireReason refuses ignores that give no reason (they are honoured with a warning
	// otherwise).
	RequireReason bool
	// Now is the clock ignore expiry dates are checked against; nil means time.Now.
	Now func() time.Time
	// ExcludePaths are globs of files not to scan, relative to ExcludeRoot (the working
	// directory when ""); `**` spans directories and a directory excludes what it holds.
	ExcludePaths []string
	ExcludeRoot  string
	// ExcludeTags takes the resources carrying one of these tags out of the report.
	ExcludeTags []suppress.Tag
	// NoGitignore also scans the files git ignores (DiscoverOptions.NoGitignore).
	NoGitignore bool
	// Progress, when set, counts the scan's work as it goes, for a progress display.
	Progress *Progress
	// Severities, when set, are the severities reported (--severity): findings and
	// unresolved checks of the others are left out of the result, so that they are in no
	// report and fail no run; Stats.HiddenBySeverity counts the findings.
	Severities []rules.Severity
	// Baseline, when set, takes the findings it records out of the report.
	Baseline *baseline.Baseline
	// FixDisable names rules (IDs, aliases, globs) whose automatic fixes become
	// suggestions: shown by --diff and in SARIF, never written by --fix.
	FixDisable []string
	// RuleDiagnostics are problems found in the rules before the scan (a custom rule file
	// that does not load); reports show them with the inputs' diagnostics.
	RuleDiagnostics source.Diagnostics

	// Fixing says the caller runs Fix on the result (--fix, --diff): a large, partitioned
	// scan then keeps its findings' fix changes, which it otherwise lets go of once it has
	// planned them, as they hold the graph in memory (Fix then scans again to have them).
	Fixing bool
	// NoFixEdits says that no report will show or count the fixes' edits (the text and
	// GitHub reports): a partitioned scan then lets go of its findings' fix changes
	// without planning them, which is a third of its work, and PlanFixes on the result
	// plans nothing. Unset, it plans them unit by unit, as PlanFixes would at the end.
	NoFixEdits bool

	// Budgets bound the scan of hostile input (file size, evaluation); zero fields take
	// the defaults (budget.Default).
	Budgets budget.Limits
	// EvalRoot, when it holds the scanned paths, is the directory evaluation may read
	// files under (the repository root); otherwise each scanned directory (or a scanned
	// file's directory) is. Parse.Terraform.Root, Parse.Serverless.Files and
	// Parse.CloudFormation.Files, when set, replace the tree Run builds.
	EvalRoot string
}

// Result is everything a report needs.
type Result struct {
	Findings    []rules.Finding
	Diagnostics source.Diagnostics
	Rules       []*rules.Rule // the rules that ran, in catalog order
	// Files are the inputs that were parsed, by path, with their content: all of them, but
	// in a partitioned scan (a large tree, partition.go) only those the findings,
	// suppressed findings, unresolved checks and diagnostics point into when Fixing, and
	// otherwise none (File reads them again); Stats.Files counts them all.
	Files []*source.File
	// Suppressed are the findings ignored inline, excluded by tag or in the baseline, with
	// why; reports count them and list them on request (--include-suppressed).
	Suppressed []suppress.Suppressed
	// Unresolved are the checks skipped because a value is not statically known, less
	// those the ignores and exclusions take out of the report as they take out findings.
	Unresolved []rules.Unresolved
	// Hidden and HiddenUnresolved are the findings and unresolved checks of the
	// severities Options.Severities leaves out: in no report and failing no run, but a
	// compliance view must not call a control passed for want of them.
	Hidden           []rules.Finding
	HiddenUnresolved []rules.Unresolved
	Stats            Stats

	// What the scan ran on, so that the fix engine can re-run it on patched content.
	inputs   []parsers.Input
	selected []*rules.Rule
	paths    []string
	opts     Options
	planned  bool // PlanFixes ran
	// plannedOne marks the findings PlanFixesOf planned, while some are not.
	plannedOne []bool
	// generated are the inputs a tool wrote (cdk.out/, plans), by path: --fix leaves them.
	generated map[string]generator
	// wide are the graph-wide resources of a unit of a partitioned scan (partition.go),
	// until the merge takes them.
	wide []*graph.Resource
	// released are the inputs of a partitioned scan whose content it let go, as no report
	// points into them (release.go); pinned those whose content is not on disk (the fix
	// engine's patched files), which it keeps.
	released map[string]held
	pinned   map[string]bool
	// reread is the file File read again last.
	reread *reread
	// compact marks a partitioned scan whose findings' fixes were planned unit by unit and
	// their changes let go (merger.compact): Fix scans again to have them.
	compact bool
}

// Stats summarise a scan.
type Stats struct {
	Files     int `json:"files"`
	Resources int `json:"resources"` // declared in the files: generated ones are not counted
	// Kinds counts the resources of each canonical kind: a compliance view calls a control
	// not applicable when the scan holds nothing it is about.
	Kinds    map[graph.Kind]int `json:"-"`
	ByFormat map[string]int     `json:"files_by_format"`
	Duration time.Duration      `json:"-"`
	// FilesFailed counts inputs that produced an error diagnostic.
	FilesFailed int `json:"files_failed"`
	// Suppressed counts the findings ignored inline or excluded by tag, Baselined those in
	// the baseline; ExcludedFiles and ExcludedResources what configuration took out.
	Suppressed        int `json:"suppressed"`
	Baselined         int `json:"baselined"`
	ExcludedFiles     int `json:"excluded_files"`
	ExcludedResources int `json:"excluded_resources"`
	// Unresolved counts Result.Unresolved.
	Unresolved int `json:"unresolved"`
	// HiddenBySeverity counts the findings of severities Options.Severities leaves out.
	HiddenBySeverity int `json:"hidden_by_severity"`
}

// File returns the scanned file at path, or nil. A file whose content the scan let go of
// (a partitioned scan's, release.go) is read again, and given only when it is still the
// content scanned: reports show what was scanned or nothing.
func (r *Result) File(path string) *source.File {
	for _, f := range r.Files {
		if f.Path == path {
			return f
		}
	}
	h, ok := r.released[path]
	if !ok {
		return nil
	}
	if r.reread == nil {
		r.reread = &reread{}
	}
	return r.reread.file(path, h, r.opts.Budgets.WithDefaults().FileBytes)
}

// Failing counts the findings at or above threshold.
func (r *Result) Failing(threshold rules.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= threshold {
			n++
		}
	}
	return n
}

// Run scans paths (files or directories). Problems with the inputs are diagnostics in the
// result; the error is for problems with the run itself (bad rule selection, no such path).
// Fixes are planned into byte edits only on demand (Result.PlanFixes); nothing is written.
func Run(ctx context.Context, paths []string, opts Options) (*Result, error) {
	start := time.Now()
	selected, err := rules.Select(opts.Rules, opts.Enable, opts.Disable)
	if err != nil {
		return nil, err
	}
	scanPaths, recursive := paths, true
	if opts.ReportOnly {
		if scanPaths, err = fileDirs(paths); err != nil {
			return nil, err
		}
		recursive = false
	}
	opts.Parse.Progress = opts.Progress.parsed()
	lim := opts.Budgets.WithDefaults()
	opts.Parse.Terraform.Budget, opts.Parse.CloudFormation.Budget, opts.Parse.Serverless.Budget = lim, lim, lim
	if opts.Parse.Terraform.Root == nil || opts.Parse.Serverless.Files == nil || opts.Parse.CloudFormation.Files == nil {
		fsys := evaluationFS(scanPaths, opts.EvalRoot, lim.FileBytes)
		if opts.Parse.Terraform.Root == nil {
			opts.Parse.Terraform.Root = fsys
		}
		if opts.Parse.Serverless.Files == nil {
			opts.Parse.Serverless.Files = fsys
		}
		if opts.Parse.CloudFormation.Files == nil {
			opts.Parse.CloudFormation.Files = fsys // rain modules
		}
	}
	// A scan that may be partitioned lets go of the content of what it reads past the
	// size at which it is: the units read their inputs again, one unit at a time.
	var releaseAt int64
	if partitionable(selected, opts) {
		releaseAt = partitionBytes
	}
	inputs, released, diags, err := discover(ctx, scanPaths, DiscoverOptions{Recursive: recursive, MaxBytes: lim.FileBytes,
		NoGitignore: opts.NoGitignore, Files: reportOnlyFiles(paths, opts), Progress: opts.Progress}, releaseAt)
	if err != nil {
		return nil, err
	}
	inputs, excludedFiles := excludePaths(inputs, opts)
	res := analyze(inputs, released, nil, selected, paths, opts)
	res.Diagnostics = slices.Concat(opts.RuleDiagnostics, diags, res.Diagnostics)
	res.Stats.ExcludedFiles = excludedFiles
	res.Stats.Duration = time.Since(start)
	return res, nil
}

// analyze parses inputs, runs the rules and processes suppressions. The fix engine calls
// it again on patched content to verify its edits. released are the inputs whose content
// is not held (discover, release.go), by path; analyze may change it. A large scan made
// of independent units (partition) analyses them one at a time, holding one unit's graph
// and content at a time; it keeps the content of the pinned inputs, which is not what is
// on disk. Any other scan reads the released inputs again first.
func analyze(inputs []parsers.Input, released map[string]held, pinned map[string]bool, selected []*rules.Rule, paths []string, opts Options) *Result {
	var diags source.Diagnostics
	if units, shapes := partition(inputs, released, selected, opts); len(units) > 1 {
		var res *Result
		if res, diags = analyzeUnits(inputs, released, shapes, units, pinned, selected, paths, opts); res != nil {
			res.pinned = pinned
			return res
		}
	}
	diags = append(diags, restoreAll(inputs, released, opts.Budgets.WithDefaults().FileBytes)...)
	res := analyzeOne(inputs, selected, paths, opts)
	if len(diags) > 0 {
		res.Diagnostics = append(diags, res.Diagnostics...)
		res.Stats.FilesFailed = filesFailed(inputs, res.Diagnostics)
	}
	res.pinned = pinned
	return res
}

// analyzeOne analyses inputs as one graph.
func analyzeOne(inputs []parsers.Input, selected []*rules.Rule, paths []string, opts Options) *Result {
	return analyzeWith(inputs, nil, selected, paths, opts)
}

// analyzeWith analyses inputs as one graph to which the resources borrowed from other
// units of a partitioned scan are added (partition.go): rules see them, statistics do not
// count them, and the result holds in wide the graph-wide resources of the inputs' own.
func analyzeWith(inputs []parsers.Input, borrowed []*graph.Resource, selected []*rules.Rule, paths []string, opts Options) *Result {
	own, diags := parsers.LoadWith(inputs, opts.Parse)
	g := own
	if len(borrowed) > 0 {
		g = graph.New(slices.Concat(own.Resources, borrowed))
	}
	ran, ruleDiags := rules.RunAll(g, selected)
	diags = append(diags, ruleDiags...)
	proc := process(g, inputs, ran, selected, opts)
	findings, diags := proc.findings, append(diags, proc.diags...)
	if opts.ReportOnly {
		in := newAbout(paths)
		findings = keep(in, findings, func(f rules.Finding) string { return f.Range.Path })
		proc.suppressed = keep(in, proc.suppressed, func(s suppress.Suppressed) string { return s.Range.Path })
		proc.unresolved = keep(in, proc.unresolved, func(u rules.Unresolved) string { return u.Range.Path })
		diags = keep(in, diags, func(d source.Diagnostic) string {
			if d.Subject == nil {
				return ""
			}
			return d.Subject.Path
		})
	}
	var hid hidden
	findings, proc.unresolved, hid = showSeverities(findings, proc.unresolved, opts.Severities)

	res := &Result{
		Findings:    findings,
		Diagnostics: diags,
		Rules:       selected,
		Suppressed:  proc.suppressed,
		Unresolved:  proc.unresolved,
		Stats:       Stats{Files: len(inputs), Resources: countResources(own), Kinds: countKinds(own), ByFormat: map[string]int{}, Unresolved: len(proc.unresolved)},
		inputs:      inputs,
		selected:    selected,
		paths:       paths,
		opts:        opts,
		generated:   proc.generated,
		wide:        own.OfKind(graphWideKinds...),
	}
	proc.count(&res.Stats)
	res.Hidden, res.HiddenUnresolved = hid.findings, hid.unresolved
	res.Stats.HiddenBySeverity = len(hid.findings)
	for _, in := range inputs {
		res.Files = append(res.Files, in.File)
		res.Stats.ByFormat[in.Format.String()]++
	}
	res.Stats.FilesFailed = filesFailed(inputs, diags)
	return res
}

// filesFailed counts the inputs with an error diagnostic.
func filesFailed(inputs []parsers.Input, diags source.Diagnostics) int {
	failed := map[string]bool{}
	for _, d := range diags {
		if d.Severity == source.Error && d.Subject != nil {
			failed[d.Subject.Path] = true
		}
	}
	n := 0
	for _, in := range inputs {
		if failed[in.File.Path] {
			n++
		}
	}
	return n
}

func fileDirs(files []string) ([]string, error) {
	var dirs []string
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		if info.IsDir() {
			return nil, fmt.Errorf("%s is a directory, and --pre-commit (ReportOnly) takes files", f)
		}
		if dir := filepath.Dir(f); !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	return dirs, nil
}

// about is the set of files ReportOnly reports on (--pre-commit: the committed files).
// What is about another file is left out (a broken file the commit does not touch is not
// the committer's problem); a diagnostic about no file is kept.
type about map[string]bool

func newAbout(files []string) about {
	keep := about{"": true} // the path of what is about no file
	for _, f := range files {
		keep[displayPath(f)] = true
	}
	return keep
}

// keep returns the items of xs whose path is among the files.
func keep[T any](in about, xs []T, path func(T) string) []T {
	var out []T
	for _, x := range xs {
		if in[path(x)] {
			out = append(out, x)
		}
	}
	return out
}

// countKinds counts the graph's resources by kind.
func countKinds(g *graph.Graph) map[graph.Kind]int {
	m := map[graph.Kind]int{}
	for _, r := range g.Resources {
		m[r.Kind]++
	}
	return m
}

// countResources counts what users call resources: Terraform provider configurations, a
// serverless.yml's own settings and the resources its framework generates are in the
// graph for the rules that read them, but are not resources the files declare.
func countResources(g *graph.Graph) int {
	n := 0
	for _, r := range g.Resources {
		if !r.Kind.IsConfiguration() && !r.Generated {
			n++
		}
	}
	return n
}
