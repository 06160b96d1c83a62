package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
)

// writeGitHubOutput appends the scan's counts to path in the format of GitHub Actions'
// $GITHUB_OUTPUT file ("name=value" lines), so that the action's outputs come from
// iacscan itself: findings (at or above failOn, what fails the run) and the findings of
// each severity.
func writeGitHubOutput(path string, res *scan.Result, failOn rules.Severity) error {
	var counts [rules.Critical + 1]int
	for _, f := range res.Findings {
		counts[f.Severity]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "findings=%d\n", res.Failing(failOn))
	for s := rules.Critical; s >= rules.Low; s-- {
		fmt.Fprintf(&b, "%s=%d\n", s, counts[s])
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("--github-output: %w", err)
	}
	_, err = f.WriteString(b.String())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--github-output: %w", err)
	}
	return nil
}
