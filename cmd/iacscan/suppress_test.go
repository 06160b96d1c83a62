package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sshTF opens SSH to the world: AWS-EC2-002 (medium) at 8:20 and nothing else. ignore is
// put on the CIDR's line.
func sshTF(ignore string) string {
	return `resource "aws_security_group" "bastion" {
  name = "bastion"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]` + ignore + `
  }
}
`
}

// repo creates a temporary repository (a .git directory bounds the configuration search)
// with the given files and returns its path.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lastLine is the last line of s.
func lastLine(s string) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return ls[len(ls)-1]
}

func TestIgnoreFlags(t *testing.T) {
	dir := repo(t, map[string]string{
		"ignored/main.tf":   sshTF(" # iacscan:ignore:AWS-EC2-002 bastion, locked down by NACL"),
		"no_reason/main.tf": sshTF(" # iacscan:ignore:CKV_AWS_24"),
		"unused/main.tf":    sshTF("") + "# iacscan:ignore:AWS-EC2-002 stale\n",
	})
	path := func(sub string) string { return filepath.Join(dir, sub) }
	file := func(sub string) string { return filepath.ToSlash(filepath.Join(dir, sub, "main.tf")) }
	tests := []struct {
		name     string
		args     []string
		code     int
		summary  string // the last line of stdout (the text report's summary)
		stderr   string // exact stderr
		findings int    // with -f json: the findings listed
	}{
		{name: "inline ignore", args: []string{path("ignored")}, code: 0,
			summary: "No findings. Not reported: 1 suppressed. Scanned 1 file, 1 resource in 0s."},
		{name: "no ignores", args: []string{"--no-ignores", path("ignored")}, code: 1,
			summary: "1 finding: 0 critical, 0 high, 1 medium, 0 low. Scanned 1 file, 1 resource in 0s."},
		{name: "no reason warns", args: []string{path("no_reason")}, code: 0,
			summary: "No findings. Not reported: 1 suppressed. Scanned 1 file, 1 resource in 0s.",
			stderr:  file("no_reason") + ":8:35: warning: ignore gives no reason: say why the finding is accepted\n"},
		{name: "require reason refuses", args: []string{"--require-reason", path("no_reason")}, code: 1,
			summary: "1 finding: 0 critical, 0 high, 1 medium, 0 low. Scanned 1 file, 1 resource in 0s.",
			stderr:  file("no_reason") + ":8:35: warning: ignore refused: it gives no reason (--require-reason)\n"},
		{name: "unused ignore", args: []string{path("unused")}, code: 1,
			summary: "1 finding: 0 critical, 0 high, 1 medium, 0 low. Scanned 1 file, 1 resource in 0s.",
			stderr: file("unused") + ":11:3: warning: unused ignore: no AWS-EC2-002 finding here: " +
				"remove it, or move it onto the finding's line, the line above, or the resource\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--color", "never"}, tc.args...)...)
			if code != tc.code || stderr != tc.stderr {
				t.Fatalf("exit %d, stderr %q; want %d, %q", code, stderr, tc.code, tc.stderr)
			}
			if got := durationFree(lastLine(stdout)); got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
		})
	}
}

// durationFree replaces the scan's duration in a summary line with 0s.
func durationFree(s string) string {
	if i := strings.LastIndex(s, " in "); i >= 0 {
		return s[:i] + " in 0s."
	}
	return s
}

func TestIncludeSuppressed(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": sshTF(" # iacscan:ignore:AWS-EC2-002:exp:2099-12-31 bastion")})
	for _, include := range []bool{false, true} {
		args := []string{"-q", "-f", "json", dir}
		if include {
			args = append(args, "--include-suppressed")
		}
		code, stdout, _ := runCLI(t, args...)
		var doc struct {
			Findings []struct {
				RuleID     string         `json:"rule_id"`
				Suppressed map[string]any `json:"suppressed"`
			} `json:"findings"`
			Stats struct {
				Suppressed int `json:"suppressed"`
			} `json:"stats"`
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || doc.Stats.Suppressed != 1 {
			t.Fatalf("include=%v: exit %d, %v, stats %+v", include, code, err, doc.Stats)
		}
		if !include {
			if len(doc.Findings) != 0 {
				t.Errorf("suppressed findings listed without --include-suppressed: %+v", doc.Findings)
			}
			continue
		}
		if len(doc.Findings) != 1 || doc.Findings[0].RuleID != "AWS-EC2-002" ||
			doc.Findings[0].Suppressed["kind"] != "inSource" || doc.Findings[0].Suppressed["reason"] != "bastion" ||
			doc.Findings[0].Suppressed["expires"] != "2099-12-31" {
			t.Errorf("with --include-suppressed: %+v", doc.Findings)
		}
	}
}

func TestConfigFile(t *testing.T) {
	dir := repo(t, map[string]string{
		".iacscan.yaml":       "fail-on: high\nexclude-paths: [vendor]\n",
		"infra/main.tf":       sshTF(""),
		"vendor/main.tf":      sshTF(""),
		"strict.yaml":         "severity:\n  AWS-EC2-002: critical\n",
		"broken.yaml":         "rules:\n  disable: [AWS-EC2-999]\nfail_on: high\n",
		"tagged/.iacscan.yml": "exclude-tags: {CASB-Audit: \"No\"}\n",
		"tagged/main.tf":      strings.Replace(sshTF(""), `name = "bastion"`, `name = "bastion"`+"\n  tags = { CASB-Audit = \"No\" }", 1),
	})
	tests := []struct {
		name   string
		args   []string
		code   int
		out    string // the findings of the JSON report
		stderr string
	}{
		{name: "found upward: fail-on high lets the medium finding pass, vendor is excluded",
			args: []string{filepath.Join(dir, "infra")}, code: 0, out: `"AWS-EC2-002"`},
		{name: "the flag wins over the file", args: []string{"--fail-on", "medium", filepath.Join(dir, "infra")}, code: 1},
		{name: "explicit config raises the severity", args: []string{"--config", filepath.Join(dir, "strict.yaml"), filepath.Join(dir, "infra")}, code: 1,
			out: `"severity": "critical"`},
		{name: "tag exclusion", args: []string{filepath.Join(dir, "tagged")}, code: 0, out: `"excluded_resources": 1`},
		{name: "invalid config", args: []string{"--config", filepath.Join(dir, "broken.yaml"), dir}, code: 2,
			stderr: "iacscan: invalid configuration:\n" +
				filepath.Join(dir, "broken.yaml") + ":2:13: rules.disable: unknown rule \"AWS-EC2-999\" (see `iacscan rules`)\n" +
				filepath.Join(dir, "broken.yaml") + ":3:1: unknown key \"fail_on\" (valid: allow-parse-errors, budgets, exclude-paths, exclude-tags, fail-on, fix, gitignore, profile, rules, rules-dir, severity, show-severities)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"-q", "-f", "json"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if tc.stderr != "" && stderr != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tc.stderr)
			}
			if !strings.Contains(stdout, tc.out) {
				t.Errorf("the report lacks %s:\n%s", tc.out, stdout)
			}
		})
	}
	_, stdout, _ := runCLI(t, "-q", "-f", "json", filepath.Join(dir, "infra"))
	if strings.Contains(stdout, "vendor") || !strings.Contains(stdout, `"excluded_files": 0`) {
		t.Errorf("scanning infra/ only: %s", stdout)
	}
	_, stdout, _ = runCLI(t, "-q", "-f", "json", dir)
	if strings.Contains(stdout, "vendor/main.tf") || !strings.Contains(stdout, `"excluded_files": 1`) {
		t.Errorf("exclude-paths: vendor/ should be excluded and counted:\n%s", stdout)
	}
}

func TestBaselineFlags(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": sshTF("")})
	bl := filepath.Join(dir, "baseline.json")
	code, _, stderr := runCLI(t, "--write-baseline", bl, "-f", "json", dir)
	if code != 0 || !strings.Contains(stderr, "iacscan: recorded 1 finding in the baseline "+bl+"\n") {
		t.Fatalf("--write-baseline: exit %d, stderr %q", code, stderr)
	}
	// Lines inserted above the recorded finding do not resurface it.
	moved := "# moved down\n\nvariable \"x\" {\n  default = 1\n}\n\n" + sshTF("")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCLI(t, "--baseline", bl, "--color", "never", dir)
	if want := "No findings. Not reported: 1 in the baseline. Scanned 1 file, 1 resource in 0s."; code != 0 || durationFree(lastLine(stdout)) != want {
		t.Fatalf("--baseline after moving code: exit %d, summary %q; want 0, %q", code, lastLine(stdout), want)
	}
	// A new finding is reported; regenerating keeps the baselined one.
	more := moved + strings.Replace(sshTF(""), `"bastion"`, `"second"`, 2)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCLI(t, "-q", "-f", "json", "--baseline", bl, "--write-baseline", bl, dir)
	if got := jsonFindings(t, stdout); code != 0 || len(got) != 1 || !strings.HasSuffix(got[0], "main.tf:24:20: AWS-EC2-002") {
		t.Fatalf("new finding: exit %d, findings %v", code, got)
	}
	data, err := os.ReadFile(bl)
	if err != nil || strings.Count(string(data), `"fingerprint"`) != 2 {
		t.Fatalf("regenerated baseline should hold both findings:\n%s", data)
	}
	code, _, stderr = runCLI(t, "--baseline", filepath.Join(dir, "missing.json"), dir)
	if code != 2 || !strings.HasPrefix(stderr, "iacscan: baseline: open ") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, stderr)
	}
}

func TestConfigCommands(t *testing.T) {
	dir := repo(t, map[string]string{"bad.yaml": "fail-on: never\n"})
	t.Chdir(dir)
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{name: "validate without a file", args: []string{"config", "validate"}, code: 2,
			stderr: "iacscan: no .iacscan.yaml in this directory or above it\n"},
		{name: "init", args: []string{"config", "init"}, code: 0, stderr: "iacscan: wrote .iacscan.yaml\n"},
		{name: "init refuses to overwrite", args: []string{"config", "init"}, code: 2,
			stderr: "iacscan: .iacscan.yaml exists; use --force to overwrite it\n"},
		{name: "init --force", args: []string{"config", "init", "--force"}, code: 0, stderr: "iacscan: wrote .iacscan.yaml\n"},
		{name: "validate the found file", args: []string{"config", "validate"}, code: 0,
			stdout: filepath.Join(dir, ".iacscan.yaml") + ": valid\n"},
		{name: "validate a bad file", args: []string{"config", "validate", "bad.yaml"}, code: 2,
			stderr: "bad.yaml:1:10: fail-on: got \"never\", want one of: critical, high, medium, low\niacscan: bad.yaml: 1 problem\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
				t.Errorf("exit %d\nstdout %q\nstderr %q\nwant %d, %q, %q", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	code, stdout, _ := runCLI(t, "config", "init", "-")
	if code != 0 || !strings.HasPrefix(stdout, "# iacscan configuration.") || !strings.Contains(stdout, "#   allowed-ports: [80,443]") {
		t.Errorf("init -: exit %d\n%s", code, stdout)
	}
}
