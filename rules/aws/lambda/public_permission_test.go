package lambda_test

import (
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/rules/aws/lambda"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestPublicPermission(t *testing.T) {
	r := lambda.PublicPermission
	ruletest.Run(t, filepath.Join("testdata", r.Name+".txtar"), r)
}
