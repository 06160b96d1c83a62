// Package report writes a scan.Result for people and machines: text, json, github
// (workflow-command annotations) and markdown (job summary). SARIF lives in package sarif.
package report

import (
	"io"

	"github.com/iacscan/iacscan/scan"
)

// Options are the settings every writer may use.
type Options struct {
	Color   bool   // ANSI colours (the CLI decides: TTY, --color, NO_COLOR)
	Version string // iacscan's version, for tool metadata
	// ExplainValues shows how computed values were produced (--explain-values): the
	// chain under each finding in the text report.
	ExplainValues bool
}

// Writer writes one report of res to w.
type Writer func(w io.Writer, res *scan.Result, opts Options) error
