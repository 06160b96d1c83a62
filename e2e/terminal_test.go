package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// summaryLine matches the text report's last line, whose duration varies.
var summaryLine = regexp.MustCompile(`^(.*) in \d+(\.\d+)?[µm]?s\.$`)

// reportFiles runs a JSON scan in dir and returns the files with findings, sorted, and
// the exit code.
func reportFiles(t *testing.T, dir string, args ...string) ([]string, int) {
	t.Helper()
	code, stdout, stderr := iacscanAt(t, dir, append([]string{"-f", "json", "-q"}, args...)...)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var files []string
	for _, f := range decodeReport(t, []byte(stdout)).Findings {
		if !slices.Contains(files, f.File) {
			files = append(files, f.File)
		}
	}
	slices.Sort(files)
	return files, code
}

// TestGitignore: in a repository, what git ignores is not scanned (the root's and a
// nested .gitignore, .git/info/exclude), unless --no-gitignore or `gitignore: false` in
// the configuration; a file named on the command line or committed under --pre-commit is
// scanned even when ignored.
func TestGitignore(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		".gitignore":         "/generated/\n*.local.tf\n",
		".git/info/exclude":  "scratch.tf\n",
		"infra/site.tf":      publicBucket,
		"infra/.gitignore":   "old/\n",
		"infra/old/site.tf":  publicBucket,
		"infra/dev.local.tf": publicBucket,
		"generated/site.tf":  publicBucket,
		"scratch.tf":         publicBucket,
	})
	all := []string{"generated/site.tf", "infra/dev.local.tf", "infra/old/site.tf", "infra/site.tf", "scratch.tf"}
	tests := []struct {
		name   string
		config string
		args   []string
		want   []string
	}{
		{name: "ignored files are not scanned", args: []string{"."}, want: []string{"infra/site.tf"}},
		{name: "from a subdirectory", args: []string{"infra"}, want: []string{"infra/site.tf"}},
		{name: "--no-gitignore", args: []string{"--no-gitignore", "."}, want: all},
		{name: "gitignore: false", config: "gitignore: false\n", args: []string{"."}, want: all},
		{name: "the flag wins over gitignore: true", config: "gitignore: true\n", args: []string{"--no-gitignore", "."}, want: all},
		{name: "named files are scanned", args: []string{"scratch.tf", "infra/dev.local.tf"}, want: []string{"infra/dev.local.tf", "scratch.tf"}},
		{name: "pre-commit files are scanned", args: []string{"--pre-commit", "infra/dev.local.tf"}, want: []string{"infra/dev.local.tf"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setConfig(t, dir, tc.config)
			got, _ := reportFiles(t, dir, tc.args...)
			if !slices.Equal(got, tc.want) {
				t.Errorf("files with findings %v, want %v", got, tc.want)
			}
		})
	}
}

// setConfig writes .iacscan.yaml in dir, or removes it when config is "".
func setConfig(t *testing.T, dir, config string) {
	t.Helper()
	path := filepath.Join(dir, ".iacscan.yaml")
	if config == "" {
		os.Remove(path)
		return
	}
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExamplesStillScan: the repository's own .gitignore hides none of the examples.
func TestExamplesStillScan(t *testing.T) {
	with, _ := reportFiles(t, repoRoot, "examples")
	without, _ := reportFiles(t, repoRoot, "--no-gitignore", "examples")
	if len(with) == 0 || !slices.Equal(with, without) {
		t.Errorf("examples with findings: %v with .gitignore, %v without", with, without)
	}
}

// TestSeverityFilter: --severity (and show-severities in the configuration) decides what
// every report shows; what it hides is counted and fails no run, whatever --fail-on says.
func TestSeverityFilter(t *testing.T) {
	dir := writeRepo(t, map[string]string{"site.tf": publicBucket}) // 1 critical, 1 high, 1 medium, 2 low
	tests := []struct {
		name     string
		config   string
		args     []string
		wantCode int
		want     []string // rule IDs in the JSON report
		hidden   int
	}{
		{name: "a list", args: []string{"--severity", "CRITICAL,high"}, wantCode: 1, want: []string{"AWS-S3-016", "AWS-S3-001"}, hidden: 3},
		{name: "a minimum", args: []string{"--severity", "medium+"}, wantCode: 1, want: []string{"AWS-S3-016", "AWS-S3-026", "AWS-S3-001"}, hidden: 2},
		{name: "one severity", args: []string{"--severity", "low"}, wantCode: 1, want: []string{"AWS-S3-011", "AWS-S3-012"}, hidden: 3},
		{name: "hidden findings fail nothing", args: []string{"--severity", "low", "--fail-on", "medium"}, wantCode: 0, want: []string{"AWS-S3-011", "AWS-S3-012"}, hidden: 3},
		{name: "the configuration", config: "show-severities: [critical]\n", wantCode: 1, want: []string{"AWS-S3-001"}, hidden: 4},
		{name: "the flag wins", config: "show-severities: critical+\n", args: []string{"--severity", "low"}, wantCode: 1, want: []string{"AWS-S3-011", "AWS-S3-012"}, hidden: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setConfig(t, dir, tc.config)
			code, stdout, stderr := iacscanAt(t, dir, append([]string{"-f", "json"}, append(tc.args, ".")...)...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			var rep struct {
				Findings []struct {
					RuleID string `json:"rule_id"`
				} `json:"findings"`
				Stats struct {
					Hidden int `json:"hidden_by_severity"`
				} `json:"stats"`
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range rep.Findings {
				ids = append(ids, f.RuleID)
			}
			if !slices.Equal(ids, tc.want) || rep.Stats.Hidden != tc.hidden {
				t.Errorf("findings %v with %d hidden, want %v with %d", ids, rep.Stats.Hidden, tc.want, tc.hidden)
			}
		})
	}
	code, _, stderr := iacscanAt(t, dir, "--severity", "severe", ".")
	if want := "iacscan: invalid argument \"severe\" for \"--severity\" flag: unknown severity \"severe\" (want critical, high, medium or low)\nRun 'iacscan scan --help' for usage.\n"; code != 2 || stderr != want {
		t.Errorf("--severity severe: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
}

// TestCompactAndSeverityText: the compact text report with a severity filter, line by
// line, and the summary saying what the filter hid.
func TestCompactAndSeverityText(t *testing.T) {
	dir := writeRepo(t, map[string]string{"site.tf": publicBucket})
	code, stdout, stderr := iacscanAt(t, dir, "--compact", "--severity", "high+", ".")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	want := []string{
		"site.tf:1:1: high AWS-S3-016 Bucket has no default server-side encryption",
		"  bucket has no default server-side encryption configuration",
		"site.tf:3:12: critical AWS-S3-001 Bucket ACL grants READ to everyone",
		`  bucket ACL "public-read" grants READ to everyone (AllUsers)`,
		"",
		"2 findings: 1 critical, 1 high, 0 medium, 0 low. Not reported: 3 of other severities. Scanned 1 file, 1 resource",
	}
	if n := len(lines) - 1; n >= 0 {
		lines[n] = summaryLine.ReplaceAllString(lines[n], "$1")
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("stdout:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestMarkdownTellsInstancesApart: two instances of one for_each block share a location;
// the job summary's table names each by its address.
func TestMarkdownTellsInstancesApart(t *testing.T) {
	dir := writeRepo(t, map[string]string{"sg.tf": `resource "aws_security_group" "web" {
  for_each = toset(["a", "b"])
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`})
	code, stdout, stderr := iacscanAt(t, dir, "-q", "-f", "markdown", "--rules", "AWS-EC2-002", ".")
	if code != 1 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var rows []string
	for line := range strings.Lines(stdout) {
		if strings.HasPrefix(line, "| medium |") {
			rows = append(rows, strings.TrimSuffix(line, "\n"))
		}
	}
	link := "[AWS-EC2-002](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-002.md)"
	want := []string{
		"| medium | " + link + " | `sg.tf:7:20`<br>`aws_security_group.web[\"a\"]` | security group rule allows SSH (tcp/22) from 0.0.0.0/0 |",
		"| medium | " + link + " | `sg.tf:7:20`<br>`aws_security_group.web[\"b\"]` | security group rule allows SSH (tcp/22) from 0.0.0.0/0 |",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}

// TestStdoutToDevNull: /dev/null is a character device but no terminal. With the report
// thrown away there, the diagnostics must still reach stderr, and no progress display
// either: stderr is a pipe.
func TestStdoutToDevNull(t *testing.T) {
	dir := writeRepo(t, map[string]string{"site.tf": publicBucket, "broken.tf": "resource \"aws_s3_bucket\" \"b\" {\n"})
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer devNull.Close()
	var errOut bytes.Buffer
	cmd := exec.Command(binary, "--allow-parse-errors", ".")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = devNull, &errOut
	var exit *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit %v, stderr:\n%s", err, errOut.String())
	}
	want := "broken.tf:1:30: error: Unclosed configuration block: There is no closing brace for this block before the end of the file. " +
		"This may be caused by incorrect brace nesting elsewhere in this file.\n"
	if got := errOut.String(); !strings.HasPrefix(got, "broken.tf:") || got != want {
		t.Errorf("stderr %q\nwant %q", got, want)
	}
}

// TestNoProgressOffTerminal: a scan whose stderr is a pipe prints no progress display, not
// even for a long scan; with -q and a JSON report, stderr stays empty.
func TestNoProgressOffTerminal(t *testing.T) {
	code, stdout, stderr := iacscan(t, "-q", "-f", "json", "examples")
	if code != 1 || stderr != "" {
		t.Errorf("exit %d, stderr %q: want 1 and nothing", code, stderr)
	}
	if strings.ContainsAny(stdout, "\r\x1b") {
		t.Errorf("the JSON report holds terminal control characters")
	}
}

// TestComplianceSeesHiddenFindings: a control does not pass because --severity hides the
// finding that fails it.
func TestComplianceSeesHiddenFindings(t *testing.T) {
	dir := writeRepo(t, map[string]string{"sg.tf": `resource "aws_security_group" "ssh" {
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`})
	code, stdout, stderr := iacscanAt(t, dir, "-q", "--compliance", "cis-aws", "--severity", "critical", ".")
	if code != 0 {
		t.Fatalf("exit %d (the medium finding is hidden: nothing fails), stderr:\n%s", code, stderr)
	}
	for line := range strings.Lines(stdout) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "6.3" {
			if got := strings.Join(f[1:], " "); !strings.HasPrefix(got, "fail AWS-EC2-002 (1) ") {
				t.Errorf("control 6.3: %q, want it failed by AWS-EC2-002", got)
			}
			return
		}
	}
	t.Errorf("no control 6.3 in:\n%s", stdout)
}

// TestBaselineRecordsHiddenFindings: a baseline written under --severity accepts every
// finding of the run, shown or not, so that a later run without the filter is clean.
func TestBaselineRecordsHiddenFindings(t *testing.T) {
	dir := writeRepo(t, map[string]string{"site.tf": publicBucket})
	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := iacscanAt(t, dir, "-q", "--severity", "critical", "--write-baseline", base, "."); code != 0 {
		t.Fatalf("write-baseline: exit %d, stderr:\n%s", code, stderr)
	}
	code, stdout, stderr := iacscanAt(t, dir, "-f", "json", "--baseline", base, ".")
	if code != 0 {
		t.Fatalf("exit %d with the baseline, stderr:\n%s", code, stderr)
	}
	if rep := decodeReport(t, []byte(stdout)); len(rep.Findings) != 0 || rep.Stats.Baselined != 5 {
		t.Errorf("%d findings, %d baselined: want 0 and 5", len(rep.Findings), rep.Stats.Baselined)
	}
}
