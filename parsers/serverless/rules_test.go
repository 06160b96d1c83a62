package serverless_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestRules runs the S3 and EC2 rules over testdata/rules: findings that exist only
// because serverless variables are evaluated, and none on values that are not known.
func TestRules(t *testing.T) {
	ruletest.RunDir(t, filepath.Join("testdata", "rules"), checked()...)
}

// checked is the rules the archives run: the S3 ACL family and the EC2 family.
func checked() []*rules.Rule { return slices.Concat(s3.Rules[:10], ec2.Rules) }

// TestRelated checks that a finding on an evaluated value shows where the value was
// defined as a related location.
func TestRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "rules", "evaluated.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := ruletest.Scan(t, ar, checked()...)
	tests := []struct {
		path string
		line int
		id   string
		want string // "path:line:col-line:col message" of each related location
	}{
		// the ACL comes from the custom entry the stage selects
		{"serverless.yml", 18, "AWS-S3-001", "serverless.yml:5:10-5:20 value defined here"},
		{"serverless.yml", 27, "AWS-EC2-002", "serverless.yml:8:10-8:19 value defined here"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s:%d", tc.path, tc.line), func(t *testing.T) {
			if got := ruletest.Related(t, findings, tc.path, tc.line, tc.id); got != tc.want {
				t.Errorf("related %q, want %q", got, tc.want)
			}
		})
	}
}

// TestImplicitRules runs every S3 rule over the generated deployment bucket.
func TestImplicitRules(t *testing.T) {
	ruletest.Run(t, filepath.Join("testdata", "implicit.txtar"), s3.Rules...)
}
