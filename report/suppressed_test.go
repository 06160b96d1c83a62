package report

import (
	"bytes"
	"testing"

	"github.com/iacscan/iacscan/scan"
)

// TestNotReportedCounts checks that every writer for people says how many findings were
// suppressed or baselined, with findings and without.
func TestNotReportedCounts(t *testing.T) {
	withFindings := sampleResult(t)
	withFindings.Stats.Suppressed, withFindings.Stats.Baselined, withFindings.Stats.Duration = 2, 1, 0
	clean := cleanResult()
	clean.Stats.Suppressed, clean.Stats.Duration = 1, 0
	tests := []struct {
		name   string
		writer Writer
		res    *scan.Result
		line   int // which line of the output holds the counts; -1 for the last
		want   string
	}{
		{"text", Text, withFindings, -1, "5 findings: 1 critical, 1 high, 2 medium, 1 low. Not reported: 2 suppressed, 1 in the baseline. Scanned 3 files (1 failed to parse), 3 resources in 0s."},
		{"text clean", Text, clean, -1, "No findings. Not reported: 1 suppressed. Scanned 2 files, 1 resource in 0s."},
		{"markdown", Markdown, withFindings, 2, "**5 findings.** Not reported: 2 suppressed, 1 in the baseline. Scanned 3 files (3 resources) with 5 rules. 1 could not be parsed."},
		{"markdown clean", Markdown, clean, 2, "No findings. Not reported: 1 suppressed. Scanned 2 files (1 resource) with 0 rules."},
		{"github", GitHub, withFindings, -1, "iacscan: not reported: 2 suppressed, 1 in the baseline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tc.writer(&out, tc.res, Options{}); err != nil {
				t.Fatal(err)
			}
			ls := lines(out.Bytes())
			n := tc.line
			if n < 0 {
				n = len(ls) - 1
			}
			if n >= len(ls) || ls[n] != tc.want {
				t.Errorf("output:\n%s\nwant line %d: %q", out.String(), tc.line, tc.want)
			}
		})
	}
}
