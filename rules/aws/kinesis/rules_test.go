package kinesis_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/kinesis"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, kinesis.Rules) }
