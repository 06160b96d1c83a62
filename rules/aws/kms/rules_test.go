package kms_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules/aws/kms"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, kms.Rules) }

// TestUsersRelated pins what the want section cannot show: a disabled key's finding names
// each resource that uses it, directly or through an alias.
func TestUsersRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", kms.DisabledInUse.Name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := ruletest.Scan(t, ar, kms.DisabledInUse)
	tests := []struct {
		path string
		line int
		want string
	}{
		{"main.tf", 8, "main.tf:16:1-16:34 uses the key; main.tf:21:1-21:33 uses the key"},
		{"template.json", 7, "template.json:17:5-17:13 uses the key"},
		{"template.yaml", 7, "template.yaml:8:3-8:8 uses the key"},
	}
	for _, tc := range tests {
		if got := ruletest.Related(t, findings, tc.path, tc.line, kms.DisabledInUse.ID); got != tc.want {
			t.Errorf("%s:%d: related %q, want %q", tc.path, tc.line, got, tc.want)
		}
	}
}
