package scan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules/builtin"
)

// TestEvaluationConfined scans a checkout whose Terraform and serverless files try to
// read a file beside it, from the root, from its parent directory and from /: the read
// inside the checkout works from everywhere, the one outside never does, whatever the
// working directory, so that a pull request cannot make the gate read the runner's files.
func TestEvaluationConfined(t *testing.T) {
	base := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("outside/acl.txt", "public-read\n")
	write("outside/acl.yml", "acl: PublicRead\n")
	write("repo/acl.txt", "public-read\n")
	write("repo/main.tf", `resource "aws_s3_bucket" "inside" {
  acl = trimspace(file("acl.txt"))
}
resource "aws_s3_bucket" "outside" {
  acl = try(trimspace(file("../outside/acl.txt")), "private")
}
resource "aws_s3_bucket" "linked" {
  acl = try(trimspace(file("link.txt")), "private")
}
resource "aws_s3_bucket" "set" {
  acl = length(fileset("..", "outside/*")) > 0 ? "public-read" : "private"
}
`)
	write("repo/serverless.yml", `service: s
provider:
  name: aws
resources:
  Resources:
    Bucket:
      Type: AWS::S3::Bucket
      Properties:
        AccessControl: ${file(../outside/acl.yml):acl, 'Private'}
`)
	if err := os.Symlink(filepath.Join(base, "outside", "acl.txt"), filepath.Join(base, "repo", "link.txt")); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(base, "repo")
	for _, tc := range []struct{ name, wd, arg string }{
		{"from the root", repo, "."},
		{"from the parent", base, "repo"},
		{"from /", "/", repo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.wd)
			res, err := Run(t.Context(), []string{tc.arg}, Options{Rules: builtin.All(), Enable: []string{"AWS-S3-001"}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Resource.Address)
			}
			if want := []string{"aws_s3_bucket.inside"}; !slices.Equal(got, want) {
				t.Errorf("findings on %s, want only %s (the file inside the checkout)", strings.Join(got, ", "), want[0])
			}
		})
	}
}
