package report

import (
	"errors"
	"io"

	"github.com/iacscan/iacscan/scan"
)

// Markdown is being implemented; it exists so that the CLI's writer table compiles.
func Markdown(w io.Writer, res *scan.Result, opts Options) error {
	return errors.New("markdown: not implemented yet")
}
