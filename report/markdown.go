package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// markdownRows caps the findings table: GitHub accepts at most 1 MiB of job summary per
// step, and a table of thousands of rows helps nobody. The other reports list them all.
const markdownRows = 200

// Markdown writes a GitHub Actions job summary ($GITHUB_STEP_SUMMARY): counts by severity
// with the number of findings `--fix` can fix, a table of the findings from most to least
// severe with links to the rule docs, and the problems with the inputs.
func Markdown(w io.Writer, res *scan.Result, opts Options) error {
	var b strings.Builder
	b.WriteString("## iacscan\n\n")
	b.WriteString(markdownHeadline(res) + "\n")
	if len(res.Findings) > 0 {
		markdownCounts(&b, res.Findings)
		markdownFindings(&b, res.Findings)
	}
	markdownDiagnostics(&b, res.Diagnostics)
	if opts.Version != "" {
		fmt.Fprintf(&b, "\n<sub>iacscan %s</sub>\n", escapeMarkdown(opts.Version))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownHeadline(res *scan.Result) string {
	scanned := fmt.Sprintf("Scanned %s (%s) with %s.", plural(res.Stats.Files, "file"), plural(res.Stats.Resources, "resource"), plural(len(res.Rules), "rule"))
	if res.Stats.FilesFailed > 0 {
		scanned += fmt.Sprintf(" %d could not be parsed.", res.Stats.FilesFailed)
	}
	if note := notReported(res.Stats); note != "" {
		scanned = "Not reported: " + note + ". " + scanned
	}
	if note := unresolvedNote(res.Stats); note != "" {
		scanned += " " + escapeMarkdown(note)
	}
	if len(res.Findings) == 0 {
		return "No findings. " + scanned
	}
	return fmt.Sprintf("**%s.** %s", plural(len(res.Findings), "finding"), scanned)
}

// markdownCounts writes the one-row table of findings by severity and of fixable ones.
func markdownCounts(b *strings.Builder, fs []rules.Finding) {
	counts := severityCounts(fs)
	fixable := 0
	for _, f := range fs {
		if f.Fix != nil && f.Fix.Mode == rules.FixAuto {
			fixable++
		}
	}
	b.WriteString("\n| Critical | High | Medium | Low | Fixable with `--fix` |\n|---:|---:|---:|---:|---:|\n")
	for _, s := range severityOrder {
		fmt.Fprintf(b, "| %d ", counts[s])
	}
	fmt.Fprintf(b, "| %d |\n", fixable)
}

// markdownFindings writes the findings table, most severe first and in report order within
// a severity.
func markdownFindings(b *strings.Builder, fs []rules.Finding) {
	sorted := make([]*rules.Finding, len(fs))
	for i := range fs {
		sorted[i] = &fs[i]
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Severity > sorted[j].Severity })
	b.WriteString("\n### Findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n")
	for _, f := range sorted[:min(len(sorted), markdownRows)] {
		m := metaOf(f)
		rule := escapeMarkdown(m.ID)
		if help := m.HelpURI(); help != "" {
			rule = fmt.Sprintf("[%s](%s)", rule, help)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s%s |\n", f.Severity, rule, markdownLocation(f), escapeMarkdown(f.Message), markdownRelated(f.Related))
	}
	if rest := len(sorted) - markdownRows; rest > 0 {
		fmt.Fprintf(b, "\n%s more not shown here; the text, JSON and SARIF reports list them all.\n", plural(rest, "finding"))
	}
}

// markdownLocation is a finding's place, with the resource's address under it when the
// source does not show it: two instances of one count or for_each block
// (aws_security_group.web["a"] and ["b"]), or a module's resource, share a location.
func markdownLocation(f *rules.Finding) string {
	loc := codeSpan(location(f.Range))
	if generated(f.Resource.Address) {
		loc += "<br>" + codeSpan(f.Resource.Address)
	}
	return loc
}

// markdownRelated lists related locations inside a table cell, one a line: the path of a
// graph finding, or where a value came from.
func markdownRelated(rs []rules.Related) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "<br>↳ %s %s", codeSpan(location(r.Range)), escapeMarkdown(r.Message))
	}
	return b.String()
}

func markdownDiagnostics(b *strings.Builder, diags source.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	b.WriteString("\n### Problems with the input\n\n")
	for _, d := range diags {
		where := ""
		if d.Subject != nil {
			where = codeSpan(location(*d.Subject)) + " "
		}
		text := d.Summary
		if d.Detail != "" {
			text += ": " + d.Detail
		}
		fmt.Fprintf(b, "- %s %s%s\n", d.Severity, where, escapeMarkdown(text))
	}
}

// markdownEscaper backslash-escapes the characters that would turn text quoted from a
// scanned file into markup: emphasis, links, HTML, entities and table cells.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "&", `\&`, "|", `\|`, "~", `\~`, "\r\n", " ", "\n", " ", "\r", " ",
)

func escapeMarkdown(s string) string { return sanitize(markdownEscaper.Replace(s)) }

// codeSpan renders s as inline code. Inside a table a pipe still needs its backslash, and
// a backtick in s needs a longer fence.
func codeSpan(s string) string {
	s = sanitize(strings.ReplaceAll(s, "|", `\|`))
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}
