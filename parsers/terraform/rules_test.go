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
	archives, err := filepath.Glob(filepath.Join("testdata", "rules", "*.txtar"))
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, path := range archives {
		t.Run(filepath.Base(path), func(t *testing.T) { ruletest.Run(t, path, checked()...) })
	}
}

// checked is the rules the archives run: the S3 ACL family, the public policy rule and
// the EC2 family.
func checked() []*rules.Rule {
	return slices.Concat(s3.Rules[:10], []*rules.Rule{s3.PublicPolicy}, ec2.Rules)
}
