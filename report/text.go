package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// snippetLines is how many lines of a finding's range the text report shows.
const snippetLines = 3

// excerptWidth is how many code points of a long source line the text report shows, and
// excerptContext how many of them come before the finding's start.
const (
	excerptWidth   = 160
	excerptContext = 40
)

// severityOrder lists severities from most to least severe, the order of every summary.
var severityOrder = []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low}

// Text writes the report for people: findings grouped by file, each with its location,
// severity, rule, message, the offending source lines and a one-line remediation, then the
// diagnostics and a summary line. With ExplainValues each finding also shows how its value
// was computed, and the checks left unresolved are listed before the diagnostics.
func Text(w io.Writer, res *scan.Result, opts Options) error {
	p := &textPrinter{w: w, res: res, st: textStyle{color: opts.Color}, explain: opts.ExplainValues, compact: opts.Compact}
	p.findings()
	if p.explain {
		p.unresolved()
	}
	p.diagnostics()
	p.summary()
	return p.err
}

// textPrinter accumulates the first write error so that the layout code stays linear.
type textPrinter struct {
	w       io.Writer
	res     *scan.Result
	st      textStyle
	explain bool // print how computed values were produced
	compact bool // one or two lines a finding: no excerpt, related places or remediation
	err     error
}

func (p *textPrinter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *textPrinter) findings() {
	if p.compact {
		p.compactFindings()
		return
	}
	current := ""
	for i := range p.res.Findings {
		f := &p.res.Findings[i]
		if i == 0 || f.Range.Path != current {
			current = f.Range.Path
			p.printf("%s\n\n", p.st.bold(sanitize(current)))
		}
		p.finding(f)
	}
}

// compactFindings lists the findings without file headings (each line names its file,
// for grep and editors), then a blank line.
func (p *textPrinter) compactFindings() {
	for i := range p.res.Findings {
		p.compactFinding(&p.res.Findings[i])
	}
	if len(p.res.Findings) > 0 {
		p.printf("\n")
	}
}

// compactFinding prints a finding as --compact does, like tfsec's and trivy's compact
// modes: the location, severity, rule and title, then the message when it says more,
// with the resource address when the source does not show it (an instance of count or
// for_each, a module's resource).
func (p *textPrinter) compactFinding(f *rules.Finding) {
	m := metaOf(f)
	p.printf("%s: %s %s %s\n", location(f.Range), p.st.severity(f.Severity), m.ID, sanitize(m.Title))
	var more []string
	if f.Message != "" && f.Message != m.Title {
		more = append(more, sanitize(f.Message))
	}
	if generated(f.Resource.Address) {
		more = append(more, p.st.dim("("+sanitize(f.Resource.Address)+")"))
	}
	if len(more) > 0 {
		p.printf("  %s\n", strings.Join(more, " "))
	}
	if p.explain {
		p.trace(f)
	}
}

func (p *textPrinter) finding(f *rules.Finding) {
	m := metaOf(f)
	p.printf("  %s: %s %s %s\n", location(f.Range), p.st.severity(f.Severity), m.ID, sanitize(m.Title))
	if f.Message != "" && f.Message != m.Title {
		p.printf("    %s\n", sanitize(f.Message))
	}
	if generated(f.Resource.Address) {
		p.printf("    %s %s\n", p.st.dim("resource:"), sanitize(f.Resource.Address))
	}
	p.snippet(f)
	p.related(f.Related)
	if p.explain {
		p.trace(f)
	}
	p.remediation(m)
	p.printf("\n")
}

// generated reports whether a resource address names what the source does not show as
// written: an instance of count or for_each (aws_s3_bucket.b["logs"]) or a resource of a
// called module (module.web.aws_security_group.this), so that findings in the same block
// can be told apart.
func generated(address string) bool {
	return strings.HasPrefix(address, "module.") || strings.HasSuffix(address, "]")
}

// trace prints how the finding's value was computed, one step a line, ending at the
// finding's own attribute: where the value started, then each symbol it passed through.
func (p *textPrinter) trace(f *rules.Finding) {
	if len(f.Trace) == 0 {
		return
	}
	p.printf("    %s\n", p.st.dim("value computed:"))
	arrow := "  "
	for _, s := range f.Trace {
		p.printf("      %s%s: %s\n", arrow, location(s.Range), sanitize(s.What))
		arrow = "→ "
	}
	used := f.Path
	if used == "" {
		used = "here"
	}
	p.printf("      → %s: %s\n", location(f.Range), sanitize(used))
}

// remediation prints the first sentence of the rule's remediation and its docs link on
// one line.
func (p *textPrinter) remediation(m *rules.Meta) {
	fix := sanitize(firstSentence(m.Remediation))
	help := m.HelpURI()
	switch {
	case fix != "" && help != "":
		p.printf("    %s %s See %s\n", p.st.dim("remediation:"), fix, help)
	case fix != "":
		p.printf("    %s %s\n", p.st.dim("remediation:"), fix)
	case help != "":
		p.printf("    %s %s\n", p.st.dim("docs:"), help)
	}
}

// snippet shows up to snippetLines lines of the finding's range with line numbers, and
// underlines a single-line range from its start column to its end.
func (p *textPrinter) snippet(f *rules.Finding) {
	r := f.Range
	file := p.res.File(r.Path)
	if file == nil || r.Start.Line < 1 || r.Start.Line > file.LineCount() {
		return
	}
	last := r.End.Line
	if r.End.Column == 1 && last > r.Start.Line {
		last-- // a range ending at the start of a line does not cover that line
	}
	last = min(max(last, r.Start.Line), file.LineCount())
	shown := min(last, r.Start.Line+snippetLines-1)
	width := len(fmt.Sprint(shown))
	for n := r.Start.Line; n <= shown; n++ {
		at := file.Offset(n, 1)
		if n == r.Start.Line {
			at = r.Start.Byte
		}
		text, _ := excerpt(file, n, at)
		p.printf("    %s %s\n", p.st.dim(fmt.Sprintf("%*d |", width, n)), sanitize(string(text)))
	}
	gutter := p.st.dim(strings.Repeat(" ", width) + " |")
	switch {
	case last > shown:
		p.printf("    %s ...\n", gutter)
	case r.Start.Line == last:
		text, shift := excerpt(file, last, r.Start.Byte)
		shifted := r
		shifted.Start.Column -= shift
		shifted.End.Column -= shift
		pad, carets := underline(text, shifted)
		p.printf("    %s %s%s\n", gutter, pad, p.st.paint(severityColors[f.Severity], carets))
	}
}

// excerpt returns the part of a line the report shows: all of it when it is at most
// excerptWidth code points long; otherwise excerptWidth code points starting a little
// before the byte offset at, with "…" where the line was cut, and how many columns the
// shown text starts after the line's start. A minified template is one line of
// megabytes, and printing it whole under every finding would bury the report.
func excerpt(file *source.File, line, at int) (text []rune, shift int) {
	start, end := file.Offset(line, 1), file.LineEnd(line)
	if file.RuneCount(start, end) <= excerptWidth {
		return []rune(string(file.Src[start:end])), 0
	}
	from := min(max(at, start), end)
	for i := 0; i < excerptContext && from > start; i++ {
		_, size := utf8.DecodeLastRune(file.Src[start:from])
		from -= size
	}
	to := from
	for i := 0; i < excerptWidth && to < end; i++ {
		_, size := utf8.DecodeRune(file.Src[to:end])
		to += size
	}
	text = []rune(string(file.Src[from:to]))
	shift = file.RuneCount(start, from)
	if from > start {
		text = append([]rune{'…'}, text...)
		shift-- // the ellipsis takes a column
	}
	if to < end {
		text = append(text, '…')
	}
	return text, shift
}

// underline returns the padding up to r's start column and the carets under r, at least
// one, on a line r starts on.
func underline(line []rune, r source.Range) (pad, carets string) {
	start := min(max(r.Start.Column-1, 0), len(line))
	end := start + 1
	if r.End.Line == r.Start.Line {
		end = max(end, min(r.End.Column-1, len(line)))
	}
	return indentLike(line[:start]), strings.Repeat("^", end-start)
}

// unresolved lists the checks skipped because a value is known only at deploy time.
func (p *textPrinter) unresolved() {
	if len(p.res.Unresolved) == 0 {
		return
	}
	p.printf("%s\n\n", p.st.bold("Unresolved: not checked, a value is known only at deploy time"))
	for _, u := range p.res.Unresolved {
		p.printf("  %s: %s %s\n", location(u.Range), u.Rule.ID, sanitize(u.Reason))
		p.printf("    %s %s\n", p.st.dim("resource:"), sanitize(u.Resource.Address))
		if len(u.Reads) > 0 {
			p.printf("    %s %s\n", p.st.dim("reads:"), sanitize(strings.Join(u.Reads, ", ")))
		}
		p.related(u.Related)
	}
	p.printf("\n")
}

// related prints secondary locations, one a line.
func (p *textPrinter) related(rs []rules.Related) {
	for _, r := range rs {
		p.printf("    %s %s: %s\n", p.st.dim("related:"), location(r.Range), sanitize(r.Message))
	}
}

func (p *textPrinter) diagnostics() {
	if len(p.res.Diagnostics) == 0 {
		return
	}
	p.printf("%s\n\n", p.st.bold("Diagnostics"))
	for _, d := range p.res.Diagnostics {
		p.printf("  %s\n", diagnosticLine(d, p.st))
	}
	p.printf("\n")
}

func (p *textPrinter) summary() { p.printf("%s\n", summaryLine(p.res, p.st)) }

// FormatDiagnostic renders a diagnostic on one line as "path:line:col: error: summary:
// detail", the way the text report lists it; the CLI prints diagnostics on stderr with it.
func FormatDiagnostic(d source.Diagnostic) string { return diagnosticLine(d, textStyle{}) }

func diagnosticLine(d source.Diagnostic, st textStyle) string {
	where := ""
	if d.Subject != nil {
		where = location(*d.Subject) + ": "
	}
	text := d.Summary
	if d.Detail != "" {
		text += ": " + d.Detail
	}
	return where + st.diagnostic(d.Severity) + " " + sanitize(text)
}

// Summary is the text report's last line: findings by severity, files, resources and time.
// The CLI prints it on stderr when the report on stdout is not the text report.
func Summary(res *scan.Result) string { return summaryLine(res, textStyle{}) }

func summaryLine(res *scan.Result, st textStyle) string {
	stats := res.Stats
	scanned := "Scanned " + plural(stats.Files, "file")
	if stats.FilesFailed > 0 {
		scanned += fmt.Sprintf(" (%d failed to parse)", stats.FilesFailed)
	}
	scanned += fmt.Sprintf(", %s in %v.", plural(stats.Resources, "resource"), stats.Duration.Round(time.Millisecond))
	if note := notReported(stats); note != "" {
		scanned = "Not reported: " + note + ". " + scanned
	}
	if note := unresolvedNote(stats); note != "" {
		scanned += " " + note
	}
	if len(res.Findings) == 0 {
		return "No findings. " + scanned
	}
	counts := severityCounts(res.Findings)
	parts := make([]string, len(severityOrder))
	for i, s := range severityOrder {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	return fmt.Sprintf("%s: %s. %s", st.bold(plural(len(res.Findings), "finding")), strings.Join(parts, ", "), scanned)
}

// severityCounts counts findings by severity.
func severityCounts(fs []rules.Finding) map[rules.Severity]int {
	counts := make(map[rules.Severity]int, len(severityOrder))
	for _, f := range fs {
		counts[f.Severity]++
	}
	return counts
}

// textStyle renders ANSI colours when enabled and plain text otherwise.
type textStyle struct{ color bool }

const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[1;35m"
)

var severityColors = map[rules.Severity]string{
	rules.Critical: ansiMagenta,
	rules.High:     ansiRed,
	rules.Medium:   ansiYellow,
	rules.Low:      ansiBlue,
}

func (s textStyle) paint(code, text string) string {
	if !s.color || code == "" {
		return text
	}
	return code + text + ansiReset
}

func (s textStyle) bold(text string) string { return s.paint(ansiBold, text) }
func (s textStyle) dim(text string) string  { return s.paint(ansiDim, text) }

func (s textStyle) severity(sev rules.Severity) string {
	return s.paint(severityColors[sev], sev.String())
}

func (s textStyle) diagnostic(sev source.Severity) string {
	if sev == source.Warning {
		return s.paint(ansiYellow, "warning:")
	}
	return s.paint(ansiRed, "error:")
}

// metaOf returns the finding's rule metadata; a finding built without a rule (never by
// rules.Run) still prints.
func metaOf(f *rules.Finding) *rules.Meta {
	if f.Rule == nil {
		return &rules.Meta{}
	}
	return f.Rule
}

func location(r source.Range) string {
	return fmt.Sprintf("%s:%d:%d", sanitize(r.Path), r.Start.Line, r.Start.Column)
}

// firstSentence returns the first sentence of the first paragraph of markdown text, the
// one-line remediation hint. Lines of a wrapped paragraph are joined first.
func firstSentence(text string) string {
	var para []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" && len(para) > 0 {
			break
		}
		if line != "" {
			para = append(para, line)
		}
	}
	runes := []rune(strings.Join(para, " "))
	for i := 0; i+2 < len(runes); i++ {
		// A sentence ends at ". " before a capital, so that "e.g. `x`" does not end one.
		if strings.ContainsRune(".!?", runes[i]) && runes[i+1] == ' ' && unicode.IsUpper(runes[i+2]) {
			return string(runes[:i+1])
		}
	}
	return string(runes)
}

// indentLike turns the text before a column into padding of the same width, keeping tabs
// so that the underline lines up under tab-indented source.
func indentLike(prefix []rune) string {
	var b strings.Builder
	for _, r := range prefix {
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteRune(' ')
		}
	}
	return b.String()
}

// sanitize replaces control characters (other than tab) so that a hostile input file
// cannot send escape sequences to the reader's terminal.
func sanitize(s string) string {
	if !strings.ContainsFunc(s, isUnsafe) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isUnsafe(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

func isUnsafe(r rune) bool { return r != '\t' && unicode.IsControl(r) }

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
