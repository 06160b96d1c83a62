package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// JSONSchemaVersion is the version of the JSON report's schema (docs/json-report.md). It
// changes only when a field is removed or changes meaning; new fields keep it.
const JSONSchemaVersion = "1"

// The JSON report's schema. These types are its only definition: they are separate from
// the engine's types so that an internal change cannot alter the report by accident.
type (
	jsonReport struct {
		SchemaVersion string           `json:"schema_version"`
		Tool          jsonTool         `json:"tool"`
		Findings      []jsonFinding    `json:"findings"`
		Unresolved    []jsonUnresolved `json:"unresolved"`
		Diagnostics   []jsonDiagnostic `json:"diagnostics"`
		Stats         jsonStats        `json:"stats"`
	}
	jsonTool struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	jsonFinding struct {
		RuleID      string        `json:"rule_id"`
		RuleName    string        `json:"rule_name"`
		Title       string        `json:"title"`
		Severity    string        `json:"severity"`
		Message     string        `json:"message"`
		File        string        `json:"file"`
		Range       jsonRange     `json:"range"`
		Resource    jsonResource  `json:"resource"`
		Path        string        `json:"path"`
		Fingerprint string        `json:"fingerprint"`
		HelpURI     string        `json:"help_uri"`
		Related     []jsonRelated `json:"related"`
		// Trace is how the offending value was computed, from where it started.
		Trace []jsonStep `json:"trace"`
		// Suppressed is null for a reported finding; suppressed findings are listed only
		// with --include-suppressed.
		Suppressed *jsonSuppression `json:"suppressed"`
		// Fix is null when the rule offers no fix for the finding.
		Fix *jsonFix `json:"fix"`
	}
	jsonFix struct {
		Mode        string     `json:"mode"`
		Description string     `json:"description"`
		Edits       []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Path  string `json:"path"`
		Start int    `json:"start"`
		End   int    `json:"end"`
		New   string `json:"new"`
	}
	jsonSuppression struct {
		Kind     string        `json:"kind"`
		Reason   string        `json:"reason"`
		Expires  *string       `json:"expires"`
		Location *jsonLocation `json:"location"`
	}
	jsonLocation struct {
		File  string    `json:"file"`
		Range jsonRange `json:"range"`
	}
	jsonRange struct {
		Start jsonPos `json:"start"`
		End   jsonPos `json:"end"`
	}
	jsonPos struct {
		Line   int `json:"line"`
		Column int `json:"column"`
		Byte   int `json:"byte"`
	}
	jsonResource struct {
		Address string `json:"address"`
		Kind    string `json:"kind"`
		File    string `json:"file"`
		// Construct is the AWS CDK construct path of a resource in synthesised CloudFormation.
		Construct string `json:"construct,omitempty"`
	}
	jsonRelated struct {
		Message string    `json:"message"`
		File    string    `json:"file"`
		Range   jsonRange `json:"range"`
	}
	jsonStep struct {
		What  string    `json:"what"`
		File  string    `json:"file"`
		Range jsonRange `json:"range"`
	}
	// jsonUnresolved is a check skipped because a value is not statically known.
	jsonUnresolved struct {
		RuleID   string        `json:"rule_id"`
		Resource jsonResource  `json:"resource"`
		File     string        `json:"file"`
		Range    jsonRange     `json:"range"`
		Reason   string        `json:"reason"`
		Reads    []string      `json:"reads"`
		Related  []jsonRelated `json:"related"`
	}
	jsonDiagnostic struct {
		Severity string     `json:"severity"`
		Summary  string     `json:"summary"`
		Detail   string     `json:"detail"`
		File     *string    `json:"file"`
		Range    *jsonRange `json:"range"`
	}
	jsonStats struct {
		Files              int            `json:"files"`
		Resources          int            `json:"resources"`
		FilesByFormat      map[string]int `json:"files_by_format"`
		FilesFailed        int            `json:"files_failed"`
		RulesRun           int            `json:"rules_run"`
		FindingsBySeverity jsonSeverities `json:"findings_by_severity"`
		Suppressed         int            `json:"suppressed"`
		Baselined          int            `json:"baselined"`
		ExcludedFiles      int            `json:"excluded_files"`
		ExcludedResources  int            `json:"excluded_resources"`
		Unresolved         int            `json:"unresolved"`
		HiddenBySeverity   int            `json:"hidden_by_severity"`
		DurationMS         int64          `json:"duration_ms"`
	}
	jsonSeverities struct {
		Critical int `json:"critical"`
		High     int `json:"high"`
		Medium   int `json:"medium"`
		Low      int `json:"low"`
	}
)

// JSON writes the machine-readable report: indented JSON in the schema documented in
// docs/json-report.md. Lists are never null, so consumers need no nil checks. Findings are
// converted and encoded one at a time as they are written: a scan with hundreds of
// thousands of them must not hold the whole report in memory two or three times over.
func JSON(w io.Writer, res *scan.Result, opts Options) error {
	// The report without findings gives every byte around them, exactly as encoding the
	// whole report would; the findings go where its empty list is.
	frame := newJSONReport(res, opts)
	var head bytes.Buffer
	if err := newJSONEncoder(&head, "").Encode(frame); err != nil {
		return err
	}
	before, after, ok := bytes.Cut(head.Bytes(), []byte("\n  \"findings\": []"))
	if !ok {
		return errors.New("json report: no findings list in the frame") // a schema change
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString("\n  \"findings\": [")
	var item bytes.Buffer
	enc := newJSONEncoder(&item, "    ")
	order := jsonFindingOrder(res)
	for i, f := range order {
		item.Reset()
		if err := enc.Encode(f.convert()); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	}
	if len(order) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteByte(']')
	bw.Write(after)
	return bw.Flush() // bufio keeps the first write error and returns it here
}

// newJSONEncoder encodes values indented as the report is, each line after the first
// starting with prefix.
func newJSONEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false) // messages quote source text such as "<" verbatim
	return enc
}

// jsonEntry is a finding of the report, reported or suppressed, before its conversion.
type jsonEntry struct {
	f *rules.Finding
	s *suppress.Suppressed
}

func (e jsonEntry) convert() jsonFinding {
	out := newJSONFinding(e.f)
	if e.s != nil {
		out.Suppressed = newJSONSuppression(e.s.Suppression)
	}
	return out
}

// jsonFindingOrder is the order of the report's findings: suppressed findings take their
// place among the others, by file, position and rule.
func jsonFindingOrder(res *scan.Result) []jsonEntry {
	out := make([]jsonEntry, 0, len(res.Findings)+len(res.Suppressed))
	for i := range res.Findings {
		out = append(out, jsonEntry{f: &res.Findings[i]})
	}
	for i := range res.Suppressed {
		out = append(out, jsonEntry{f: &res.Suppressed[i].Finding, s: &res.Suppressed[i]})
	}
	slices.SortStableFunc(out, func(a, b jsonEntry) int {
		return cmp.Or(cmp.Compare(a.f.Range.Path, b.f.Range.Path), cmp.Compare(a.f.Range.Start.Byte, b.f.Range.Start.Byte),
			cmp.Compare(metaOf(a.f).ID, metaOf(b.f).ID))
	})
	return out
}

// newJSONReport is the report without its findings, which JSON writes one by one.
func newJSONReport(res *scan.Result, opts Options) jsonReport {
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: "iacscan", Version: opts.Version},
		Findings:      []jsonFinding{},
		Unresolved:    make([]jsonUnresolved, 0, len(res.Unresolved)),
		Diagnostics:   make([]jsonDiagnostic, 0, len(res.Diagnostics)),
		Stats:         newJSONStats(res),
	}
	for _, u := range res.Unresolved {
		out.Unresolved = append(out.Unresolved, jsonUnresolved{
			RuleID:   u.Rule.ID,
			Resource: jsonResource{Address: u.Resource.Address, Kind: string(u.Kind), File: u.Resource.Path},
			File:     u.Range.Path,
			Range:    newJSONRange(u.Range),
			Reason:   u.Reason,
			Reads:    append([]string{}, u.Reads...), // [] rather than null
			Related:  newJSONRelated(u.Related),
		})
	}
	for _, d := range res.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, newJSONDiagnostic(d))
	}
	return out
}

func newJSONFinding(f *rules.Finding) jsonFinding {
	m := metaOf(f)
	out := jsonFinding{
		RuleID:   m.ID,
		RuleName: m.Name,
		Title:    m.Title,
		Severity: f.Severity.String(),
		Message:  f.Message,
		File:     f.Range.Path,
		Range:    newJSONRange(f.Range),
		Resource: jsonResource{Address: f.Resource.Address, Kind: string(f.Kind), File: f.Resource.Path, Construct: f.Construct},
		Path:     f.Path,
		Related:  newJSONRelated(f.Related),
		Trace:    make([]jsonStep, 0, len(f.Trace)),
	}
	if f.Rule != nil {
		out.Fingerprint = f.Fingerprint()
		out.HelpURI = m.HelpURI()
	}
	for _, s := range f.Trace {
		out.Trace = append(out.Trace, jsonStep{What: s.What, File: s.Range.Path, Range: newJSONRange(s.Range)})
	}
	out.Fix = newJSONFix(f.Fix)
	return out
}

func newJSONFix(fix *rules.Fix) *jsonFix {
	if fix == nil {
		return nil
	}
	out := &jsonFix{Mode: string(fix.Mode), Description: fix.Description, Edits: make([]jsonEdit, 0, len(fix.Edits))}
	for _, e := range fix.Edits {
		out.Edits = append(out.Edits, jsonEdit{Path: e.Path, Start: e.Start, End: e.End, New: e.New})
	}
	return out
}

func newJSONSuppression(s suppress.Suppression) *jsonSuppression {
	out := &jsonSuppression{Kind: s.Kind, Reason: s.Reason}
	if s.Expires != "" {
		out.Expires = &s.Expires
	}
	if s.Location != nil {
		out.Location = &jsonLocation{File: s.Location.Path, Range: newJSONRange(*s.Location)}
	}
	return out
}

func newJSONDiagnostic(d source.Diagnostic) jsonDiagnostic {
	out := jsonDiagnostic{Severity: d.Severity.String(), Summary: d.Summary, Detail: d.Detail}
	if d.Subject != nil {
		r := newJSONRange(*d.Subject)
		out.File, out.Range = &d.Subject.Path, &r
	}
	return out
}

func newJSONRange(r source.Range) jsonRange {
	return jsonRange{
		Start: jsonPos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:   jsonPos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

func newJSONStats(res *scan.Result) jsonStats {
	counts := severityCounts(res.Findings)
	byFormat := map[string]int{} // {} rather than null when nothing was scanned
	maps.Copy(byFormat, res.Stats.ByFormat)
	return jsonStats{
		Files:         res.Stats.Files,
		Resources:     res.Stats.Resources,
		FilesByFormat: byFormat,
		FilesFailed:   res.Stats.FilesFailed,
		RulesRun:      len(res.Rules),
		FindingsBySeverity: jsonSeverities{
			Critical: counts[rules.Critical],
			High:     counts[rules.High],
			Medium:   counts[rules.Medium],
			Low:      counts[rules.Low],
		},
		Suppressed:        res.Stats.Suppressed,
		Baselined:         res.Stats.Baselined,
		ExcludedFiles:     res.Stats.ExcludedFiles,
		ExcludedResources: res.Stats.ExcludedResources,
		Unresolved:        res.Stats.Unresolved,
		HiddenBySeverity:  res.Stats.HiddenBySeverity,
		DurationMS:        res.Stats.Duration.Milliseconds(),
	}
}

// newJSONRelated converts related locations, [] when there are none.
func newJSONRelated(rs []rules.Related) []jsonRelated {
	out := make([]jsonRelated, 0, len(rs))
	for _, r := range rs {
		out = append(out, jsonRelated{Message: r.Message, File: r.Range.Path, Range: newJSONRange(r.Range)})
	}
	return out
}
