package main

import (
	"io"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// TestVerdictFailsClosed checks the exit code of results with input problems: an error
// about a file (did not parse) or without one (could not be read) fails the run unless
// allowed; warnings never do; a run where nothing parsed always fails.
func TestVerdictFailsClosed(t *testing.T) {
	at := &source.Range{Path: "a.tf"}
	finding := rules.Finding{Rule: &rules.Meta{ID: "AWS-TST-001"}, Severity: rules.High}
	tests := []struct {
		name     string
		diags    source.Diagnostics
		stats    scan.Stats
		findings []rules.Finding
		opts     verdictOptions
		want     int
	}{
		{name: "clean", stats: scan.Stats{Files: 2}, want: codeOK},
		{name: "a warning", diags: source.Diagnostics{{Severity: source.Warning, Summary: "skipped"}}, stats: scan.Stats{Files: 2}, want: codeOK},
		{name: "a parse error", diags: source.Diagnostics{{Severity: source.Error, Summary: "bad", Subject: at}}, stats: scan.Stats{Files: 2, FilesFailed: 1}, want: codeError},
		{name: "an unreadable file", diags: source.Diagnostics{{Severity: source.Error, Summary: "b.tf: permission denied"}}, stats: scan.Stats{Files: 1}, want: codeError},
		{name: "allowed, with a finding", diags: source.Diagnostics{{Severity: source.Error, Subject: at}}, stats: scan.Stats{Files: 2, FilesFailed: 1},
			findings: []rules.Finding{finding}, opts: verdictOptions{failOn: rules.Low, allowParseErrors: true}, want: codeFindings},
		{name: "allowed, nothing parsed", diags: source.Diagnostics{{Severity: source.Error, Subject: at}}, stats: scan.Stats{Files: 1, FilesFailed: 1},
			opts: verdictOptions{allowParseErrors: true}, want: codeError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := &scan.Result{Diagnostics: tc.diags, Stats: tc.stats, Findings: tc.findings}
			a := &app{stderr: io.Discard}
			if got := a.exitCode(verdict(res, tc.opts)); got != tc.want {
				t.Errorf("exit code %d, want %d", got, tc.want)
			}
		})
	}
}
