package cloudformation_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestRules runs the S3 and EC2 rules over testdata/rules: findings that exist only
// because templates are evaluated, and none on values that are not known.
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
		// the CIDR comes from the parameter default
		{"stack.yaml", 31, "AWS-EC2-002", "stack.yaml:9:14-9:23 value defined here"},
		// the ACL comes from the mapping entry
		{"stack.yaml", 35, "AWS-S3-001", "stack.yaml:16:12-16:22 value defined here"},
		// the ACL comes from the branch of the Fn::If
		{"stack.yaml", 43, "AWS-S3-001", "stack.yaml:43:34-43:44 value defined here"},
		// the ACL comes from the loop's collection, the list parameter's default
		{"stack.yaml", 59, "AWS-S3-001", "stack.yaml:12:14-12:34 value defined here"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s:%d", tc.path, tc.line), func(t *testing.T) {
			if got := ruletest.Related(t, findings, tc.path, tc.line, tc.id); got != tc.want {
				t.Errorf("related %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRainRelated checks where a rain module's findings say they come from: the calling
// resource (module called here), and for a value the caller gives, its property.
func TestRainRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "rules", "rain.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := ruletest.Scan(t, ar, checked()...)
	var got []string
	for _, f := range findings {
		var related []string
		for _, r := range f.Related {
			related = append(related, fmt.Sprintf("%s:%d:%d %s", r.Range.Path, r.Range.Start.Line, r.Range.Start.Column, r.Message))
		}
		got = append(got, fmt.Sprintf("%s %s %s: %s", f.Rule.ID, f.Resource.Path, f.Resource.Address, strings.Join(related, "; ")))
	}
	want := []string{
		"AWS-S3-001 modules/site.yml PublicBucket: stack.yaml:2:3 module called here; stack.yaml:6:12 value defined here",
		"AWS-S3-001 modules/site.yml SiteBucket: stack.json:3:5 module called here; stack.json:5:48 value defined here",
		"AWS-S3-003 modules/site.yml SiteBucket: stack.json:3:5 module called here; stack.json:5:48 value defined here",
		"AWS-EC2-002 modules/site.yml PublicAdminSG: stack.yaml:2:3 module called here; modules/site.yml:9:14 value defined here",
		"AWS-EC2-002 modules/site.yml SiteAdminSG: stack.json:3:5 module called here; modules/site.yml:9:14 value defined here",
	}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
