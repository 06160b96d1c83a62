package account_test

import (
	"slices"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/account"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestRules runs the family with AWS-GEN-101 configured: without allowed regions it
// checks nothing.
func TestRules(t *testing.T) {
	family := slices.Clone(account.Rules)
	i := slices.Index(family, account.Regions)
	configured, err := rules.Configure(account.Regions, map[string]any{"allowed-regions": []any{"eu-west-1", "eu-central-1"}})
	if err != nil {
		t.Fatal(err)
	}
	family[i] = configured
	ruletest.Family(t, family)
}

// TestBaseline runs the family with the baseline profile, which turns the account checks
// on: testdata/baseline holds accounts with and without the services.
func TestBaseline(t *testing.T) {
	profiled, err := rules.ApplyProfile(account.Rules, "baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"missing", "present"} {
		t.Run(name, func(t *testing.T) { ruletest.Run(t, "testdata/baseline/"+name+".txtar", profiled...) })
	}
}
