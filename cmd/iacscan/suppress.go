package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

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
}

func (g *governanceFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.config, "config", "", "read the configuration from `FILE` (default: .iacscan.yaml found from the first PATH upward)")
	f.BoolVar(&g.noIgnores, "no-ignores", false, "honour no inline or Metadata ignore: every finding is reported")
	f.BoolVar(&g.requireReason, "require-reason", false, "refuse ignores that give no reason (they are honoured with a warning otherwise)")
	f.BoolVar(&g.includeSuppressed, "include-suppressed", false, "list suppressed and baselined findings in the JSON and SARIF reports")
	f.StringVar(&g.baseline, "baseline", "", "report only the findings not recorded in the baseline `FILE`")
	f.StringVar(&g.writeBaseline, "write-baseline", "", "record the current findings in the baseline `FILE`")
}

// govern applies the configuration file and the flags above to opts, and the
// configuration's fail-on to failOn unless --fail-on was given.
func (a *app) govern(cmd *cobra.Command, paths []string, g *governanceFlags, opts *scan.Options, failOn *rules.Severity) error {
	opts.NoIgnores, opts.RequireReason = g.noIgnores, g.requireReason
	if g.baseline != "" {
		b, err := readBaseline(g.baseline)
		if err != nil {
			return err
		}
		opts.Baseline = b
	}
	cfg, err := a.loadConfig(g.config, paths)
	if err != nil || cfg == nil {
		return err
	}
	if opts.Rules, err = cfg.Catalog(opts.Rules); err != nil {
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
	cfg, err := config.Load(name, a.catalog)
	var errs config.Errors
	if errors.As(err, &errs) {
		return nil, fmt.Errorf("invalid configuration:\n%w", errs)
	}
	return cfg, err
}

func readBaseline(path string) (*baseline.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	return baseline.Read(f)
}

// record writes the baseline if asked, then drops the suppressed findings from the result
// unless the reports are to list them. The baseline holds every finding that is reported
// or was baselined before, so that regenerating it never loses an accepted finding.
func (a *app) record(res *scan.Result, g *governanceFlags, quiet bool) error {
	if g.writeBaseline != "" {
		current := append([]rules.Finding(nil), res.Findings...)
		for _, s := range res.Suppressed {
			if s.Suppression.Baseline {
				current = append(current, s.Finding)
			}
		}
		var buf bytes.Buffer
		if err := baseline.Write(&buf, current); err != nil {
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
	return fmt.Sprintf("%d %ss", n, noun)
}
