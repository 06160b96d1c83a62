// Package sarif writes SARIF 2.1.0 for GitHub code scanning.
package sarif

import (
	"errors"
	"io"

	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/scan"
)

// Write is being implemented; it exists so that the CLI's writer table compiles.
func Write(w io.Writer, res *scan.Result, opts report.Options) error {
	return errors.New("sarif: not implemented yet")
}
