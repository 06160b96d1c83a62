package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/iacscan/iacscan/scan"
)

// csvHeader names the CSV report's columns; the order is part of the format.
var csvHeader = []string{"rule_id", "severity", "title", "file", "start_line", "start_column", "end_line", "end_column", "resource", "message", "fingerprint", "help_uri"}

// CSV writes one row per finding, for spreadsheets and ticket imports.
func CSV(w io.Writer, res *scan.Result, _ Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Rule == nil {
			continue
		}
		r := f.Range
		if err := cw.Write([]string{
			f.Rule.ID, f.Severity.String(), f.Rule.Title, r.Path,
			strconv.Itoa(r.Start.Line), strconv.Itoa(r.Start.Column), strconv.Itoa(r.End.Line), strconv.Itoa(r.End.Column),
			f.Resource.Address, f.Message, f.Fingerprint(), f.Rule.HelpURI(),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
