package sns_test

import (
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/rules/aws/sns"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) {
	for _, r := range sns.Rules {
		t.Run(r.ID, func(t *testing.T) { ruletest.Run(t, filepath.Join("testdata", r.Name+".txtar"), r) })
	}
}
