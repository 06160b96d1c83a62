package cloudtrail_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules/aws/cloudtrail"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestTrailBucketRelated checks that the trail is a related location of the finding.
func TestTrailBucketRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "cloudtrail-bucket-public.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := ruletest.Scan(t, ar, cloudtrail.TrailBucketPublic)
	tests := []struct {
		path string
		line int
		want string
	}{
		{"main.tf", 12, "main.tf:3:3-3:41 a CloudTrail trail writes its logs to this bucket"},
		{"main.tf", 30, "main.tf:17:3-17:39 a CloudTrail trail writes its logs to this bucket"},
		{"template.yaml", 10, "template.yaml:5:7-5:32 a CloudTrail trail writes its logs to this bucket"},
	}
	for _, tc := range tests {
		if got := ruletest.Related(t, findings, tc.path, tc.line, "AWS-CT-003"); got != tc.want {
			t.Errorf("%s:%d: related %q, want %q", tc.path, tc.line, got, tc.want)
		}
	}
}
