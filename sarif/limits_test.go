package sarif

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/scan"
)

// manyFindings returns the sample scan with its findings replaced by n of each of the
// given severities, in that order, each with a message naming its severity and number,
// then a hash that makes the message hard to compress, as real logs are.
func manyFindings(t *testing.T, counts map[rules.Severity]int, order ...rules.Severity) *scan.Result {
	t.Helper()
	res := sampleResult(t)
	proto := res.Findings[0]
	res.Findings = nil
	for _, sev := range order {
		for i := range counts[sev] {
			f := proto
			f.Severity, f.Fix = sev, nil
			f.Message = fmt.Sprintf("%s %d", sev, i)
			if sev == rules.Medium || sev == rules.High {
				f.Message += fmt.Sprintf(" %x", sha256.Sum256([]byte(f.Message)))
			}
			res.Findings = append(res.Findings, f)
		}
	}
	return res
}

func writeLimited(t *testing.T, res *scan.Result, lim Limits) ([]byte, *sarif.Run) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, res, report.Options{Version: "1.2.3"}, lim); err != nil {
		t.Fatal(err)
	}
	validateSchema(t, buf.Bytes())
	log, err := sarif.FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), log.Runs[0]
}

// firstWords keeps the severity and number of each message.
func firstWords(msgs []string) []string {
	for i, m := range msgs {
		if f := strings.Fields(m); len(f) >= 2 {
			msgs[i] = f[0] + " " + f[1]
		}
	}
	return msgs
}

func messages(run *sarif.Run) []string {
	var out []string
	for _, r := range run.Results {
		out = append(out, deref(r.Message.Text))
	}
	return out
}

// droppedNotes returns the texts of the notifications about dropped results.
func droppedNotes(run *sarif.Run) []string {
	var out []string
	for _, n := range run.Invocations[0].ToolExecutionNotifications {
		if n.Descriptor != nil && deref(n.Descriptor.Id) == "iacscan/results-dropped" {
			out = append(out, deref(n.Message.Text))
		}
	}
	return out
}

// TestResultLimit: over the limit, the suppressed results go first, then the lowest
// severities, the last in the report first; the notification says what went.
func TestResultLimit(t *testing.T) {
	res := manyFindings(t, map[rules.Severity]int{rules.Critical: 2, rules.High: 3, rules.Low: 4},
		rules.Low, rules.Critical, rules.High)
	res.Suppressed = []suppress.Suppressed{{Finding: res.Findings[2], Suppression: suppress.Suppression{Kind: suppress.KindInSource, Reason: "accepted"}}}
	_, run := writeLimited(t, res, Limits{Results: 4, GzipBytes: 1 << 30})
	want := []string{"critical 0", "critical 1", "high 0", "high 1"}
	if got := messages(run); !slices.Equal(firstWords(got), want) {
		t.Errorf("results %q, want %q", got, want)
	}
	wantNote := "6 results are not in this log, the lowest severities first (all 4 low, 1 of 3 high, 1 suppressed findings): " +
		"GitHub code scanning accepts at most 4 results and 1073741824 bytes gzip-compressed per run. The JSON report lists every finding."
	if got := droppedNotes(run); !slices.Equal(got, []string{wantNote}) {
		t.Errorf("notifications %q, want %q", got, wantNote)
	}
}

// TestSizeLimit: a log larger than the gzip limit loses its lowest severities until it
// fits.
func TestSizeLimit(t *testing.T) {
	res := manyFindings(t, map[rules.Severity]int{rules.High: 50, rules.Medium: 300},
		rules.Medium, rules.High)
	full, run := writeLimited(t, res, GitHub)
	if len(run.Results) != 350 || len(droppedNotes(run)) != 0 {
		t.Fatalf("within GitHub's limits: %d results and notifications %q, want 350 and none", len(run.Results), droppedNotes(run))
	}
	fullSize, err := gzipSize(full)
	if err != nil {
		t.Fatal(err)
	}
	lim := Limits{Results: 1000, GzipBytes: fullSize / 3}
	doc, run := writeLimited(t, res, lim)
	if size, _ := gzipSize(doc); size > lim.GzipBytes {
		t.Errorf("gzip size %d, want at most %d", size, lim.GzipBytes)
	}
	var high, medium int
	for _, r := range run.Results {
		switch deref(r.Level) {
		case "error":
			high++
		case "warning":
			medium++
		}
	}
	if high != 50 || medium == 0 || medium >= 300 {
		t.Errorf("kept %d high and %d medium, want every high and some medium", high, medium)
	}
	if notes := droppedNotes(run); len(notes) != 1 || !bytes.Contains([]byte(notes[0]), []byte(fmt.Sprintf("(%d of 300 medium findings)", 300-medium))) {
		t.Errorf("notifications %q, want one naming %d of 300 medium", notes, 300-medium)
	}
}

// TestSeverityVariants: a finding lowered or raised from its rule's severity is reported
// under a rule variant that carries its own security-severity; findings at the rule's
// severity keep the rule's ID, and each variant is described once.
func TestSeverityVariants(t *testing.T) {
	res := manyFindings(t, map[rules.Severity]int{rules.Critical: 1, rules.Low: 2, rules.Medium: 1},
		rules.Critical, rules.Low, rules.Medium)
	_, run := writeLimited(t, res, GitHub)
	byID := map[string]*sarif.ReportingDescriptor{}
	for _, d := range run.Tool.Driver.Rules {
		if byID[d.ID] != nil {
			t.Errorf("rule %s is described twice", d.ID)
		}
		byID[d.ID] = d
	}
	want := []struct{ rule, score string }{
		{"AWS-S3-001", "9.5"}, {"AWS-S3-001/low", "2.0"}, {"AWS-S3-001/low", "2.0"}, {"AWS-S3-001/medium", "5.5"},
	}
	for i, r := range run.Results {
		d := byID[deref(r.RuleID)]
		if deref(r.RuleID) != want[i].rule || d == nil || d.Properties["security-severity"] != want[i].score {
			t.Errorf("result %d (%s): ruleId %q, descriptor %v; want %s with security-severity %s", i, deref(r.Message.Text), deref(r.RuleID), d, want[i].rule, want[i].score)
		}
	}
}
