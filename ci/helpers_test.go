package ci

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
)

// repoRoot is the repository, seen from this package's directory.
const repoRoot = ".."

// result is what a finished command left behind.
type result struct {
	code           int
	stdout, stderr string
}

// run runs name with args in dir and the given environment (nil: the test's own) and
// returns its exit code and output; only a failure to start it fails the test.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// buildIacscan builds cmd/iacscan into a temporary directory and returns the binary.
func buildIacscan(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "iacscan")
	if r := run(t, repoRoot, nil, "go", "build", "-o", bin, "./cmd/iacscan"); r.code != 0 {
		t.Fatalf("go build ./cmd/iacscan:\n%s", r.stderr)
	}
	return bin
}

// skipIfShort skips tests that build binaries and run external tools.
func skipIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the iacscan binary and external tools")
	}
}

// copyDir copies the tree at src into dst, leaving out the entries named in skip: files too,
// since in a git worktree .git is a file pointing back at the real repository, which the
// copy's git commands would then change.
func copyDir(t *testing.T, src, dst string, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && rel != "." && slices.Contains(skip, d.Name()):
			return filepath.SkipDir
		case slices.Contains(skip, d.Name()):
			return nil
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// failingCount counts, independently of the code under test, the findings at or above
// threshold that iacscan reports for path in dir: from its JSON report.
func failingCount(t *testing.T, bin, dir, path string, threshold rules.Severity, extra ...string) int {
	t.Helper()
	return countFindings(t, bin, dir, path, threshold, extra...)["findings"]
}

// countFindings counts from the JSON report, as failingCount, the findings at or above
// threshold ("findings") and those of each severity ("critical", ...).
func countFindings(t *testing.T, bin, dir, path string, threshold rules.Severity, extra ...string) map[string]int {
	t.Helper()
	args := append([]string{"scan", "-q", "-f", "json"}, extra...)
	r := run(t, dir, nil, bin, append(args, path)...)
	if r.code > 1 {
		t.Fatalf("iacscan %v: exit %d\n%s", args, r.code, r.stderr)
	}
	var report struct {
		Findings []struct {
			Severity rules.Severity `json:"severity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("the JSON report: %v", err)
	}
	counts := map[string]int{"findings": 0, "critical": 0, "high": 0, "medium": 0, "low": 0}
	for _, f := range report.Findings {
		if f.Severity >= threshold {
			counts["findings"]++
		}
		counts[f.Severity.String()]++
	}
	return counts
}

// cleanEnv is the test's environment without what a real runner or a hook manager may
// have set around it, so that the simulated runs see only what the tests give them.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "INPUT_") ||
			strings.HasPrefix(name, "RUNNER_") || strings.HasPrefix(name, "PRE_COMMIT") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
