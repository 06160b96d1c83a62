package cloudtrail_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/cloudtrail"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, cloudtrail.Rules) }
