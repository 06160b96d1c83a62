package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// GitLabSchemaVersion is the version of GitLab's security report schema the GitLab SAST
// report declares (security-report-schemas, dist/sast-report-format.json). GitLab 15.0
// and later reject reports that do not validate against the version they declare.
const GitLabSchemaVersion = "15.0.6"

// gitlabTime is the schema's timestamp format: no fraction, no zone (UTC is meant).
const gitlabTime = "2006-01-02T15:04:05"

// The GitLab SAST report (gl-sast-report.json). No maintained Go package models it
// (GitLab's own is internal to its analyzers), so these types are its definition here,
// kept to the fields the 15.x schema defines.
type (
	glReport struct {
		Schema          string            `json:"schema"`
		Version         string            `json:"version"`
		Scan            glScan            `json:"scan"`
		Vulnerabilities []glVulnerability `json:"vulnerabilities"`
	}
	glScan struct {
		Analyzer  glTool      `json:"analyzer"`
		Scanner   glTool      `json:"scanner"`
		Type      string      `json:"type"`
		StartTime string      `json:"start_time"`
		EndTime   string      `json:"end_time"`
		Status    string      `json:"status"`
		Messages  []glMessage `json:"messages,omitempty"`
	}
	glTool struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		URL     string   `json:"url"`
		Version string   `json:"version"`
		Vendor  glVendor `json:"vendor"`
	}
	glVendor struct {
		Name string `json:"name"`
	}
	glMessage struct {
		Level string `json:"level"` // info, warn, fatal
		Value string `json:"value"`
	}
	glVulnerability struct {
		ID          string         `json:"id"`
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Severity    string         `json:"severity"`
		Solution    string         `json:"solution,omitempty"`
		Identifiers []glIdentifier `json:"identifiers"`
		Links       []glLink       `json:"links,omitempty"`
		Location    glLocation     `json:"location"`
	}
	glIdentifier struct {
		Type  string `json:"type"`
		Name  string `json:"name"`
		Value string `json:"value"`
		URL   string `json:"url,omitempty"`
	}
	glLink struct {
		URL string `json:"url"`
	}
	glLocation struct {
		File      string `json:"file"`
		StartLine int    `json:"start_line"`
		EndLine   int    `json:"end_line"`
	}
)

// gitlabSeverities maps iacscan's severities to the schema's.
var gitlabSeverities = map[rules.Severity]string{
	rules.Critical: "Critical", rules.High: "High", rules.Medium: "Medium", rules.Low: "Low",
}

// GitLab writes the GitLab SAST report that merge requests and the security dashboard
// read. Findings are vulnerabilities; the rule ID is the primary identifier (GitLab tracks
// a vulnerability across commits by it and the location), with the rule's CWE tags after
// it. Input problems are the scan's messages.
func GitLab(w io.Writer, res *scan.Result, opts Options) error {
	end := opts.Finished
	if end.IsZero() {
		end = time.Now()
	}
	tool := glTool{ID: "iacscan", Name: "iacscan", URL: "https://github.com/iacscan/iacscan",
		Version: cmp.Or(opts.Version, "dev"), Vendor: glVendor{Name: "iacscan"}}
	doc := glReport{
		Schema:  "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v" + GitLabSchemaVersion + "/dist/sast-report-format.json",
		Version: GitLabSchemaVersion,
		Scan: glScan{Analyzer: tool, Scanner: tool, Type: "sast", Status: "success",
			StartTime: end.Add(-res.Stats.Duration).UTC().Format(gitlabTime),
			EndTime:   end.UTC().Format(gitlabTime),
			Messages:  glMessages(res.Diagnostics)},
		Vulnerabilities: []glVulnerability{},
	}
	seen := map[string]int{}
	for i := range res.Findings {
		if f := &res.Findings[i]; f.Rule != nil {
			doc.Vulnerabilities = append(doc.Vulnerabilities, glVuln(f, seen))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func glVuln(f *rules.Finding, seen map[string]int) glVulnerability {
	description := f.Message
	if d := strings.TrimSpace(f.Rule.Description); d != "" {
		description += "\n\n" + d
	}
	ids := []glIdentifier{{Type: "iacscan_rule_id", Name: f.Rule.ID + " " + f.Rule.Title, Value: f.Rule.ID, URL: f.Rule.HelpURI()}}
	for _, tag := range f.Rule.Tags {
		if n, ok := strings.CutPrefix(tag, "CWE-"); ok {
			ids = append(ids, glIdentifier{Type: "cwe", Name: tag, Value: n, URL: "https://cwe.mitre.org/data/definitions/" + n + ".html"})
		}
	}
	return glVulnerability{
		ID:          glID(f, seen),
		Name:        truncate(f.Rule.Title, 255),
		Description: description,
		Severity:    gitlabSeverities[f.Severity],
		Solution:    strings.TrimSpace(f.Rule.Remediation),
		Identifiers: ids,
		Links:       []glLink{{URL: f.Rule.HelpURI()}},
		Location:    glLocation{File: f.Range.Path, StartLine: f.Range.Start.Line, EndLine: max(f.Range.End.Line, f.Range.Start.Line)},
	}
}

// glID is a UUID-shaped ID derived from the finding's line-independent fingerprint, so
// that it is stable across runs; a repeated fingerprint gets a counter.
func glID(f *rules.Finding, seen map[string]int) string {
	key := f.Fingerprint()
	seen[key]++
	if n := seen[key]; n > 1 {
		key += fmt.Sprint(n)
	}
	s := sha256.Sum256([]byte(key))
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

// glMessages reports the input problems: errors as warnings (the scan went on without the
// file), warnings as information.
func glMessages(diags source.Diagnostics) []glMessage {
	var out []glMessage
	for _, d := range diags {
		level := "info"
		if d.Severity == source.Error {
			level = "warn"
		}
		text := d.Summary
		if d.Subject != nil {
			text = fmt.Sprintf("%s:%d:%d: %s", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
		}
		out = append(out, glMessage{Level: level, Value: text})
	}
	return out
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
