package terraform_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestRules runs the S3 and EC2 rules over testdata/rules: findings that exist only
// because modules are evaluated, and none on values that are not known.
func TestRules(t *testing.T) {
	ruletest.RunDir(t, filepath.Join("testdata", "rules"), checked()...)
}

// checked is the rules the archives run: the S3 ACL family, the public policy rule and
// the EC2 family.
func checked() []*rules.Rule {
	return slices.Concat(s3.Rules[:10], []*rules.Rule{s3.PublicPolicy}, ec2.Rules)
}
