//go:build unix

package scan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/iacscan/iacscan/rules/builtin"
)

// TestEvaluationConfined scans a checkout whose Terraform and serverless files try to
// read a file beside it, from the root, from its parent directory and from /: the read
// inside the checkout works from everywhere, the one outside never does, whatever the
// working directory, so that a pull request cannot make the gate read the runner's files;
// and a FIFO in the checkout fails to read at once instead of blocking the scan.
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
resource "aws_s3_bucket" "pipe" {
  acl = try(trimspace(file("pipe.txt")), "private")
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
	if err := syscall.Mkfifo(filepath.Join(base, "repo", "pipe.txt"), 0o644); err != nil {
		t.Fatal(err) // a read of it must fail at once, not block the scan
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

// TestEvaluationRepositoryRoot scans one directory of a repository whose module lies two
// directories up: the repository is the root, so the module is read; run from inside the
// scanned directory, the repository has no name in the tree and the module is reported
// as outside the scanned root, not silently dropped.
func TestEvaluationRepositoryRoot(t *testing.T) {
	repo := t.TempDir()
	for name, content := range map[string]string{
		".git/HEAD":              "ref: refs/heads/main\n",
		"modules/bucket/main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\"\n}\n",
		"envs/prod/main.tf":      "module \"bucket\" {\n  source = \"../../modules/bucket\"\n}\n",
	} {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scanFrom := func(t *testing.T, wd, arg string) *Result {
		t.Helper()
		t.Chdir(wd)
		res, err := Run(t.Context(), []string{arg}, Options{Rules: builtin.All(), Enable: []string{"AWS-S3-001"}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Run("from the repository", func(t *testing.T) {
		res := scanFrom(t, repo, "envs/prod")
		if len(res.Findings) != 1 || res.Findings[0].Resource.Address != "module.bucket.aws_s3_bucket.b" {
			t.Errorf("findings %v, want the module's bucket", res.Findings)
		}
	})
	t.Run("from inside the scanned directory", func(t *testing.T) {
		res := scanFrom(t, filepath.Join(repo, "envs", "prod"), ".")
		if len(res.Findings) != 0 || len(res.Diagnostics) != 1 || res.Diagnostics[0].Summary != "Module outside the scanned root" {
			t.Errorf("findings %v, diagnostics %v; want none and the module outside the root", res.Findings, res.Diagnostics)
		}
	})
}
