package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestGitHubOutput checks that --github-output appends the counts the JSON report of the
// same run has: findings at or above --fail-on, and each severity.
func TestGitHubOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "github_output")
	if err := os.WriteFile(out, []byte("earlier=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "-q", "-f", "json", "--fail-on", "high", "--github-output", out, "testdata/findings")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			Severity string `json:"severity"`
		} `json:"findings"`
		Stats struct {
			BySeverity map[string]int `json:"findings_by_severity"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	failing := rep.Stats.BySeverity["critical"] + rep.Stats.BySeverity["high"]
	want := fmt.Sprintf("earlier=1\nfindings=%d\ncritical=%d\nhigh=%d\nmedium=%d\nlow=%d\n", failing,
		rep.Stats.BySeverity["critical"], rep.Stats.BySeverity["high"], rep.Stats.BySeverity["medium"], rep.Stats.BySeverity["low"])
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("the output file:\n%s\nwant:\n%s", got, want)
	}
	if failing == 0 || failing == len(rep.Findings) {
		t.Errorf("testdata/findings should have findings above and below high (%d of %d)", failing, len(rep.Findings))
	}
	code, _, stderr = runCLI(t, "-q", "--github-output", filepath.Join(out, "nope"), "testdata/findings")
	if code != 2 || stderr == "" {
		t.Errorf("an unwritable output file: exit %d, stderr %q; want 2 and the error", code, stderr)
	}
}
