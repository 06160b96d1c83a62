package report

import (
	"errors"
	"io"

	"github.com/iacscan/iacscan/scan"
)

// GitHub is being implemented; it exists so that the CLI's writer table compiles.
func GitHub(w io.Writer, res *scan.Result, opts Options) error {
	return errors.New("github: not implemented yet")
}
