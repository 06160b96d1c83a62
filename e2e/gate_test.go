package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The gate tests run the binary on small repositories written into a temporary directory:
// what a CI job that gates on iacscan's exit code relies on.

// publicBucket is a Terraform file with a public canned ACL: AWS-S3-001 on line 3, the
// one rule these tests run, so that rules added later do not change what they check.
const publicBucket = `resource "aws_s3_bucket" "site" {
  bucket = "site"
  acl    = "public-read"
}
`

// writeRepo writes files (slash-separated names) under a new temporary directory, with a
// .git directory so that it is a repository root, and returns the directory.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestParseErrorsFailClosed: a file that does not parse (it could hide a public bucket)
// fails the run with exit code 2, and the report still holds the findings of the other
// files; --allow-parse-errors or the configuration key lets the others decide.
func TestParseErrorsFailClosed(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"infra/site.tf":   publicBucket,
		"infra/broken.tf": "resource \"aws_s3_bucket\" \"hidden\" {\n  acl = \"public-read\"\n",
	})
	report := filepath.Join(t.TempDir(), "report.json")
	tests := []struct {
		name     string
		config   string
		args     []string
		wantCode int
	}{
		{name: "default", wantCode: 2},
		{name: "soft-fail does not pass it", args: []string{"--soft-fail"}, wantCode: 2},
		{name: "--allow-parse-errors", args: []string{"--allow-parse-errors"}, wantCode: 1},
		{name: "--allow-parse-errors --soft-fail", args: []string{"--allow-parse-errors", "--soft-fail"}, wantCode: 0},
		{name: "configuration key", config: "allow-parse-errors: true\n", wantCode: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, ".iacscan.yaml")
			os.Remove(cfg)
			if tc.config != "" {
				if err := os.WriteFile(cfg, []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"--rules", "AWS-S3-001", "-f", "json=" + report, "-f", "text"}, tc.args...)
			code, stdout, stderr := iacscanAt(t, dir, append(args, "infra")...)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			if !strings.Contains(stderr, "infra/broken.tf:") || !strings.Contains(stderr, "error:") {
				t.Errorf("stderr does not name the broken file:\n%s", stderr)
			}
			if !strings.Contains(stdout, "infra/site.tf:3:") {
				t.Errorf("the text report lacks the finding of the file that parsed:\n%s", stdout)
			}
			data, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			rep := decodeReport(t, data)
			if len(rep.Findings) != 1 || rep.Findings[0].File != "infra/site.tf" || rep.Findings[0].RuleID != "AWS-S3-001" {
				t.Errorf("JSON findings = %+v, want the AWS-S3-001 of infra/site.tf", rep.Findings)
			}
		})
	}
}

// TestBaselineFromAnyDirectory writes a baseline at the repository root and uses it from
// a subdirectory and from outside the repository: the findings it records stay absorbed,
// and writing it exits 0 although there are findings.
func TestBaselineFromAnyDirectory(t *testing.T) {
	dir := writeRepo(t, map[string]string{"infra/site.tf": publicBucket})
	bl := filepath.Join(dir, ".iacscan-baseline.json")
	if code, _, stderr := iacscanAt(t, dir, "-q", "--rules", "AWS-S3-001", "--write-baseline", bl, "."); code != 0 {
		t.Fatalf("--write-baseline: exit code %d, want 0; stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(bl)
	if err != nil || !strings.Contains(string(data), `"file": "infra/site.tf"`) {
		t.Fatalf("baseline (%v):\n%s\nwant the file relative to the repository root", err, data)
	}
	for _, tc := range []struct{ from, path string }{
		{dir, "."},
		{dir, "infra"},
		{filepath.Join(dir, "infra"), "."},
		{t.TempDir(), filepath.Join(dir, "infra")},
	} {
		code, stdout, stderr := iacscanAt(t, tc.from, "-q", "--rules", "AWS-S3-001", "-f", "json", "--baseline", bl, tc.path)
		if rep := decodeReport(t, []byte(stdout)); code != 0 || len(rep.Findings) != 0 {
			t.Errorf("from %s scanning %s: exit code %d, findings %+v; want 0 and none\n%s", tc.from, tc.path, code, rep.Findings, stderr)
		}
	}
	// A new finding is not in the baseline, wherever the scan runs from.
	if err := os.WriteFile(filepath.Join(dir, "infra", "more.tf"), []byte(strings.ReplaceAll(publicBucket, "site", "more")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := iacscanAt(t, filepath.Join(dir, "infra"), "-q", "--rules", "AWS-S3-001", "-f", "json", "--baseline", bl, ".")
	if rep := decodeReport(t, []byte(stdout)); code != 1 || len(rep.Findings) != 1 || rep.Findings[0].File != "more.tf" {
		t.Errorf("a new finding: exit code %d, findings %+v; want 1 and more.tf", code, rep.Findings)
	}
}
