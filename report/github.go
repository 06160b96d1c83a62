package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/sethvargo/go-githubactions"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// annotationLimit is how many annotations of each level (error, warning, notice) GitHub
// shows for one step; it drops the rest silently.
const annotationLimit = 10

// GitHub writes workflow commands (`::error file=…,line=…::message`) that the Actions
// runner turns into annotations on the pull request. They need no token, so they work on
// pull requests from forks and without code scanning. Input problems come first, then the
// findings from most to least severe, so that the annotations GitHub keeps are the ones
// that matter; what does not fit is printed as plain log lines and counted in a final
// notice.
func GitHub(w io.Writer, res *scan.Result, _ Options) error {
	anns := githubAnnotations(res)
	budget := annotationBudget(anns)
	omitted := map[string]int{}
	var b strings.Builder
	for _, a := range anns {
		if budget[a.level] == 0 {
			omitted[a.level]++
			b.WriteString(sanitize(a.plain) + "\n")
			continue
		}
		budget[a.level]--
		b.WriteString(a.command() + "\n")
	}
	if len(omitted) > 0 {
		b.WriteString(omittedNotice(omitted) + "\n")
	}
	if note := notReported(res.Stats); note != "" {
		b.WriteString("iacscan: not reported: " + note + "\n") // a log line, not an annotation
	}
	if note := unresolvedNote(res.Stats); note != "" {
		b.WriteString("iacscan: " + note + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// annotation is one workflow command: a level, an optional place and a text.
type annotation struct {
	level   string        // "error", "warning" or "notice"
	at      *source.Range // nil: about no file
	title   string
	message string
	plain   string // the log line printed instead when GitHub would drop the annotation
}

func githubAnnotations(res *scan.Result) []annotation {
	anns := make([]annotation, 0, len(res.Diagnostics)+len(res.Findings))
	for _, d := range res.Diagnostics {
		anns = append(anns, diagnosticAnnotation(d))
	}
	findings := make([]*rules.Finding, len(res.Findings))
	for i := range res.Findings {
		findings[i] = &res.Findings[i]
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Severity > findings[j].Severity })
	for _, f := range findings {
		anns = append(anns, findingAnnotation(f))
	}
	return anns
}

func diagnosticAnnotation(d source.Diagnostic) annotation {
	level := "error"
	if d.Severity == source.Warning {
		level = "warning"
	}
	title, message := "iacscan: "+d.Summary, d.Detail
	if message == "" {
		title, message = "iacscan", d.Summary
	}
	return annotation{level: level, at: d.Subject, title: title, message: message, plain: FormatDiagnostic(d)}
}

func findingAnnotation(f *rules.Finding) annotation {
	m := metaOf(f)
	level, _ := f.Severity.SARIF()
	if level == "note" {
		level = "notice" // the workflow command's name for SARIF's note
	}
	lines := []string{f.Message}
	for _, r := range f.Related {
		// The path of a graph finding (group, attachment, public IP) or where a value
		// came from: the annotation has one location, so the others are listed.
		lines = append(lines, fmt.Sprintf("Related: %s: %s", location(r.Range), r.Message))
	}
	if fix := firstSentence(m.Remediation); fix != "" {
		lines = append(lines, "How to fix: "+fix)
	}
	ref := fmt.Sprintf("%s (%s)", m.ID, f.Severity)
	if help := m.HelpURI(); help != "" {
		ref += ": " + help
	}
	lines = append(lines, ref)
	at := f.Range
	return annotation{
		level:   level,
		at:      &at,
		title:   m.ID + ": " + m.Title,
		message: strings.Join(lines, "\n"),
		plain:   fmt.Sprintf("%s: %s %s %s", location(f.Range), f.Severity, m.ID, f.Message),
	}
}

// command renders the workflow command. githubactions escapes the property values and the
// message as the runner expects, so that a value quoted from a scanned file cannot end the
// command early or start a new one; control characters other than line breaks, which it
// escapes, are replaced first so that none reaches the log.
func (a annotation) command() string {
	props := githubactions.CommandProperties{"title": printable(a.title)}
	if a.at != nil {
		props["file"] = printable(a.at.Path)
		props["line"] = strconv.Itoa(max(a.at.Start.Line, 1))
		props["col"] = strconv.Itoa(max(a.at.Start.Column, 1))
		props["endLine"] = strconv.Itoa(max(a.at.End.Line, a.at.Start.Line, 1))
		props["endColumn"] = strconv.Itoa(max(a.at.End.Column, 1))
	}
	cmd := githubactions.Command{Name: a.level, Properties: props, Message: printable(a.message)}
	return cmd.String()
}

// annotationBudget is how many annotations of each level to emit: GitHub's limit, less one
// notice when something will be left out, so that the notice saying so is not dropped.
func annotationBudget(anns []annotation) map[string]int {
	counts := map[string]int{}
	for _, a := range anns {
		counts[a.level]++
	}
	budget := map[string]int{"error": annotationLimit, "warning": annotationLimit, "notice": annotationLimit}
	for _, n := range counts {
		if n > annotationLimit {
			budget["notice"]--
			break
		}
	}
	return budget
}

func omittedNotice(omitted map[string]int) string {
	var parts []string
	total := 0
	for _, level := range []string{"error", "warning", "notice"} {
		if n := omitted[level]; n > 0 {
			parts = append(parts, plural(n, level))
			total += n
		}
	}
	msg := fmt.Sprintf("%s not shown (%s): GitHub shows at most %d errors, %d warnings and %d notices per step. The log above lists them all.",
		plural(total, "annotation"), strings.Join(parts, ", "), annotationLimit, annotationLimit, annotationLimit)
	return annotation{level: "notice", title: "iacscan: annotations not shown", message: msg}.command()
}

// printable replaces the control characters of s, except tabs and line breaks, with U+FFFD.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\r' && isUnsafe(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}
