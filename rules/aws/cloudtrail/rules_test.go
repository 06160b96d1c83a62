package cloudtrail_test

import (
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/cloudtrail"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, cloudtrail.Rules) }

// TestBaseline runs the archives of testdata/baseline with the family as the baseline
// profile configures it: the account check of AWS-CT-001 (require-in-account) is on.
func TestBaseline(t *testing.T) {
	rs, err := rules.ApplyProfile(cloudtrail.Rules, "baseline")
	if err != nil {
		t.Fatal(err)
	}
	ruletest.RunDir(t, filepath.Join("testdata", "baseline"), rs...)
}
