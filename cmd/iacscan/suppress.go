package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/baseline"
	"github.com/iacscan/iacscan/config"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
)

// governanceFlags are the scan flags about configuration, ignores and baselines.
type governanceFlags struct {
	config            string
	noIgnores         bool
	requireReason     bool
	includeSuppressed bool
	baseline          string
	writeBaseline     string
	profile           string
	allowParseErrors  bool

	// root is what baseline paths are relative to, set by govern.
	root string
}

func (g *governanceFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.config, "config", "", "read the configuration from `FILE` (default: .iacscan.yaml found from the first PATH upward)")
	f.BoolVar(&g.noIgnores, "no-ignores", false, "honour no inline or Metadata ignore: every finding is reported")
	f.BoolVar(&g.requireReason, "require-reason", false, "refuse ignores that give no reason (they are honoured with a warning otherwise)")
	f.BoolVar(&g.includeSuppressed, "include-suppressed", false, "list suppressed and baselined findings in the JSON and SARIF reports")
	f.StringVar(&g.baseline, "baseline", "", "report only the findings not recorded in the baseline `FILE`")
	f.StringVar(&g.writeBaseline, "write-baseline", "", "record the current findings in the baseline `FILE` (paths relative to the configuration's directory, else the repository root); exits 0 whatever the findings")
	f.BoolVar(&g.allowParseErrors, "allow-parse-errors", false, "let a run in which some files cannot be read or parsed pass on the findings of the others (exit code 2 otherwise)")
	f.StringVar(&g.profile, "profile", "", "apply the named `PROFILE`: baseline (the scanned files set up the account: also report the trail, GuardDuty detector or Config recorder it lacks)")
}

// govern applies the configuration file and the flags above to opts, and the
// configuration's fail-on to failOn unless --fail-on was given.
func (a *app) govern(cmd *cobra.Command, paths []string, g *governanceFlags, opts *scan.Options, failOn *rules.Severity) error {
	opts.NoIgnores, opts.RequireReason = g.noIgnores, g.requireReason
	cfg, err := a.loadConfig(g.config, paths)
	opts.Rules, opts.RuleDiagnostics = a.catalog, a.ruleDiags // with the custom rules it loaded
	if err != nil {
		return err
	}
	if g.root, err = baselineRoot(cfg, paths); err != nil {
		return err
	}
	if g.baseline != "" {
		b, err := readBaseline(g.baseline, g.root)
		if err != nil {
			return err
		}
		opts.Baseline = b
	}
	if cfg == nil {
		opts.Rules, err = rules.ApplyProfile(opts.Rules, g.profile)
		return err
	}
	g.allowParseErrors = g.allowParseErrors || cfg.AllowParseErrors
	if opts.Rules, err = cfg.Catalog(opts.Rules); err != nil {
		return err
	}
	if opts.Rules, err = rules.ApplyProfile(opts.Rules, cmp.Or(g.profile, cfg.Profile)); err != nil {
		return err
	}
	enable, disable := cfg.Selection(opts.Rules)
	if len(opts.Enable) == 0 { // --rules names exactly the rules to run
		opts.Enable = enable
	}
	opts.Disable = append(disable, opts.Disable...)
	opts.ExcludePaths, opts.ExcludeRoot = cfg.ExcludePaths, cfg.Dir
	opts.ExcludeTags, opts.FixDisable = cfg.ExcludeTags, cfg.FixDisable
	opts.Budgets, opts.EvalRoot = cfg.Budgets, cfg.Dir
	if cfg.Severities != nil && !cmd.Flags().Changed("severity") {
		opts.Severities = cfg.Severities
	}
	if cfg.Gitignore != nil && !cmd.Flags().Changed("no-gitignore") {
		opts.NoGitignore = !*cfg.Gitignore
	}
	if cfg.FailOn != 0 && !cmd.Flags().Changed("fail-on") {
		*failOn = cfg.FailOn
	}
	return nil
}

// loadConfig reads the file --config names, else the one found from the first path
// upward; it returns nil when there is none.
func (a *app) loadConfig(name string, paths []string) (*config.Config, error) {
	if name == "" {
		start := "."
		if len(paths) > 0 {
			start = paths[0]
		}
		found, err := config.Find(start)
		if err != nil || found == "" {
			return nil, err
		}
		name = found
	}
	dir, err := config.RulesDir(name)
	if err != nil {
		return nil, err
	}
	a.addCustomRules(dir)
	cfg, err := config.Load(name, a.catalog)
	var errs config.Errors
	if errors.As(err, &errs) {
		return nil, fmt.Errorf("invalid configuration:\n%w", errs)
	}
	return cfg, err
}

func readBaseline(path, root string) (*baseline.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	return baseline.Read(f, root)
}

// baselineRoot is the directory baseline paths are relative to, so that a baseline
// matches whichever directory the scan runs from: the configuration file's directory,
// else the repository root (the nearest directory holding .git above the first path),
// else the working directory.
func baselineRoot(cfg *config.Config, paths []string) (string, error) {
	if cfg != nil {
		return filepath.Abs(cfg.Dir)
	}
	start := "."
	if len(paths) > 0 {
		start = paths[0]
	}
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return filepath.Abs(".")
		}
	}
}

// record writes the baseline if asked, then drops the suppressed findings from the result
// unless the reports are to list them. The baseline holds every finding that is reported
// or was baselined before, so that regenerating it never loses an accepted finding.
func (a *app) record(res *scan.Result, g *governanceFlags, quiet bool) error {
	if g.writeBaseline != "" {
		// What --severity hides is recorded too: the baseline accepts today's findings,
		// whatever a run shows of them.
		current := slices.Concat(res.Findings, res.Hidden)
		for _, s := range res.Suppressed {
			if s.Suppression.Baseline {
				current = append(current, s.Finding)
			}
		}
		var buf bytes.Buffer
		if err := baseline.Write(&buf, current, g.root); err != nil {
			return err
		}
		if err := os.WriteFile(g.writeBaseline, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		if !quiet {
			fmt.Fprintf(a.stderr, "iacscan: recorded %s in the baseline %s\n", pluralize(len(current), "finding"), g.writeBaseline)
		}
	}
	if !g.includeSuppressed {
		res.Suppressed = nil
	}
	return nil
}

func pluralize(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if last := noun[len(noun)-1]; last == 'x' || last == 's' {
		return fmt.Sprintf("%d %ses", n, noun) // "2 automatic fixes"
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
