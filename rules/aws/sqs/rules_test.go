package sqs_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/sqs"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, sqs.Rules) }
