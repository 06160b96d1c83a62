package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

func TestTextGolden(t *testing.T) {
	tests := []struct {
		name   string
		res    *scan.Result
		color  bool
		golden string
		opts   Options
	}{
		{"findings", sampleResult(t), false, "text.golden", Options{}},
		{"findings in colour", sampleResult(t), true, "text-color.golden", Options{}},
		{"clean", cleanResult(), false, "text-clean.golden", Options{}},
		{"compact", sampleResult(t), false, "text-compact.golden", Options{Compact: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			tc.opts.Color, tc.opts.Version = tc.color, "1.2.3"
			if err := Text(&out, tc.res, tc.opts); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, out.Bytes())
		})
	}
}

// TestTextSnippet pins the parts of the layout a reader relies on, independently of the
// goldens: the location line, the caret under the start column and the summary.
func TestTextSnippet(t *testing.T) {
	var out bytes.Buffer
	if err := Text(&out, sampleResult(t), Options{}); err != nil {
		t.Fatal(err)
	}
	got := lines(out.Bytes())
	want := map[int]string{
		0:  "infra/main.tf",
		6:  "    remediation: Add a `server_side_encryption_configuration` with AES256 or aws:kms. See " + noEncryption.HelpURI(),
		8:  "  infra/main.tf:3:12: critical AWS-S3-001 Bucket ACL grants READ to everyone",
		10: `    3 |   acl    = "public-read"`,
		11: `      |            ^^^^^^^^^^^^^`,
		18: `      | ...`,
		24: "       | \t\t" + strings.Repeat(" ", 29) + "^^^^^^^^^^^",
		25: "    remediation: Restrict the source to known ranges, e.g. the office VPN. See " + openSSH.HelpURI(),
		29: "  infra/stack.yaml:11:87: medium AWS-EC2-005 Security group allows MySQL (3306) from the internet",
		31: `    11 |         - {Description: "ünï", IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !Ref Cidr}`,
		32: "       | " + strings.Repeat(" ", 86) + "^^^^^^^^^",
		33: "    related: infra/stack.yaml:4:14: value defined here",
		34: "    docs: " + openMySQL.HelpURI(),
		38: `  infra/broken.json:3:5: error: Invalid JSON: unexpected "}"`,
		39: "  warning: infra/notes.yaml: not a Terraform, CloudFormation or serverless file; skipped",
		41: "5 findings: 1 critical, 1 high, 2 medium, 1 low. Scanned 3 files (1 failed to parse), 3 resources in 12ms.",
	}
	for i, w := range want {
		if i >= len(got) {
			t.Errorf("line %d missing, want %q", i, w)
			continue
		}
		if got[i] != w {
			t.Errorf("line %d:\n got %q\nwant %q", i, got[i], w)
		}
	}
	if len(got) != 42 {
		t.Errorf("got %d lines, want 42:\n%s", len(got), out.String())
	}
}

// TestTextExplainValues asserts that --explain-values prints the trace of a computed value
// under its finding, ending at the attribute that uses it, and nothing for written values.
func TestTextExplainValues(t *testing.T) {
	var plain, explained bytes.Buffer
	if err := Text(&plain, sampleResult(t), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&explained, sampleResult(t), Options{ExplainValues: true}); err != nil {
		t.Fatal(err)
	}
	got := lines(explained.Bytes())
	want := []string{
		"    related: infra/stack.yaml:4:14: value defined here",
		"    value computed:",
		"        infra/stack.yaml:4:14: parameter Cidr default",
		"      → infra/stack.yaml:11:87: SecurityGroupIngress[0].CidrIp",
		"    docs: " + openMySQL.HelpURI(),
	}
	i := slices.Index(got, want[0])
	if i < 0 || !slices.Equal(got[i:min(i+len(want), len(got))], want) {
		t.Errorf("explained finding:\n%s\nwant the lines\n%s", explained.String(), strings.Join(want, "\n"))
	}
	if extra := len(got) - len(lines(plain.Bytes())); extra != 3 {
		t.Errorf("--explain-values added %d lines, want 3 (one finding has a trace)", extra)
	}
}

// TestTextUnresolved asserts that the summary counts the checks skipped as unresolved and
// that --explain-values lists them with what they read.
func TestTextUnresolved(t *testing.T) {
	for _, explain := range []bool{false, true} {
		var out bytes.Buffer
		res := unresolvedResult(t)
		res.Unresolved[0].Related = []rules.Related{{Range: res.Findings[0].Range, Message: "may configure this bucket"}}
		if err := Text(&out, res, Options{ExplainValues: explain}); err != nil {
			t.Fatal(err)
		}
		got := lines(out.Bytes())
		summary := "5 findings: 1 critical, 1 high, 2 medium, 1 low. Scanned 3 files (1 failed to parse), 3 resources in 12ms. " +
			"1 check unresolved: a value is known only at deploy time (--explain-values lists them)."
		if last := got[len(got)-1]; last != summary {
			t.Errorf("explain=%v: summary\n got %q\nwant %q", explain, last, summary)
		}
		listed := []string{
			"Unresolved: not checked, a value is known only at deploy time",
			"",
			"  infra/main.tf:8:17: AWS-EC2-002 port is not known statically",
			"    resource: aws_security_group.web",
			"    reads: var.port",
			"    related: infra/main.tf:1:1: may configure this bucket",
		}
		i := slices.Index(got, listed[0])
		if explain != (i >= 0) {
			t.Fatalf("explain=%v: unresolved section at line %d:\n%s", explain, i, out.String())
		}
		if explain && !slices.Equal(got[i:min(i+len(listed), len(got))], listed) {
			t.Errorf("unresolved section:\n%s\nwant\n%s", strings.Join(got[i:], "\n"), strings.Join(listed, "\n"))
		}
	}
}

func TestTextWriteError(t *testing.T) {
	if err := Text(failingWriter{}, sampleResult(t), Options{}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Text on a failing writer = %v, want %v", err, os.ErrClosed)
	}
}

func TestTextWithoutRuleOrFile(t *testing.T) {
	// A finding without rule metadata or in a file the result does not hold still prints.
	res := &scan.Result{Findings: []rules.Finding{{Severity: rules.High, Message: "m",
		Range: source.Range{Path: "gone.tf", Start: source.Pos{Line: 2, Column: 3, Byte: 9}}}}}
	var out bytes.Buffer
	if err := Text(&out, res, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "gone.tf\n\n  gone.tf:2:3: high  \n    m\n\n1 finding: 0 critical, 1 high, 0 medium, 0 low. Scanned 0 files, 0 resources in 0s.\n"
	if out.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", out.String(), want)
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"one sentence", "Set `acl` to `private`.", "Set `acl` to `private`."},
		{"two sentences", "Block it. Then rotate keys.", "Block it."},
		{"abbreviation", "Restrict it, e.g. to the VPN. Or not.", "Restrict it, e.g. to the VPN."},
		{"wrapped paragraph", "\n\n  Add encryption\n  with KMS. More.", "Add encryption with KMS."},
		{"first paragraph only", "Add encryption\n\nWith KMS.", "Add encryption"},
		{"question", "Why? Because.", "Why?"},
		{"no space after stop", "Use v1.2.Then", "Use v1.2.Then"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := firstSentence(tc.in); got != tc.want {
				t.Errorf("firstSentence(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestUnderline(t *testing.T) {
	pos := func(line, col int) source.Pos { return source.Pos{Line: line, Column: col} }
	tests := []struct {
		name, line  string
		start, end  source.Pos
		pad, carets string
	}{
		{"word", `acl = "x"`, pos(1, 7), pos(1, 10), "      ", "^^^"},
		{"tabs kept", "\t\tx = 1", pos(1, 3), pos(1, 4), "\t\t", "^"},
		{"runes not bytes", `"ü" = 1`, pos(1, 5), pos(1, 6), "    ", "^"},
		{"empty range", "abc", pos(1, 2), pos(1, 2), " ", "^"},
		{"multi-line range marks the start", "abc", pos(1, 2), pos(3, 1), " ", "^"},
		{"past the end of the line", "ab", pos(1, 9), pos(1, 12), "  ", "^"},
		{"column zero", "ab", pos(1, 0), pos(1, 2), "", "^"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pad, carets := underline([]rune(tc.line), source.Range{Start: tc.start, End: tc.end})
			if pad != tc.pad || carets != tc.carets {
				t.Errorf("underline = %q, %q; want %q, %q", pad, carets, tc.pad, tc.carets)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext ü", "plain\ttext ü"},
		{"evil\x1b[2Jclear", "evil\uFFFD[2Jclear"},
		{"bell\a\r", "bell\uFFFD\uFFFD"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := sanitize(tc.in); got != tc.want {
				t.Errorf("sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzTextRange feeds the text report ranges that do not fit the file: it must never
// panic, whatever a buggy rule or parser reports.
func FuzzTextRange(f *testing.F) {
	f.Add("acl = 1\n", 1, 7, 1, 8, uint8(rules.High))
	f.Add("a\n\tb\nc", 2, 1, 9, 0, uint8(0))
	f.Add("", -1, -5, -2, 0, uint8(9))
	f.Fuzz(func(t *testing.T, src string, startLine, startCol, endLine, endCol int, sev uint8) {
		file := source.NewFile("f.tf", []byte(src))
		at := source.Range{Path: file.Path, Start: source.Pos{Line: startLine, Column: startCol}, End: source.Pos{Line: endLine, Column: endCol}}
		res := &scan.Result{
			Files:    []*source.File{file},
			Findings: []rules.Finding{{Severity: rules.Severity(sev), Range: at, Related: []rules.Related{{Range: at}}}},
		}
		if err := Text(io.Discard, res, Options{Color: true}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestGenerated(t *testing.T) {
	tests := []struct {
		address string
		want    bool
	}{
		{"aws_s3_bucket.site", false},
		{"Bucket", false},
		{`aws_s3_bucket.site["logs"]`, true},
		{"aws_security_group_rule.rdp[0]", true},
		{"module.web.aws_security_group.this", true},
		{"functions.hello", false},
	}
	for _, tc := range tests {
		if got := generated(tc.address); got != tc.want {
			t.Errorf("generated(%q) = %v, want %v", tc.address, got, tc.want)
		}
	}
}

// TestExcerpt asserts that a long line is cut around the finding, with the underline
// still under it, and that a short line is shown whole.
func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", 500) + `"acl":"public-read"` + strings.Repeat("x", 500)
	f := source.NewFile("t.json", []byte("{\n"+long+"\n}\n"))
	at := 2 + len(strings.Repeat("é", 500))
	text, shift := excerpt(f, 2, at)
	if len(text) != excerptWidth+2 || text[0] != '…' || text[len(text)-1] != '…' {
		t.Fatalf("excerpt = %q (%d runes), want %d runes between ellipses", string(text), len(text), excerptWidth)
	}
	r := f.Range(at, at+len(`"acl"`))
	r.Start.Column -= shift
	r.End.Column -= shift
	pad, carets := underline(text, r)
	if got := string(text[len([]rune(pad)):][:len(carets)]); got != `"acl"` || len(pad) != excerptContext+1 {
		t.Fatalf("underline covers %q after %d columns, want %q after %d", got, len(pad), `"acl"`, excerptContext+1)
	}
	if text, shift := excerpt(f, 1, 2); string(text) != "{" || shift != 0 {
		t.Fatalf("short line excerpt = %q, %d", string(text), shift)
	}
}

// TestSummaryHiddenBySeverity checks that the findings --severity hides are counted in
// the summary, so that a filtered report never looks cleaner than the code is.
func TestSummaryHiddenBySeverity(t *testing.T) {
	res := manyFindings(1, 0, 0)
	res.Stats = scan.Stats{Files: 1, Resources: 2, HiddenBySeverity: 3}
	want := "1 finding: 1 critical, 0 high, 0 medium, 0 low. Not reported: 3 of other severities. Scanned 1 file, 2 resources in 0s."
	if got := Summary(res); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}
