package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/sarif"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// writers are the report formats --format accepts.
var writers = map[string]report.Writer{
	"text":     report.Text,
	"json":     report.JSON,
	"sarif":    sarif.Write,
	"github":   report.GitHub,
	"markdown": report.Markdown,
	"junit":    report.JUnit,
	"gitlab":   report.GitLab, // GitLab SAST: gl-sast-report.json
	"csv":      report.CSV,
}

// scanFlags are the scan command's flags as given.
type scanFlags struct {
	formats         []string
	compliance      string // --compliance framework, or ""
	output          string
	failOn          severityFlag
	softFail        bool
	enable, disable []string
	preCommit       bool
	color           *choice
	quiet           bool
	severities      severitiesFlag // --severity: what the reports show
	compact         bool
	noGitignore     bool
	explain         bool
	githubOutput    string
	gov             governanceFlags
	eval            evaluationFlags
	terraform       terraformFlags
	fix             fixFlags
}

func (a *app) scanCommand() *cobra.Command {
	fl := &scanFlags{
		failOn: severityFlag{rules.Low},
		color:  newChoice("auto", "auto", "always", "never"),
	}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan files and directories (the default command; PATH defaults to .)",
		Example: `  iacscan                                  scan the current directory
  iacscan infra/ stacks/web.yaml           files and directories
  iacscan -f json -o report.json .         a JSON report in a file
  iacscan -f sarif=iacscan.sarif -f text   SARIF to a file and text to stdout
  iacscan --fail-on high .                 only high and critical findings fail
  iacscan --severity high+ --compact .     show only high and critical findings, briefly
  iacscan --rules 'AWS-EC2-*' .            only the security-group rules`,
		RunE: func(cmd *cobra.Command, args []string) error { return a.scan(cmd, args, fl) },
	}
	f := cmd.Flags()
	f.StringArrayVarP(&fl.formats, "format", "f", nil, "report `FORMAT`: "+strings.Join(formatNames(), ", ")+"; FORMAT=FILE writes that report to FILE (repeatable)")
	f.StringVarP(&fl.output, "output", "o", "", "write the report to `FILE` instead of stdout (the one --format without =FILE)")
	f.Var(&fl.failOn, "fail-on", "lowest severity of a finding that fails the run (exit code 1)")
	f.BoolVar(&fl.softFail, "soft-fail", false, "exit 0 even when findings fail the run (errors still exit 2)")
	f.StringSliceVar(&fl.enable, "rules", nil, "run only the rules these `PATTERNS` name: IDs, names, aliases or globs, comma-separated (repeatable)")
	f.StringSliceVar(&fl.disable, "skip-rules", nil, "skip the rules these `PATTERNS` name, as for --rules (repeatable)")
	f.BoolVar(&fl.preCommit, "pre-commit", false, "PATHs are files: scan their directories but report only on them")
	f.Var(&fl.severities, "severity", "show only the findings of these `SEVERITIES` in every report: a comma-separated list (critical,high: exactly those, as trivy's --severity) or a minimum (high+: high and critical); the others are counted as hidden and fail no run, whatever --fail-on says")
	f.BoolVar(&fl.compact, "compact", false, "text report without source excerpts, related places and remediation: one or two lines a finding")
	f.BoolVar(&fl.noGitignore, "no-gitignore", false, "also scan the files git ignores (by default, the patterns of .gitignore files and .git/info/exclude apply in a git repository; files named on the command line are scanned anyway)")
	f.Var(fl.color, "color", "colour the text report (auto: when stdout is a terminal and NO_COLOR is unset)")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "hide the messages on stderr: the progress display, the summary line (printed there when no text report is on stdout), the reports written to files, what --fix and --write-baseline did; diagnostics, warnings and errors still show")
	f.StringVar(&fl.githubOutput, "github-output", "", "append findings=N (at or above --fail-on) and the count of each severity (critical=N, high=N, medium=N, low=N) to `FILE`, as GitHub Actions' $GITHUB_OUTPUT reads them")
	f.BoolVarP(&fl.explain, "explain-values", "v", false, "show under each finding how its value was computed (the variable, parameter or file it came from and every step it passed through), and list the checks skipped because a value is known only at deploy time")
	registerCompliance(cmd, &fl.compliance)
	fl.eval.register(cmd)
	fl.terraform.register(cmd)
	fl.gov.register(cmd)
	fl.fix.register(cmd)
	return cmd
}

func (a *app) scan(cmd *cobra.Command, args []string, fl *scanFlags) error {
	outputs, err := parseOutputs(fl.formats, fl.output)
	if err == nil && fl.compliance != "" {
		outputs, err = complianceOutputs(fl.compliance, outputs, len(fl.formats) > 0 || fl.output != "")
	}
	if err != nil {
		return usageError(cmd, err)
	}
	if fl.fix.fix && fl.fix.diff {
		return usageError(cmd, errFixAndDiff)
	}
	if fl.preCommit && len(args) == 0 {
		return nil // pre-commit had no file for the hook
	}
	paths, opts, err := a.scanOptions(args, fl)
	if err != nil {
		return err
	}
	if err := a.govern(cmd, paths, &fl.gov, &opts, &fl.failOn.Severity); err != nil {
		return err
	}
	opts.NoFixEdits = !slices.ContainsFunc(outputs, func(o output) bool { return showsFixEdits(o.format) })
	var endProgress func()
	opts.Progress, endProgress = a.startProgress(fl.quiet)
	res, err := scan.Run(cmd.Context(), paths, opts)
	endProgress() // before anything else is printed on stderr
	if err != nil {
		return err
	}
	if !a.reportShowsDiagnostics(outputs) {
		for _, d := range res.Diagnostics {
			fmt.Fprintln(a.stderr, report.FormatDiagnostic(d))
		}
	}
	if res, err = a.fixes(cmd.Context(), res, &fl.fix, fl.quiet); err != nil {
		return err
	}
	v := verdictOptions{failOn: fl.failOn.Severity, softFail: fl.softFail, allowParseErrors: fl.gov.allowParseErrors}
	if fl.fix.diff {
		return verdict(res, v)
	}
	if err := a.record(res, &fl.gov, fl.quiet); err != nil {
		return err
	}
	color := useColor(fl.color.value, a.isTerminal(a.stdout), a.getenv("NO_COLOR"), a.getenv("TERM"))
	if err := a.writeReports(res, outputs, report.Options{Color: color, ExplainValues: fl.explain, Compact: fl.compact, Finished: time.Now()}, fl.quiet); err != nil {
		return err
	}
	if fl.compliance != "" {
		if err := a.printCompliance(fl.compliance, res); err != nil {
			return err
		}
	}
	a.summarize(res, outputs, fl.quiet)
	if fl.githubOutput != "" {
		if err := writeGitHubOutput(fl.githubOutput, res, fl.failOn.Severity); err != nil {
			return err
		}
	}
	// Recording a baseline accepts today's findings: they do not fail the run that
	// records them. Inputs that could not be read still do.
	v.softFail = v.softFail || fl.gov.writeBaseline != ""
	return verdict(res, v)
}

// scanOptions returns the paths to scan and the engine's options. With --pre-commit the
// arguments are files: their directories are scanned, so that references between files
// resolve, and only the files themselves are reported on.
func (a *app) scanOptions(args []string, fl *scanFlags) ([]string, scan.Options, error) {
	opts := scan.Options{Rules: a.catalog, Enable: patterns(fl.enable), Disable: patterns(fl.disable),
		Severities: fl.severities.list, NoGitignore: fl.noGitignore, Fixing: fl.fix.fix || fl.fix.diff}
	parse, err := fl.eval.options(a.getenv)
	if err != nil {
		return nil, opts, err
	}
	if parse.Terraform, err = fl.terraform.options(a.getenv); err != nil {
		return nil, opts, err
	}
	opts.Parse = parse
	switch {
	case fl.preCommit:
		opts.ReportOnly = true
	case len(args) == 0:
		return []string{"."}, opts, nil
	}
	return args, opts, nil
}

// verdictOptions are what decides the exit code besides the result.
type verdictOptions struct {
	failOn           rules.Severity
	softFail         bool // findings never fail the run
	allowParseErrors bool // inputs that cannot be read or parsed do not fail the run
}

// verdict turns the result into the exit code, after every report was written. It fails
// closed: 2 when an input could not be read or parsed (a file hiding a public bucket must
// not pass the gate by not parsing) unless that is allowed, and always when there were
// inputs and none could be parsed; 1 when a finding reaches the threshold.
func verdict(res *scan.Result, v verdictOptions) error {
	if res.Stats.Files > 0 && res.Stats.FilesFailed == res.Stats.Files {
		return &exitError{code: codeError, err: errors.New("no input could be parsed")}
	}
	if n := inputErrors(res.Diagnostics); n > 0 && !v.allowParseErrors {
		return &exitError{code: codeError,
			err:  fmt.Errorf("%s could not be read or parsed (errors above); the reports hold the findings of the others", pluralize(n, "input")),
			hint: "Fix the inputs, exclude them (exclude-paths), or pass --allow-parse-errors to let the others decide."}
	}
	if !v.softFail && res.Failing(v.failOn) > 0 {
		return &exitError{code: codeFindings}
	}
	return nil
}

// inputErrors counts the inputs with an error diagnostic: files that did not parse (by
// their path) and problems reading the inputs (errors without a position). An internal
// error in a rule counts too: its findings are missing from the report.
func inputErrors(diags source.Diagnostics) int {
	paths, n := map[string]bool{}, 0
	for _, d := range diags {
		switch {
		case d.Severity != source.Error:
		case d.Subject == nil:
			n++
		case !paths[d.Subject.Path]:
			paths[d.Subject.Path] = true
			n++
		}
	}
	return n
}

// severityFlag is --fail-on: a severity, parsed with the other flags.
type severityFlag struct{ rules.Severity }

func (s *severityFlag) Type() string { return "critical|high|medium|low" }

func (s *severityFlag) Set(name string) (err error) {
	s.Severity, err = rules.ParseSeverity(name)
	return err
}

// severitiesFlag is --severity, parsed with the other flags (rules.ParseSeverities).
type severitiesFlag struct {
	spec string
	list []rules.Severity
}

func (s *severitiesFlag) String() string { return s.spec }
func (s *severitiesFlag) Type() string   { return "SEVERITIES" }

func (s *severitiesFlag) Set(spec string) (err error) {
	s.list, err = rules.ParseSeverities(spec)
	s.spec = spec
	return err
}

// output is one report to write: a format and a file, "" for stdout.
type output struct{ format, path string }

// parseOutputs reads the --format and --output flags: "FORMAT" or "FORMAT=FILE" each, at
// most one report on stdout, and --output naming the file of the one without =FILE.
func parseOutputs(formats []string, outFile string) ([]output, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var (
		outs   []output
		stdout []int // indexes of the outputs without a file
		files  = map[string]bool{}
	)
	for _, spec := range formats {
		name, path, hasPath := strings.Cut(spec, "=")
		if _, ok := writers[name]; !ok {
			return nil, fmt.Errorf("unknown format %q (valid: %s)", name, strings.Join(formatNames(), ", "))
		}
		switch {
		case hasPath && path == "":
			return nil, fmt.Errorf("--format %s: no file after =", spec)
		case !hasPath:
			stdout = append(stdout, len(outs))
		}
		outs = append(outs, output{format: name, path: path})
	}
	if outFile != "" {
		if len(stdout) != 1 {
			return nil, fmt.Errorf("--output needs exactly one --format without =FILE, got %d", len(stdout))
		}
		outs[stdout[0]].path = outFile
		stdout = nil
	}
	if len(stdout) > 1 {
		return nil, errors.New("only one report can go to stdout: write the others with --format FORMAT=FILE")
	}
	for _, o := range outs {
		if o.path != "" && files[filepath.Clean(o.path)] {
			return nil, fmt.Errorf("two reports would be written to %s", o.path)
		}
		files[filepath.Clean(o.path)] = true
	}
	return outs, nil
}

func formatNames() []string {
	names := make([]string, 0, len(writers))
	for name := range writers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// patterns drops blank entries, so that an empty --rules value or a trailing comma is not
// a pattern that fails to match any rule.
func patterns(list []string) []string {
	var out []string
	for _, p := range list {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// useColor decides whether the report on stdout is coloured: always, never, or (auto)
// when stdout is a terminal that is not dumb and NO_COLOR is unset or empty.
func useColor(mode string, tty bool, noColor, term string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return tty && noColor == "" && term != "dumb"
}

// showsFixEdits says whether a report in format carries the fixes' edits or counts them.
func showsFixEdits(format string) bool { return format != "text" && format != "github" }

// writeReports renders every report before writing any, so that a failing writer leaves
// no partial output behind. base holds the settings they share; only stdout gets colour.
func (a *app) writeReports(res *scan.Result, outs []output, base report.Options, quiet bool) error {
	rendered := make([]*spool, len(outs))
	for i := range outs {
		rendered[i] = &spool{}
		defer rendered[i].Close()
	}
	for i, o := range outs {
		if showsFixEdits(o.format) && o.format != "sarif" {
			res.PlanFixes() // SARIF plans the fixes of the results it keeps
		}
		opts := base
		opts.Color, opts.Version = base.Color && o.path == "", buildVersion()
		if err := writers[o.format](rendered[i], res, opts); err != nil {
			return fmt.Errorf("%s report: %w", o.format, err)
		}
	}
	for i, o := range outs {
		if o.path == "" {
			if err := rendered[i].copyTo(a.stdout); err != nil {
				return fmt.Errorf("%s report: %w", o.format, err)
			}
			continue
		}
		if err := writeFile(o.path, rendered[i]); err != nil {
			return fmt.Errorf("%s report: %w", o.format, err)
		}
		if !quiet {
			fmt.Fprintf(a.stderr, "iacscan: wrote the %s report to %s\n", o.format, o.path)
		}
	}
	return nil
}

// reportShowsDiagnostics reports whether the diagnostics reach the user's terminal in
// the text report on stdout: then printing them on stderr too would show each twice.
// When stdout is a pipe or a file, or carries JSON or SARIF, stderr keeps them.
func (a *app) reportShowsDiagnostics(outs []output) bool {
	return slices.Contains(outs, output{format: "text"}) && a.isTerminal(a.stdout)
}

// summarize prints the one-line summary on stderr, unless quiet or the text report on
// stdout already ends with it. Finding no input at all is worth a warning even when quiet.
func (a *app) summarize(res *scan.Result, outs []output, quiet bool) {
	if res.Stats.Files == 0 {
		fmt.Fprintln(a.stderr, "iacscan: warning: no Terraform, CloudFormation or serverless files found")
		return
	}
	if quiet || slices.Contains(outs, output{format: "text"}) {
		return
	}
	fmt.Fprintf(a.stderr, "iacscan: %s\n", report.Summary(res))
}
