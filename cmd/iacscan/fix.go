package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/scan"
)

// fixFlags are --fix and --diff.
type fixFlags struct{ fix, diff bool }

func (fl *fixFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&fl.fix, "fix", false, "write the automatic fixes (verified: each fixed file re-parses and re-scans clean), then report what is left")
	f.BoolVar(&fl.diff, "diff", false, "print a unified diff of every fix and suggestion instead of the report; write nothing")
}

// errFixAndDiff is the usage error for asking to write and to preview at once.
var errFixAndDiff = errors.New("--fix writes the fixes and --diff only shows them: choose one")

// fixes applies or previews the fixes of res. It returns the result to report: what is left
// after --fix, or res unchanged.
func (a *app) fixes(res *scan.Result, fl *fixFlags, quiet bool) (*scan.Result, error) {
	if !fl.fix && !fl.diff {
		return res, nil
	}
	fixed := scan.Fix(res)
	for _, why := range fixed.Dropped {
		fmt.Fprintf(a.stderr, "iacscan: fix not applied: %s\n", why)
	}
	if fixed.StoppedEarly {
		fmt.Fprintln(a.stderr, "iacscan: stopped fixing after the maximum number of passes; run --fix again")
	}
	if fl.diff {
		return res, fixed.WriteDiff(a.stdout, res)
	}
	errs := fixed.Write()
	for _, err := range errs {
		fmt.Fprintf(a.stderr, "iacscan: %v\n", err)
	}
	if !quiet {
		fmt.Fprintf(a.stderr, "iacscan: fixed %d file(s)\n", len(fixed.Files)-len(errs))
	}
	if len(errs) > 0 {
		return fixed.Result, &exitError{code: codeError, err: fmt.Errorf("%d file(s) could not be fixed", len(errs))}
	}
	return fixed.Result, nil
}
