package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
)

// repoRoot is where the tests run the binary, as a user at the top of a checkout would.
const repoRoot = ".."

// testVersion is linked into the binary, which also tests the -ldflags hook.
const testVersion = "9.9.9-e2e"

// binary is the iacscan built once by TestMain.
var binary string

func TestMain(m *testing.M) { os.Exit(buildAndRun(m)) }

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "iacscan-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "iacscan")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", binary, "./cmd/iacscan")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building iacscan: %v\n", err)
		return 1
	}
	return m.Run()
}

// iacscan runs the binary in the repository root and returns its exit code and streams.
func iacscan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return iacscanAt(t, repoRoot, args...)
}

// iacscanAt runs the binary in dir (the binary's path is absolute).
func iacscanAt(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// exampleInputs names the example files of each input format, relative to the root.
var exampleInputs = []struct{ format, pattern string }{
	{"terraform", "examples/terraform/*.tf"},
	{"cloudformation-yaml", "examples/cloudformation/web-stack.yaml"},
	{"cloudformation-json", "examples/cloudformation/batch-stack.json"},
	{"serverless", "examples/serverless/serverless.yml"},
}

// families are the rule families every example format has findings of.
var families = []string{"AWS-S3-", "AWS-EC2-"}

// textFinding matches a finding's first line in the text report.
var textFinding = regexp.MustCompile(`^  (\S+):(\d+):(\d+): (critical|high|medium|low) (AWS-[A-Z0-9]+-\d{3}) `)

func TestScanExamplesText(t *testing.T) {
	code, stdout, stderr := iacscan(t, "examples")
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Errorf("stdout is coloured although it is no terminal and NO_COLOR is set")
	}
	found := map[string][]string{} // file -> rule IDs
	for line := range strings.Lines(stdout) {
		if m := textFinding.FindStringSubmatch(line); m != nil {
			found[m[1]] = append(found[m[1]], m[5])
		}
	}
	checkFamilies(t, found)
}

func TestScanExamplesJSON(t *testing.T) {
	code, stdout, stderr := iacscan(t, "--format", "json", "examples")
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	rep := decodeReport(t, []byte(stdout))
	if rep.Tool.Version != testVersion {
		t.Errorf("tool.version %q, want %q", rep.Tool.Version, testVersion)
	}
	found := map[string][]string{}
	sources := map[string][]byte{}
	for _, f := range rep.Findings {
		found[f.File] = append(found[f.File], f.RuleID)
		if sources[f.File] == nil {
			src, err := os.ReadFile(filepath.Join(repoRoot, f.File))
			if err != nil {
				t.Fatalf("%s: finding in a file that does not exist: %v", f.RuleID, err)
			}
			sources[f.File] = src
		}
		t.Run(fmt.Sprintf("%s:%d:%d %s", f.File, f.Range.Start.Line, f.Range.Start.Column, f.RuleID), func(t *testing.T) {
			text := checkRange(t, sources[f.File], f.Range)
			for _, rel := range f.Related {
				src, err := os.ReadFile(filepath.Join(repoRoot, rel.File))
				if err != nil {
					t.Fatalf("related location in a file that does not exist: %v", err)
				}
				text += "\n" + checkRange(t, src, rel.Range)
			}
			checkOffendingText(t, f.RuleID, text)
		})
	}
	checkFamilies(t, found)
	if got, want := len(rep.Findings), rep.Stats.FindingsBySeverity.total(); got != want {
		t.Errorf("%d findings, but findings_by_severity adds up to %d", got, want)
	}
}

// TestReportFiles writes several reports in one run: each file holds the report, stdout
// holds only the one without a file.
func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	jsonFile, textFile := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.txt")
	code, stdout, stderr := iacscan(t, "-q", "-f", "json="+jsonFile, "-f", "text="+textFile, "-f", "json", "examples")
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr should be empty with -q and no diagnostics:\n%s", stderr)
	}
	fromFile, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	a, b := decodeReport(t, fromFile), decodeReport(t, []byte(stdout))
	if len(a.Findings) == 0 || len(a.Findings) != len(b.Findings) {
		t.Errorf("the JSON file has %d findings, stdout %d", len(a.Findings), len(b.Findings))
	}
	text, err := os.ReadFile(textFile)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d findings: ", len(a.Findings))
	if last := lastLine(string(text)); !strings.HasPrefix(last, want) {
		t.Errorf("the text report ends with %q, want it to start with %q", last, want)
	}
}

func TestRulesJSON(t *testing.T) {
	code, stdout, stderr := iacscan(t, "rules", "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	var doc struct {
		Rules []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, r := range doc.Rules {
		got = append(got, r.ID+" "+r.Title)
	}
	for _, r := range builtin.All() {
		want = append(want, r.ID+" "+r.Title)
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules --format json lists:\n%s\nwant every rule:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExplain(t *testing.T) {
	r := rules.Lookup(builtin.All(), "AWS-EC2-002")
	if r == nil {
		t.Fatal("AWS-EC2-002 is not in the catalog")
	}
	code, stdout, stderr := iacscan(t, "explain", "AWS-EC2-002")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	want := rules.Doc(&r.Meta) + "\nDocumentation: " + r.HelpURI() + "\n"
	if stdout != want {
		t.Errorf("explain printed:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := iacscan(t, args...)
		if code != 0 || stderr != "" || stdout != "iacscan v"+testVersion+"\n" {
			t.Errorf("%s: exit code %d, stdout %q, stderr %q", args[0], code, stdout, stderr)
		}
	}
}

// checkFamilies checks that the files of every example format have findings of every
// rule family.
func checkFamilies(t *testing.T, found map[string][]string) {
	t.Helper()
	for _, in := range exampleInputs {
		files, err := filepath.Glob(filepath.Join(repoRoot, in.pattern))
		if err != nil || len(files) == 0 {
			t.Fatalf("no example file matches %s", in.pattern)
		}
		var ids []string
		for _, f := range files {
			rel, _ := filepath.Rel(repoRoot, f)
			ids = append(ids, found[filepath.ToSlash(rel)]...)
		}
		for _, family := range families {
			if !slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, family) }) {
				t.Errorf("%s: no %s* finding in %s (found %v)", in.format, family, in.pattern, ids)
			}
		}
	}
}

// offendingText is the text that findings of a rule family point at, themselves or through
// a related location: a world CIDR for the security-group rules, a public canned ACL for
// the S3 ACL rules.
var offendingText = []struct{ rules, text *regexp.Regexp }{
	{regexp.MustCompile(`^AWS-EC2-`), regexp.MustCompile(`(0\.0\.0\.0|::)/0`)},
	{regexp.MustCompile(`^AWS-S3-0(0[1-9]|10)$`), regexp.MustCompile(`(?i)(public|authenticated)-?read`)},
}

func checkOffendingText(t *testing.T, ruleID, text string) {
	t.Helper()
	for _, o := range offendingText {
		if o.rules.MatchString(ruleID) && !o.text.MatchString(text) {
			t.Errorf("%s points at %q, which does not match %s", ruleID, text, o.text)
		}
	}
}

// checkRange checks that a range points at real text, the byte offsets and the line and
// column agreeing, and returns the text.
func checkRange(t *testing.T, src []byte, r jsonRange) string {
	t.Helper()
	if r.Start.Byte < 0 || r.Start.Byte >= r.End.Byte || r.End.Byte > len(src) {
		t.Fatalf("byte range [%d, %d) is empty or outside the file (%d bytes)", r.Start.Byte, r.End.Byte, len(src))
	}
	for _, p := range []jsonPos{r.Start, r.End} {
		lineStart := bytes.LastIndexByte(src[:p.Byte], '\n') + 1
		line := bytes.Count(src[:p.Byte], []byte("\n")) + 1
		column := utf8.RuneCount(src[lineStart:p.Byte]) + 1
		if line != p.Line || column != p.Column {
			t.Errorf("byte %d is at %d:%d, the report says %d:%d", p.Byte, line, column, p.Line, p.Column)
		}
	}
	return string(src[r.Start.Byte:r.End.Byte])
}

type (
	jsonReport struct {
		Tool     struct{ Version string } `json:"tool"`
		Findings []struct {
			RuleID  string    `json:"rule_id"`
			File    string    `json:"file"`
			Range   jsonRange `json:"range"`
			Related []struct {
				File  string    `json:"file"`
				Range jsonRange `json:"range"`
			} `json:"related"`
		} `json:"findings"`
		Stats struct {
			FindingsBySeverity severities `json:"findings_by_severity"`
			Baselined          int        `json:"baselined"`
			HiddenBySeverity   int        `json:"hidden_by_severity"`
		} `json:"stats"`
	}
	jsonRange  struct{ Start, End jsonPos }
	jsonPos    struct{ Line, Column, Byte int }
	severities struct{ Critical, High, Medium, Low int }
)

func (s severities) total() int { return s.Critical + s.High + s.Medium + s.Low }

// decodeReport decodes a JSON report and fails unless src is exactly one JSON document.
func decodeReport(t *testing.T, src []byte) jsonReport {
	t.Helper()
	var rep jsonReport
	dec := json.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, src)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", src)
	}
	return rep
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}
