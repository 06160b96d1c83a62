package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copyFixture copies testdata/fix into a temporary directory and returns main.tf's path.
func copyFixture(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "fix", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(path, src, 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiffWritesNothing(t *testing.T) {
	path := copyFixture(t)
	before, _ := os.ReadFile(path)
	code, stdout, stderr := runCLI(t, "--diff", "-q", "--rules", "AWS-S3-001,AWS-EC2-002", filepath.Dir(path))
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{
		"-  acl    = \"public-read\" # legacy\n+  acl    = \"private\" # legacy\n",
		"-    cidr_blocks = [\"203.0.113.0/24\", \"0.0.0.0/0\"]\n+    cidr_blocks = [\"203.0.113.0/24\"]\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("diff lacks\n%s\ngot\n%s", want, stdout)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("--diff modified the file")
	}
}

func TestFixThenFixAgain(t *testing.T) {
	path := copyFixture(t)
	before, _ := os.ReadFile(path)
	args := []string{"--fix", "-q", "--rules", "AWS-S3-001,AWS-EC2-002", filepath.Dir(path)}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("first --fix: exit %d (findings left?), stderr %s", code, stderr)
	}
	fixed, _ := os.ReadFile(path)
	want := strings.NewReplacer(`"public-read" # legacy`, `"private" # legacy`, `["203.0.113.0/24", "0.0.0.0/0"]`, `["203.0.113.0/24"]`).Replace(string(before))
	if string(fixed) != want {
		t.Fatalf("fixed file:\n%s\nwant:\n%s", fixed, want)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v not kept", info.Mode().Perm())
	}

	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("second --fix: exit %d, stderr %s", code, stderr)
	}
	again, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	if string(again) != string(fixed) || !info.ModTime().Equal(old) {
		t.Fatal("a second --fix rewrote the file")
	}
}

func TestFixAndDiffTogetherIsAUsageError(t *testing.T) {
	if code, _, stderr := runCLI(t, "--fix", "--diff", "testdata/fix"); code != 2 || !strings.Contains(stderr, "choose one") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}
