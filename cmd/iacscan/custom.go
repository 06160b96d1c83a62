package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/config"
	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules/custom"
)

// addCustomRules adds the rules of dir to the catalog, once per run: the --rules-dir flag
// wins over the configuration's rules-dir. A rule file that does not load is left out,
// and its problems are kept for the report.
func (a *app) addCustomRules(dir string) {
	if dir == "" || a.customDir != "" {
		return
	}
	a.customDir = dir
	rs, diags := custom.Load(dir, a.catalog)
	a.catalog = append(a.catalog, rs...)
	a.ruleDiags = diags
}

// customRulesOf adds the custom rules of the configuration file that a scan starting at
// start would use (--config when given).
func (a *app) customRulesOf(configFile, start string) error {
	if configFile == "" {
		found, err := config.Find(start)
		if err != nil || found == "" {
			return err
		}
		configFile = found
	}
	dir, err := config.RulesDir(configFile)
	a.addCustomRules(dir)
	return err
}

// printRuleDiagnostics shows the problems of custom rule files on stderr.
func (a *app) printRuleDiagnostics() {
	for _, d := range a.ruleDiags {
		fmt.Fprintln(a.stderr, report.FormatDiagnostic(d))
	}
}

func (a *app) rulesTestCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "test DIR",
		Short: "Run the test cases of a directory of custom rules",
		Long: `Load the custom rules of DIR and run every .txtar test case below it: the input
sections are scanned with the directory's rules (default-off ones too), and the "want"
section (and "fixes" and "unresolved", when the case has them) must list exactly what
they report, one per line as "path:line:col: ID message". See docs/custom-rules.md.
Exit code 1 when a case fails, 2 when a rule file does not load.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			outcomes, diags, err := custom.Test(args[0], a.catalog)
			if err != nil {
				return err
			}
			for _, d := range diags {
				fmt.Fprintln(a.stderr, report.FormatDiagnostic(d))
			}
			if len(diags) > 0 {
				return &exitError{code: codeError, err: fmt.Errorf("%s: the rules do not load", args[0])}
			}
			failed := 0
			for _, o := range outcomes {
				if len(o.Failures) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "ok   %s\n", o.Path)
					continue
				}
				failed++
				fmt.Fprintf(cmd.OutOrStdout(), "FAIL %s\n", o.Path)
				for _, f := range o.Failures {
					fmt.Fprintf(cmd.OutOrStdout(), "  %s\n", strings.ReplaceAll(f, "\n", "\n    "))
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d passed, %d failed\n", len(outcomes)-failed, failed)
			if failed > 0 {
				return &exitError{code: codeFindings}
			}
			if len(outcomes) == 0 {
				return &exitError{code: codeError, err: fmt.Errorf("%s: no .txtar test case", args[0])}
			}
			return nil
		},
	}
}
