package elbv2_test

import (
	"testing"

	"github.com/iacscan/iacscan/rules/aws/elbv2"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, elbv2.Rules) }
