package s3_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// twoFileModule is a module without an aws_caller_identity whose public statements are in
// two files, a.tf holding two policies.
const twoFileModule = `-- a.tf --
resource "aws_s3_bucket" "a" {
  bucket = "a"
}

resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.a.arn}/*" }]
  })
}

resource "aws_s3_bucket" "a2" {
  bucket = "a2"
}

resource "aws_s3_bucket_policy" "a2" {
  bucket = aws_s3_bucket.a2.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.a2.arn}/*" }]
  })
}
-- b.tf --
resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.b.arn}/*" }]
  })
}
`

// TestCallerIdentityDeclaredOnce pins how the Terraform fixes of AWS-S3-014 in one module
// share the data source they read: the fixes of the first file declare it after the same
// resource, which planned together writes it once; those of another file are suggestions
// that declare it in their own file, until --fix's next pass finds it declared.
func TestCallerIdentityDeclaredOnce(t *testing.T) {
	ar := txtar.Parse([]byte(twoFileModule))
	findings, diags := ruletest.Scan(t, ar, s3.PublicPolicy)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	var aFixes []fixers.Change
	for _, f := range findings {
		var adds []string
		for _, c := range f.Fix.Changes {
			if c.Op == fixers.AddResource {
				adds = append(adds, fmt.Sprintf("%s.%s after %s", c.Kind, c.Name, c.Resource.ID))
			}
		}
		_, why, _ := strings.Cut(f.Fix.Description, "; a suggestion because ")
		got = append(got, fmt.Sprintf("%s %s: %s; %s", pos(f.Range), f.Fix.Mode, strings.Join(adds, ", "), why))
		if f.Range.Path == "a.tf" && f.Fix.Mode == rules.FixAuto {
			aFixes = append(aFixes, f.Fix.Changes...)
		}
	}
	want := []string{
		"a.tf:8:50 auto: data.aws_caller_identity.current after a.tf:aws_s3_bucket_policy.a; ",
		"a.tf:19:58 auto: data.aws_caller_identity.current after a.tf:aws_s3_bucket_policy.a; ",
		"b.tf:8:50 suggest: data.aws_caller_identity.current after b.tf:aws_s3_bucket_policy.b; " +
			"the fix of a statement in a.tf declares data.aws_caller_identity.current for the module first; --fix then fixes this one in its next pass",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fixes:\n got %q\nwant %q", got, want)
	}

	a := ruletest.Inputs(t, ar)[0]
	edits, err := fixers.Plan(a.File, a.Format, aFixes)
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := fixers.Apply(a.File.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(fixed), `data "aws_caller_identity" "current" {}`); n != 1 {
		t.Errorf("a.tf fixed declares the data source %d times, want once:\n%s", n, fixed)
	}
}
