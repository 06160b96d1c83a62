// Package report writes a scan.Result for people and machines: text, json, github
// (workflow-command annotations), markdown (job summary), junit, gitlab (GitLab SAST) and
// csv. SARIF lives in package sarif.
package report

import (
	"io"
	"time"

	"github.com/iacscan/iacscan/scan"
)

// Options are the settings every writer may use.
type Options struct {
	Color   bool   // ANSI colours (the CLI decides: TTY, --color, NO_COLOR)
	Version string // iacscan's version, for tool metadata
	// ExplainValues shows how computed values were produced (--explain-values): the
	// chain under each finding in the text report.
	ExplainValues bool
	// Compact leaves out of the text report what follows each finding's first lines: the
	// source excerpt, related places and remediation (--compact).
	Compact bool
	// Finished is when the scan ended (the GitLab report's scan times); zero means now.
	Finished time.Time
}

// Writer writes one report of res to w.
type Writer func(w io.Writer, res *scan.Result, opts Options) error
