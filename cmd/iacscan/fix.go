package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/scan"
)

// fixFlags are --fix and --diff.
type fixFlags struct{ fix, diff, force bool }

func (fl *fixFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&fl.fix, "fix", false, "write the automatic fixes (each verified: the fixed file parses and re-scans without the finding or a new one), then report what is left")
	f.BoolVar(&fl.diff, "diff", false, "print a unified diff of every automatic fix and suggestion instead of the report; write nothing")
	f.BoolVar(&fl.force, "force", false, "with --fix, also rewrite read-only files and files with other hard links (which the rewrite splits from them)")
}

// errFixAndDiff is the usage error for asking to write and to preview at once.
var errFixAndDiff = errors.New("--fix writes the fixes and --diff only shows them: choose one")

// fixes applies (--fix) or shows (--diff) the fixes of res. It returns the result to
// report: what is left after --fix (the files scanned anew), else res.
func (a *app) fixes(ctx context.Context, res *scan.Result, fl *fixFlags, quiet bool) (*scan.Result, error) {
	if !fl.fix && !fl.diff {
		return res, nil
	}
	fixed, err := scan.Fix(ctx, res)
	if err != nil {
		return nil, err
	}
	for _, d := range fixed.Dropped {
		fmt.Fprintf(a.stderr, "iacscan: not fixed: %s\n", d)
	}
	if fixed.StoppedEarly {
		fmt.Fprintf(a.stderr, "iacscan: stopped after %d fix passes with fixable findings left: run --fix again\n", fixed.Passes)
	}
	if fl.diff {
		if !quiet {
			fmt.Fprintf(a.stderr, "iacscan: --diff: %d automatic fixes in %d files, nothing written\n", len(fixed.Applied), len(fixed.Files))
		}
		return res, fixed.Diff(a.stdout, res)
	}
	written, errs := fixed.Write(ctx, fixers.WriteOptions{Force: fl.force})
	for _, err := range errs {
		fmt.Fprintf(a.stderr, "iacscan: %v\n", err)
	}
	if !quiet {
		fmt.Fprintf(a.stderr, "iacscan: %s\n", wroteSummary(fixed, written))
	}
	return res.Rescan(ctx)
}

// wroteSummary says how many findings --fix fixed in how many files.
func wroteSummary(fixed *scan.Fixed, written []string) string {
	if len(fixed.Files) == 0 {
		return "no automatic fix to write"
	}
	n := 0
	for _, f := range fixed.Applied {
		if slices.Contains(written, f.Range.Path) {
			n++
		}
	}
	return fmt.Sprintf("fixed %d findings in %d files", n, len(written))
}
