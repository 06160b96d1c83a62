package main

import (
	"bytes"
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
	f.BoolVar(&fl.diff, "diff", false, "print the automatic fixes as one patch (for git apply or patch -p1) instead of the report, and the suggestions, which are not part of it, on stderr; write nothing")
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
	for _, note := range res.GeneratedFixes() {
		fmt.Fprintf(a.stderr, "iacscan: not fixed: %s\n", note)
	}
	if fixed.StoppedEarly {
		fmt.Fprintf(a.stderr, "iacscan: stopped after %d fix passes with fixable findings left: run --fix again\n", fixed.Passes)
	}
	if fl.diff {
		return res, a.diff(fixed, res, quiet)
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

// diff prints the patch of the automatic fixes on stdout, alone, so that
// `iacscan --diff | git apply` applies it; the suggestions are alternatives that may
// touch the same lines, so they go on stderr, in a section of their own.
func (a *app) diff(fixed *scan.Fixed, res *scan.Result, quiet bool) error {
	if err := fixed.Diff(a.stdout); err != nil {
		return err
	}
	var suggestions bytes.Buffer
	if err := fixed.Suggestions(&suggestions, res); err != nil {
		return err
	}
	if quiet {
		return nil
	}
	fmt.Fprintf(a.stderr, "iacscan: --diff: %s in %s, nothing written\n", pluralize(len(fixed.Applied), "automatic fix"), pluralize(len(fixed.Files), "file"))
	if suggestions.Len() > 0 {
		fmt.Fprintln(a.stderr, "iacscan: suggestions, not part of the patch (each against the original file; edit by hand):")
		_, err := a.stderr.Write(suggestions.Bytes())
		return err
	}
	return nil
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
	return fmt.Sprintf("fixed %s in %s", pluralize(n, "finding"), pluralize(len(written), "file"))
}
