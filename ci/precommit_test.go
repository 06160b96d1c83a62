package ci

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
)

// gitIdentity lets the tests commit in their temporary repositories whatever the machine's
// git configuration.
var gitIdentity = []string{
	"GIT_AUTHOR_NAME=iacscan tests", "GIT_AUTHOR_EMAIL=tests@iacscan.invalid",
	"GIT_COMMITTER_NAME=iacscan tests", "GIT_COMMITTER_EMAIL=tests@iacscan.invalid",
}

// TestPreCommitHooks runs the real pre-commit with try-repo against a committed copy of
// this repository, on a project whose infra/ holds a security group open to the world
// (network.tf) and a rule that only opens it to a private range (office.tf).
func TestPreCommitHooks(t *testing.T) {
	skipIfShort(t)
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (.ci/run installs the Debian package pre-commit)")
	}
	bin := buildIacscan(t)
	hooks := hookRepo(t)
	env := preCommitEnv(t, filepath.Dir(bin))
	tests := []struct {
		hook, file string
		wantCode   int
		wantOutput []string
	}{
		{"iacscan", "infra/network.tf", 1, []string{"iacscan..", "Failed", "infra/network.tf:8:20: medium AWS-EC2-002"}},
		// office.tf refers to the group in network.tf: both are loaded, only office.tf is
		// reported on.
		{"iacscan", "infra/office.tf", 0, []string{"iacscan..", "Passed"}},
		{"iacscan", "README.md", 0, []string{"(no files to check)Skipped"}},
		{"iacscan", ".terraform/modules/vpc/main.tf", 0, []string{"(no files to check)Skipped"}},
		{"iacscan-system", "infra/network.tf", 1, []string{"Failed", "infra/network.tf:8:20: medium AWS-EC2-002"}},
		{"iacscan-system", "infra/office.tf", 0, []string{"Passed"}},
	}
	for _, tc := range tests {
		t.Run(tc.hook+" "+tc.file, func(t *testing.T) {
			project := projectRepo(t)
			r := run(t, project, env, "pre-commit", "try-repo", hooks, tc.hook, "--files", tc.file)
			out := r.stdout + r.stderr
			if r.code != tc.wantCode {
				t.Errorf("pre-commit exited with %d, want %d:\n%s", r.code, tc.wantCode, out)
			}
			for _, want := range tc.wantOutput {
				if !strings.Contains(out, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestPreCommitFixHook runs the iacscan-fix hook: pre-commit must fail because the hook
// rewrote the file, and the rewritten file must no longer have the fixed finding.
func TestPreCommitFixHook(t *testing.T) {
	skipIfShort(t)
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (.ci/run installs the Debian package pre-commit)")
	}
	bin := buildIacscan(t)
	if help := run(t, "", nil, bin, "scan", "--help"); !strings.Contains(help.stdout, "--fix") {
		t.Skip("the iacscan-fix hook runs `iacscan scan --pre-commit --fix`, and `iacscan scan --help` lists no --fix flag yet")
	}
	hooks := hookRepo(t)
	project := projectRepo(t)
	path := filepath.Join(project, "infra", "network.tf")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, project, preCommitEnv(t, filepath.Dir(bin)), "pre-commit", "try-repo", hooks, "iacscan-fix", "--files", "infra/network.tf")
	out := r.stdout + r.stderr
	if r.code != 1 || !strings.Contains(out, "files were modified by this hook") {
		t.Errorf("pre-commit exited with %d, want 1 and the files modified:\n%s", r.code, out)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) == string(before) {
		t.Fatal("the hook did not change infra/network.tf")
	}
	if n := failingCount(t, bin, project, "infra/network.tf", rules.Low, "--rules", "AWS-EC2-002"); n != 0 {
		t.Errorf("AWS-EC2-002 still finds %d problems in the fixed file:\n%s", n, after)
	}
}

// hookRepo commits a copy of this repository's working tree in a temporary repository:
// try-repo reads hooks from a git repository, and this one's git state is not the test's
// to touch.
func hookRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, repoRoot, dir, ".git", "bin")
	commitAll(t, dir)
	return dir
}

// projectRepo is a git repository with the files of testdata/precommit, committed.
func projectRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, filepath.Join("testdata", "precommit"), dir)
	commitAll(t, dir)
	return dir
}

func commitAll(t *testing.T, dir string) {
	t.Helper()
	env := append(cleanEnv(), gitIdentity...)
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "--no-verify", "-m", "test"}} {
		if r := run(t, dir, env, "git", args...); r.code != 0 {
			t.Fatalf("git %s: %s", strings.Join(args, " "), r.stderr)
		}
	}
}

// preCommitEnv isolates pre-commit's cache in a temporary directory, points the Go module
// cache of the golang hook's isolated GOPATH at the machine's so that installing the hook
// downloads nothing already there, and puts binDir, holding iacscan, on PATH for the
// language: system hook.
func preCommitEnv(t *testing.T, binDir string) []string {
	t.Helper()
	modcache := run(t, "", nil, "go", "env", "GOMODCACHE")
	if modcache.code != 0 {
		t.Fatalf("go env GOMODCACHE: %s", modcache.stderr)
	}
	env := append(cleanEnv(), gitIdentity...)
	for i, kv := range env {
		if path, ok := strings.CutPrefix(kv, "PATH="); ok {
			env[i] = "PATH=" + binDir + string(os.PathListSeparator) + path
		}
	}
	return append(env,
		"PRE_COMMIT_HOME="+t.TempDir(),
		"PRE_COMMIT_COLOR=never",
		"GOMODCACHE="+strings.TrimSpace(modcache.stdout),
	)
}
