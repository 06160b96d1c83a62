package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
)

func TestMarkdownGolden(t *testing.T) {
	tests := []struct {
		name, golden string
		res          func(*testing.T) []byte
	}{
		{"sample", "markdown_sample.golden", func(t *testing.T) []byte { return markdown(t, ciResult(t), "1.2.3") }},
		{"clean", "markdown_clean.golden", func(t *testing.T) []byte { return markdown(t, cleanResult(), "") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.golden, tc.res(t)) })
	}
}

func TestMarkdownCounts(t *testing.T) {
	res := manyFindings(2, 3, 1)
	res.Findings[0].Fix = &rules.Fix{Mode: rules.FixAuto}
	res.Findings[3].Fix = &rules.Fix{Mode: rules.FixAuto}
	res.Findings[4].Fix = &rules.Fix{Mode: rules.FixSuggest} // shown, never written: not fixable
	out := lines(markdown(t, res, ""))
	want := []string{
		"| Critical | High | Medium | Low | Fixable with `--fix` |",
		"|---:|---:|---:|---:|---:|",
		"| 2 | 0 | 3 | 1 | 2 |",
	}
	if got := out[4:7]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("counts table:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMarkdownRowLimit(t *testing.T) {
	tests := []struct {
		findings, wantRows int
		wantMore           string
	}{
		{200, 200, ""},
		{203, 200, "3 findings more not shown here; the text, JSON and SARIF reports list them all."},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.findings), func(t *testing.T) {
			out := markdown(t, manyFindings(0, 0, tc.findings), "")
			rows := bytes.Count(out, []byte("\n| low | "))
			if rows != tc.wantRows {
				t.Errorf("got %d table rows, want %d", rows, tc.wantRows)
			}
			got := lines(out)
			last := got[len(got)-1]
			if tc.wantMore == "" && !strings.HasPrefix(last, "| low |") || tc.wantMore != "" && last != tc.wantMore {
				t.Errorf("last line = %q, want %q", last, tc.wantMore)
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct{ in, text, code string }{
		{"plain text", "plain text", "`plain text`"},
		{"a | b", `a \| b`, "`a \\| b`"},
		{"*x* _y_ `z`", "\\*x\\* \\_y\\_ \\`z\\`", "`` *x* _y_ `z` ``"},
		{"<img src=x> & [l](u)", `\<img src=x\> \& \[l\](u)`, "`<img src=x> & [l](u)`"},
		{"two\nlines", "two lines", "`two\uFFFDlines`"},
		{`back\slash`, `back\\slash`, "`back\\slash`"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := escapeMarkdown(tc.in); got != tc.text {
				t.Errorf("escapeMarkdown(%q) = %q, want %q", tc.in, got, tc.text)
			}
			if got := codeSpan(tc.in); got != tc.code {
				t.Errorf("codeSpan(%q) = %q, want %q", tc.in, got, tc.code)
			}
		})
	}
}

func markdown(t *testing.T, res *scan.Result, version string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Markdown(&buf, res, Options{Version: version}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMarkdownUnresolved asserts that the headline counts the checks skipped as
// unresolved, also when nothing was found.
func TestMarkdownUnresolved(t *testing.T) {
	const note = "1 check unresolved: a value is known only at deploy time (--explain-values lists them)."
	clean := cleanResult()
	clean.Stats.Unresolved = 1
	for name, res := range map[string]*scan.Result{"findings": unresolvedResult(t), "clean": clean} {
		if out := string(markdown(t, res, "")); !strings.Contains(out, note) {
			t.Errorf("%s: no %q in:\n%s", name, note, out)
		}
	}
}

// TestMarkdownInstances checks that the table tells apart the instances of one for_each
// block, which share a location, by their addresses, and leaves plain resources alone.
func TestMarkdownInstances(t *testing.T) {
	res := manyFindings(3, 0, 0)
	for i, addr := range []string{`aws_security_group.web["a"]`, `aws_security_group.web["b"]`, "aws_security_group.db"} {
		res.Findings[i].Resource.Address = addr
		res.Findings[i].Range = res.Findings[0].Range
	}
	var rows []string
	for _, l := range lines(markdown(t, res, "")) {
		if strings.HasPrefix(l, "| critical |") {
			rows = append(rows, l)
		}
	}
	rule := "| critical | [AWS-S3-001](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-S3-001.md) | "
	want := []string{
		rule + "`x.tf:1:3`<br>`aws_security_group.web[\"a\"]` | finding 1 |",
		rule + "`x.tf:1:3`<br>`aws_security_group.web[\"b\"]` | finding 2 |",
		rule + "`x.tf:1:3` | finding 3 |",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
