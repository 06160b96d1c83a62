package iam_test

import (
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/iam"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// archives are r's archives: testdata/<name>.txtar and its variants
// testdata/<name>.<variant>.txtar.
func archives(t *testing.T, r *rules.Rule) []string {
	t.Helper()
	variants, err := filepath.Glob(filepath.Join("testdata", r.Name+".*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join("testdata", r.Name+".txtar")}, variants...)
}

// TestRules runs each rule over its archives, alone: the informational rules would
// otherwise report every user of every archive.
func TestRules(t *testing.T) {
	for _, r := range iam.Rules {
		for _, path := range archives(t, r) {
			t.Run(filepath.Base(path), func(t *testing.T) { ruletest.Run(t, path, r) })
		}
	}
}
