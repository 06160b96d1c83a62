package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// policies are the example policies, shared with examples/ and docs/custom-rules.md.
var policies = filepath.Join("..", "..", "examples", "policies")

// writeRepo writes a repository with a configuration naming a rules directory, the
// example policies in it, and files: a team's checkout.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(policies, "acme.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files[".iacscan.yaml"] = "rules-dir: policies\n"
	files["policies/acme.yaml"] = string(src)
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const customTF = `resource "aws_db_instance" "orders" {
  instance_class = "db.r5.large" # sized for the launch
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
`

// TestCustomRulesScanAndFix scans a repository whose configuration names custom rules,
// fixes what they can fix, and scans again: the fix is written in place, the rest stays.
func TestCustomRulesScanAndFix(t *testing.T) {
	dir := writeRepo(t, map[string]string{"main.tf": customTF})
	main := filepath.Join(dir, "main.tf")
	code, stdout, stderr := runCLI(t, "-f", "json", "--rules", "ACME-*", dir)
	want := []string{main + ":2:20: ACME-RDS-001", main + ":5:1: ACME-TAG-001"}
	if got := jsonFindings(t, stdout); code != 1 || !slices.Equal(got, want) {
		t.Fatalf("exit %d, findings %q, want 1 and %q; stderr:\n%s", code, got, want, stderr)
	}
	if code, _, stderr = runCLI(t, "--fix", "-q", "--rules", "ACME-*", dir); code != 1 {
		t.Fatalf("--fix: exit %d, want 1 (the tag finding has no fix); stderr:\n%s", code, stderr)
	}
	fixed, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(customTF, `"db.r5.large"`, `"db.t3.medium"`, 1); string(fixed) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", fixed, want)
	}
	_, stdout, _ = runCLI(t, "-f", "json", "--rules", "ACME-*", dir)
	if got := jsonFindings(t, stdout); !slices.Equal(got, want[1:]) {
		t.Errorf("after --fix: %q, want %q", got, want[1:])
	}
}

// TestCustomRulesCommands lists, explains and tests the example policies.
func TestCustomRulesCommands(t *testing.T) {
	code, stdout, stderr := runCLI(t, "rules", "--rules-dir", policies)
	if code != 0 || !strings.Contains(stdout, "ACME-SG-001") || !strings.Contains(stdout, "AWS-S3-001") {
		t.Errorf("rules: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "explain", "--rules-dir", policies, "acme-rds-001")
	if code != 0 || !strings.Contains(stdout, "# ACME-RDS-001: Database instance class is not an approved one") || strings.Contains(stdout, "docs/rules") {
		t.Errorf("explain: exit %d, stdout:\n%s", code, stdout)
	}
	code, stdout, stderr = runCLI(t, "rules", "test", policies)
	if code != 0 || !strings.HasSuffix(stdout, "1 passed, 0 failed\n") {
		t.Errorf("rules test: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestCustomRulesBroken checks that a rule file with problems is a diagnostic naming its
// file, line and column, and that the scan goes on with the other rules.
func TestCustomRulesBroken(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"main.tf": customTF,
		"policies/broken.yaml": `rules:
  - id: ACME-BAD-001
    title: t
    description: d
    remediation: r
    severity: low
    select: {kinds: [aws_s3_bucket]}
    require: {cel: "resource.tags.owner.size() > 'x'"}
`,
	})
	code, stdout, stderr := runCLI(t, "-f", "json", "--rules", "ACME-RDS-001", dir)
	if got := jsonFindings(t, stdout); code != 2 || len(got) != 1 {
		t.Errorf("exit %d, findings %q: want 2 (a rule that does not load fails closed) and ACME-RDS-001 still reported", code, got)
	}
	want := filepath.Join(dir, "policies", "broken.yaml") + ":8:20: error: invalid custom rule: cel: ERROR"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant a line containing %q", stderr, want)
	}
	code, _, stderr = runCLI(t, "rules", "test", filepath.Join(dir, "policies"))
	if code != 2 || !strings.Contains(stderr, "broken.yaml:8:20") {
		t.Errorf("rules test: exit %d, stderr:\n%s; want 2 and the problem", code, stderr)
	}
}
