package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules/builtin"
)

// runCLI runs the command line in-process and returns its exit code and streams.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// jsonFindings decodes a JSON report and returns its findings as "path:line:col: ID"
// lines; it fails the test when stdout is anything but one JSON document.
func jsonFindings(t *testing.T, stdout string) []string {
	t.Helper()
	var doc struct {
		Findings []struct {
			RuleID string `json:"rule_id"`
			File   string `json:"file"`
			Range  struct {
				Start struct{ Line, Column int } `json:"start"`
			} `json:"range"`
		} `json:"findings"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than the JSON report:\n%s", stdout)
	}
	out := []string{}
	for _, f := range doc.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s", f.File, f.Range.Start.Line, f.Range.Start.Column, f.RuleID))
	}
	return out
}

// The findings of the fixtures, as jsonFindings renders them.
var (
	findingsAll = []string{
		"testdata/findings/main.tf:8:20: AWS-EC2-002",
		"testdata/findings/serverless.yml:17:21: AWS-EC2-074",
		"testdata/findings/stack.json:9:77: AWS-EC2-003",
		"testdata/findings/stack.yaml:11:19: AWS-EC2-005",
	}
	findingsBastion = []string{"testdata/precommit/bastion.tf:8:20: AWS-EC2-002"}
	findingsMixed   = []string{"testdata/mixed/main.tf:8:20: AWS-EC2-002"}
)

// parseErrors is what a run says on stderr when it fails because one input did not parse.
const parseErrors = "iacscan: 1 input could not be read or parsed (errors above); the reports hold the findings of the others\n" +
	"Fix the inputs, exclude them (exclude-paths), or pass --allow-parse-errors to let the others decide.\n"

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name         string
		args         []string
		code         int
		findings     []string // with -f json: the findings on stdout
		stdoutPrefix string   // otherwise: how stdout starts ("" = empty stdout)
		stderr       string   // exact stderr
	}{
		{name: "findings", args: []string{"-q", "-f", "json", "testdata/findings"}, code: 1, findings: findingsAll},
		{name: "explicit scan command", args: []string{"scan", "-q", "-f", "json", "testdata/findings"}, code: 1, findings: findingsAll},
		{name: "soft fail", args: []string{"-q", "--soft-fail", "-f", "json", "testdata/findings"}, code: 0, findings: findingsAll},
		{name: "fail on critical with medium findings", args: []string{"-q", "--fail-on", "critical", "-f", "json", "testdata/medium"}, code: 0,
			findings: []string{"testdata/medium/main.tf:8:20: AWS-EC2-002"}},
		{name: "fail on medium with medium findings", args: []string{"-q", "--fail-on", "medium", "-f", "json", "testdata/medium"}, code: 1,
			findings: []string{"testdata/medium/main.tf:8:20: AWS-EC2-002"}},
		{name: "fail on critical with a critical finding", args: []string{"-q", "--fail-on", "critical", "-f", "json", "testdata/findings"}, code: 1, findings: findingsAll},
		{name: "rules select", args: []string{"-q", "--rules", "AWS-EC2-003,sg-open-mysql", "-f", "json", "testdata/findings"}, code: 1,
			findings: []string{findingsAll[2], findingsAll[3]}},
		{name: "skip rules by glob", args: []string{"-q", "--skip-rules", "AWS-EC2-00*", "--skip-rules", "EC2-074", "-f", "json", "testdata/findings"}, code: 0,
			findings: []string{}},
		{name: "clean directory", args: []string{"-f", "json", "testdata/clean"}, code: 0, findings: []string{},
			stderr: "iacscan: No findings. Scanned 2 files, 2 resources in 0s.\n"},
		{name: "clean directory, text", args: []string{"testdata/clean"}, code: 0, stdoutPrefix: "No findings. Scanned 2 files, 2 resources in "},
		{name: "one broken input among good ones", args: []string{"-q", "-f", "json", "testdata/mixed"}, code: 2, findings: findingsMixed,
			stderr: "testdata/mixed/stack.yaml:5:5: error: YAML syntax error: did not find expected ',' or ']'\n" + parseErrors},
		{name: "allow parse errors", args: []string{"-q", "--allow-parse-errors", "-f", "json", "testdata/mixed"}, code: 1, findings: findingsMixed,
			stderr: "testdata/mixed/stack.yaml:5:5: error: YAML syntax error: did not find expected ',' or ']'\n"},
		{name: "allow parse errors, soft fail", args: []string{"-q", "--allow-parse-errors", "--soft-fail", "-f", "json", "testdata/mixed"}, code: 0, findings: findingsMixed,
			stderr: "testdata/mixed/stack.yaml:5:5: error: YAML syntax error: did not find expected ',' or ']'\n"},
		{name: "soft fail does not pass parse errors", args: []string{"-q", "--soft-fail", "-f", "json", "testdata/mixed"}, code: 2, findings: findingsMixed,
			stderr: "testdata/mixed/stack.yaml:5:5: error: YAML syntax error: did not find expected ',' or ']'\n" + parseErrors},
		{name: "every input broken", args: []string{"-q", "-f", "json", "testdata/broken"}, code: 2, findings: []string{},
			stderr: "testdata/broken/main.tf:3:11: error: " + unclosedBlock + "\niacscan: no input could be parsed\n"},
		{name: "pre-commit reports only the given files", args: []string{"--pre-commit", "-q", "-f", "json", "testdata/precommit/bastion.tf"}, code: 1,
			findings: findingsBastion},
		{name: "pre-commit without files", args: []string{"--pre-commit"}, code: 0},
		{name: "pre-commit on a directory", args: []string{"--pre-commit", "testdata/precommit"}, code: 2,
			stderr: "iacscan: testdata/precommit is a directory, and --pre-commit (ReportOnly) takes files\n"},
		{name: "summary and a broken file in a subdirectory", args: []string{"-f", "json", "testdata/precommit"}, code: 2,
			findings: []string{"testdata/precommit/bastion.tf:8:20: AWS-EC2-002", "testdata/precommit/desktop.tf:8:20: AWS-EC2-003"},
			stderr: "testdata/precommit/sub/broken.tf:1:30: error: " + unclosedBlock + "\n" +
				"iacscan: 2 findings: 0 critical, 0 high, 2 medium, 0 low. Scanned 3 files (1 failed to parse), 2 resources in 0s.\n" + parseErrors},
		{name: "unknown flag", args: []string{"--bogus"}, code: 2,
			stderr: "iacscan: unknown flag: --bogus\nRun 'iacscan scan --help' for usage.\n"},
		{name: "bad fail-on", args: []string{"--fail-on", "severe", "testdata/clean"}, code: 2,
			stderr: "iacscan: invalid argument \"severe\" for \"--fail-on\" flag: unknown severity \"severe\" (want critical, high, medium or low)\nRun 'iacscan scan --help' for usage.\n"},
		{name: "unknown format", args: []string{"-f", "xml", "testdata/clean"}, code: 2,
			stderr: "iacscan: unknown format \"xml\" (valid: csv, github, gitlab, json, junit, markdown, sarif, text)\nRun 'iacscan scan --help' for usage.\n"},
		{name: "two reports on stdout", args: []string{"-f", "json", "-f", "text", "testdata/clean"}, code: 2,
			stderr: "iacscan: only one report can go to stdout: write the others with --format FORMAT=FILE\nRun 'iacscan scan --help' for usage.\n"},
		{name: "unknown rule", args: []string{"--rules", "AWS-NOPE-001", "testdata/clean"}, code: 2,
			stderr: "iacscan: no rule matches \"AWS-NOPE-001\" (see `iacscan rules`)\n"},
		{name: "no such path", args: []string{"testdata/nope"}, code: 2,
			stderr: "iacscan: scan: stat testdata/nope: no such file or directory\n"},
		{name: "unwritable report file", args: []string{"-f", "json=testdata/nope/report.json", "testdata/clean"}, code: 2,
			stderr: "iacscan: json report: open testdata/nope/report.json: no such file or directory\n"},
		{name: "help", args: []string{"--help"}, code: 0, stdoutPrefix: "iacscan finds cloud-security mistakes"},
		{name: "help command", args: []string{"help"}, code: 0, stdoutPrefix: "iacscan finds cloud-security mistakes"},
		{name: "scan help", args: []string{"scan", "-h"}, code: 0, stdoutPrefix: "Scan files and directories"},
		{name: "version", args: []string{"version"}, code: 0, stdoutPrefix: "iacscan " + displayVersion() + "\n"},
		{name: "--version", args: []string{"--version"}, code: 0, stdoutPrefix: "iacscan " + displayVersion() + "\n"},
		{name: "explain", args: []string{"explain", "sg-open-ssh"}, code: 0, stdoutPrefix: "# AWS-EC2-002: "},
		{name: "explain by alias", args: []string{"explain", "CKV_AWS_25"}, code: 0, stdoutPrefix: "# AWS-EC2-003: "},
		{name: "explain unknown rule", args: []string{"explain", "AWS-NOPE-001"}, code: 2,
			stderr: "iacscan: no rule is named \"AWS-NOPE-001\" (see `iacscan rules`)\n"},
		{name: "explain without ID", args: []string{"explain"}, code: 2,
			stderr: "iacscan: accepts 1 arg(s), received 0\n"},
		{name: "rules", args: []string{"rules"}, code: 0, stdoutPrefix: "ID "},
		{name: "rules as markdown", args: []string{"rules", "--format", "markdown"}, code: 0, stdoutPrefix: "| ID | Name | Severity | Fix | Default | Title |\n"},
		{name: "rules in an unknown format", args: []string{"rules", "--format", "xml"}, code: 2,
			stderr: "iacscan: invalid argument \"xml\" for \"-f, --format\" flag: must be one of text, json, markdown\nRun 'iacscan rules --help' for usage.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, tc.code, stderr)
			}
			switch {
			case tc.findings != nil:
				if got := jsonFindings(t, stdout); !slices.Equal(got, tc.findings) {
					t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.findings, "\n"))
				}
			case tc.stdoutPrefix == "" && stdout != "":
				t.Errorf("stdout should be empty, got:\n%s", stdout)
			case !strings.HasPrefix(stdout, tc.stdoutPrefix):
				t.Errorf("stdout should start with %q, got:\n%s", tc.stdoutPrefix, stdout)
			}
			if got := zeroDuration(stderr); got != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", got, tc.stderr)
			}
		})
	}
}

// scanTime matches the scan time at the end of the summary line on stderr.
var scanTime = regexp.MustCompile(`(?m)^(iacscan: .* in )[0-9.]+[µm]?s\.$`)

// zeroDuration replaces the scan time in summary lines, the one part that varies.
func zeroDuration(s string) string { return scanTime.ReplaceAllString(s, "${1}0s.") }

func TestRunWritesReportFiles(t *testing.T) {
	dir := t.TempDir()
	jsonFile, outFile := filepath.Join(dir, "report.json"), filepath.Join(dir, "out.json")
	tests := []struct {
		name   string
		args   []string
		file   string
		stderr string
	}{
		{"format=file", []string{"-f", "json=" + jsonFile, "-f", "text", "testdata/findings"}, jsonFile,
			"iacscan: wrote the json report to " + jsonFile + "\n"},
		{"output flag", []string{"-q", "-f", "json", "-o", outFile, "testdata/findings"}, outFile, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
			}
			if stderr != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tc.stderr)
			}
			wantStdout := slices.Contains(tc.args, "text")
			if (stdout != "") != wantStdout {
				t.Errorf("stdout (text report expected: %v):\n%s", wantStdout, stdout)
			}
			src, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonFindings(t, string(src)); !slices.Equal(got, findingsAll) {
				t.Errorf("report file findings:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

func TestRunColor(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		terminal bool
		noColor  string
		want     bool
	}{
		{"auto on a terminal", nil, true, "", true},
		{"auto off a terminal", nil, false, "", false},
		{"NO_COLOR", nil, true, "1", false},
		{"empty NO_COLOR is unset", nil, true, "", true},
		{"always beats NO_COLOR", []string{"--color", "always"}, false, "1", true},
		{"never", []string{"--color", "never"}, true, "", false},
		{"a report file is never coloured", []string{"-f", "text=" + filepath.Join(t.TempDir(), "r.txt"), "-f", "json"}, true, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			a := &app{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv:     func(k string) string { return map[string]string{"NO_COLOR": tc.noColor}[k] },
				isTerminal: func(io.Writer) bool { return tc.terminal },
				catalog:    builtin.All(),
			}
			code := a.run(context.Background(), append(tc.args, "testdata/medium"))
			if code != 1 {
				t.Fatalf("exit code %d; stderr:\n%s", code, errOut.String())
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tc.want {
				t.Errorf("coloured = %v, want %v:\n%s", got, tc.want, out.String())
			}
		})
	}
}

func TestRulesJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "rules", "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	var doc struct {
		SchemaVersion string `json:"schema_version"`
		Rules         []struct {
			ID             string `json:"id"`
			Severity       string `json:"severity"`
			DefaultEnabled bool   `json:"default_enabled"`
			HelpURI        string `json:"help_uri"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	all := builtin.All()
	if doc.SchemaVersion != "1" || len(doc.Rules) != len(all) {
		t.Fatalf("schema %q with %d rules, want \"1\" with %d", doc.SchemaVersion, len(doc.Rules), len(all))
	}
	for i, r := range all {
		got := doc.Rules[i]
		if got.ID != r.ID || got.Severity != r.Severity.String() || got.DefaultEnabled == r.DefaultOff || got.HelpURI != r.HelpURI() {
			t.Errorf("rule %d = %+v, want %s", i, got, r.ID)
		}
	}
}

func TestWithDefaultCommand(t *testing.T) {
	root := (&app{}).rootCommand()
	tests := []struct {
		args, want []string
	}{
		{nil, []string{"scan"}},
		{[]string{"infra"}, []string{"scan", "infra"}},
		{[]string{"-f", "json", "."}, []string{"scan", "-f", "json", "."}},
		{[]string{"--", "rules"}, []string{"scan", "--", "rules"}},
		{[]string{"rules"}, []string{"rules"}},
		{[]string{"scan", "x"}, []string{"scan", "x"}},
		{[]string{"explain", "AWS-EC2-002"}, []string{"explain", "AWS-EC2-002"}},
		{[]string{"version"}, []string{"version"}},
		{[]string{"help"}, []string{"help"}},
		{[]string{"-h"}, []string{"-h"}},
		{[]string{"--help"}, []string{"--help"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			if got := withDefaultCommand(root, tc.args); !slices.Equal(got, tc.want) {
				t.Errorf("withDefaultCommand(%q) = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

func TestParseOutputs(t *testing.T) {
	tests := []struct {
		name    string
		formats []string
		output  string
		want    []output
		err     string
	}{
		{name: "default", want: []output{{"text", ""}}},
		{name: "default to a file", output: "r.txt", want: []output{{"text", "r.txt"}}},
		{name: "several", formats: []string{"sarif=r.sarif", "markdown=s.md", "text"},
			want: []output{{"sarif", "r.sarif"}, {"markdown", "s.md"}, {"text", ""}}},
		{name: "output names the one without a file", formats: []string{"sarif=r.sarif", "json"}, output: "r.json",
			want: []output{{"sarif", "r.sarif"}, {"json", "r.json"}}},
		{name: "file name with =", formats: []string{"json=a=b.json"}, want: []output{{"json", "a=b.json"}}},
		{name: "unknown", formats: []string{"yaml"}, err: `unknown format "yaml" (valid: csv, github, gitlab, json, junit, markdown, sarif, text)`},
		{name: "empty file", formats: []string{"json="}, err: "--format json=: no file after ="},
		{name: "output without a stdout format", formats: []string{"json=r.json"}, output: "x",
			err: "--output needs exactly one --format without =FILE, got 0"},
		{name: "output with two stdout formats", formats: []string{"json", "text"}, output: "x",
			err: "--output needs exactly one --format without =FILE, got 2"},
		{name: "two on stdout", formats: []string{"json", "text"},
			err: "only one report can go to stdout: write the others with --format FORMAT=FILE"},
		{name: "same file twice", formats: []string{"json=r", "sarif=./r"}, err: "two reports would be written to ./r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseOutputs(tc.formats, tc.output)
			if gotErr := fmt.Sprint(err); (err != nil || tc.err != "") && gotErr != tc.err {
				t.Fatalf("error %q, want %q", gotErr, tc.err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("outputs %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUseColor(t *testing.T) {
	tests := []struct {
		mode          string
		tty           bool
		noColor, term string
		want          bool
	}{
		{"auto", true, "", "xterm", true},
		{"auto", false, "", "xterm", false},
		{"auto", true, "1", "xterm", false},
		{"auto", true, "", "dumb", false},
		{"always", false, "1", "dumb", true},
		{"never", true, "", "xterm", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s tty=%v NO_COLOR=%q TERM=%s", tc.mode, tc.tty, tc.noColor, tc.term), func(t *testing.T) {
			if got := useColor(tc.mode, tc.tty, tc.noColor, tc.term); got != tc.want {
				t.Errorf("useColor = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBuildVersion(t *testing.T) {
	old := version
	t.Cleanup(func() { version = old })
	version = "v1.4.0"
	if got := buildVersion(); got != "1.4.0" {
		t.Errorf("buildVersion() = %q, want 1.4.0", got)
	}
	if got := displayVersion(); got != "v1.4.0" {
		t.Errorf("displayVersion() = %q, want v1.4.0", got)
	}
}

func TestVersionOf(t *testing.T) {
	module := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/iacscan/iacscan", Version: v}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	tests := []struct {
		name, linked           string
		info                   *debug.BuildInfo
		wantReport, wantOnTerm string
	}{
		{"go install @v1.2.3", "", module("v1.2.3"), "1.2.3", "v1.2.3"},
		{"go install @v2.0.0-rc.1", "", module("v2.0.0-rc.1"), "2.0.0-rc.1", "v2.0.0-rc.1"},
		{"linked wins", "1.4.0", module("v1.2.3"), "1.4.0", "v1.4.0"},
		{"linked with v", "v1.4.0", nil, "1.4.0", "v1.4.0"},
		{"checkout", "", module("(devel)", rev, dirty), "dev", "dev (0123456789ab, modified)"},
		{"checkout, clean", "", module("(devel)", rev), "dev", "dev (0123456789ab)"},
		{"no build info", "", nil, "dev", "dev"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			report, display := versionOf(tc.linked, tc.info)
			if report != tc.wantReport || display != tc.wantOnTerm {
				t.Errorf("versionOf = %q, %q; want %q, %q", report, display, tc.wantReport, tc.wantOnTerm)
			}
		})
	}
}

// unclosedBlock is the Terraform parser's message for the broken fixtures.
const unclosedBlock = "Unclosed configuration block: There is no closing brace for this block before the end of the file. " +
	"This may be caused by incorrect brace nesting elsewhere in this file."

// TestDiagnosticsShownOnce checks that a diagnostic reaches the user once: in the text
// report when it is on the terminal, on stderr when stdout is a pipe or carries JSON.
func TestDiagnosticsShownOnce(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		terminal   bool
		wantStderr bool
	}{
		{"text on a terminal", nil, true, false},
		{"text into a pipe", nil, false, true},
		{"json on a terminal", []string{"-f", "json"}, true, true},
		{"text to a file", []string{"-f", "text=" + filepath.Join(t.TempDir(), "r.txt")}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			a := &app{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv:     func(string) string { return "" },
				isTerminal: func(io.Writer) bool { return tc.terminal },
				catalog:    builtin.All(),
			}
			a.run(context.Background(), append(tc.args, "--allow-parse-errors", "testdata/broken"))
			const diag = "error:"
			inStderr := strings.Count(errOut.String(), "broken") > 0 && strings.Contains(errOut.String(), diag)
			if inStderr != tc.wantStderr {
				t.Errorf("diagnostics on stderr = %v, want %v; stderr:\n%s", inStderr, tc.wantStderr, errOut.String())
			}
		})
	}
}

func TestPluralize(t *testing.T) {
	for _, tc := range []struct {
		n          int
		noun, want string
	}{{1, "file", "1 file"}, {2, "file", "2 files"}, {1, "automatic fix", "1 automatic fix"}, {3, "automatic fix", "3 automatic fixes"}, {0, "finding", "0 findings"}} {
		if got := pluralize(tc.n, tc.noun); got != tc.want {
			t.Errorf("pluralize(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}

func TestQuietHelpSaysWhatItHides(t *testing.T) {
	_, stdout, _ := runCLI(t, "scan", "--help")
	if strings.Contains(stdout, "print no summary on stderr") || !strings.Contains(stdout, "the reports written to files") {
		t.Errorf("-q help:\n%s", stdout)
	}
}

// TestExplainHelpExampleExists checks that the name explain --help gives as an example
// names the rule whose ID it gives next to it.
func TestExplainHelpExampleExists(t *testing.T) {
	_, help, _ := runCLI(t, "explain", "--help")
	if !strings.Contains(help, "(AWS-EC2-002), name (sg-open-ssh)") {
		t.Fatalf("explain --help:\n%s", help)
	}
	code, stdout, _ := runCLI(t, "explain", "sg-open-ssh")
	if code != 0 || !strings.HasPrefix(stdout, "# AWS-EC2-002: ") {
		t.Errorf("explain sg-open-ssh: exit %d\n%s", code, stdout)
	}
}
