package account_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/account"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, account.Rules) }
