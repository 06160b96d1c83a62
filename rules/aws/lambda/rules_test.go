package lambda_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/lambda"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, lambda.Rules) }
