package vpc_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/vpc"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestRules runs the family over every archive of testdata: one per rule, named after it.
func TestRules(t *testing.T) {
	ruletest.RunDir(t, "testdata", vpc.Rules...)
}

func TestRegistry(t *testing.T) {
	want := map[string]rules.Severity{"AWS-VPC-001": rules.Low, "AWS-VPC-017": rules.High, "AWS-VPC-101": rules.Low}
	for i, r := range vpc.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if i > 0 && vpc.Rules[i-1].ID >= r.ID {
				t.Errorf("%s follows %s: Rules must be in ID order", r.ID, vpc.Rules[i-1].ID)
			}
			if r.Severity != want[r.ID] {
				t.Errorf("severity %v, want %v", r.Severity, want[r.ID])
			}
			if r.Fix != rules.FixSuggest || r.DefaultOff || !slices.Contains(r.Tags, "security") {
				t.Errorf("fix %v, default off %v, tags %v: want suggest, on, security", r.Fix, r.DefaultOff, r.Tags)
			}
			if _, err := os.Stat(filepath.Join("testdata", r.Name+".txtar")); err != nil {
				t.Errorf("no examples archive: %v", err)
			}
		})
	}
}

// TestDefaultVPCRelated checks that the resources placed in the default VPC are related
// locations of the lookup's finding.
func TestDefaultVPCRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "vpc-default-used.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := ruletest.Scan(t, ar, vpc.DefaultVPC)
	want := "main.tf:11:1-11:35 placed in the default VPC"
	if got := ruletest.Related(t, findings, "main.tf", 8, "AWS-VPC-101"); got != want {
		t.Errorf("related %q, want %q", got, want)
	}
}
