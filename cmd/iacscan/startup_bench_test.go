package main

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkPreCommit is what a pre-commit hook pays after the process has started: one
// scan of one small file with its findings in the text report, in-process. What start-up
// itself costs (package initialisation, the runtime) only a whole-process measure shows.
func BenchmarkPreCommit(b *testing.B) {
	for b.Loop() {
		run([]string{"scan", "--pre-commit", "testdata/findings/main.tf"}, strings.NewReader(""), io.Discard, io.Discard)
	}
}

// BenchmarkVersion is the fixed cost of a command line that scans nothing.
func BenchmarkVersion(b *testing.B) {
	for b.Loop() {
		run([]string{"--version"}, strings.NewReader(""), io.Discard, io.Discard)
	}
}
