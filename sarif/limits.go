package sarif

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
)

// Limits bound one SARIF log: GitHub code scanning rejects an upload with more results in
// a run, or a larger gzip-compressed file.
type Limits struct {
	Results   int // results in the run
	GzipBytes int // the log's size after gzip
}

// GitHub are GitHub code scanning's limits of an upload: 25,000 results per run and a
// 10 MB gzip-compressed file.
var GitHub = Limits{Results: 25_000, GzipBytes: 10_000_000}

// selection is which findings and suppressed findings of a result go into the log. nil
// selects everything.
type selection struct {
	dropFinding, dropSuppressed map[int]bool
	dropped                     [rules.Critical + 1]int // by severity
	droppedSuppressed           int
	total                       [rules.Critical + 1]int
	lim                         Limits
}

func (s *selection) finding(i int) bool    { return s == nil || !s.dropFinding[i] }
func (s *selection) suppressed(i int) bool { return s == nil || !s.dropSuppressed[i] }

// entry is one result the log may hold: a finding (suppressed or not) by index.
type entry struct {
	index      int
	severity   rules.Severity
	suppressed bool
}

// dropOrder returns the results in the order they are dropped: the suppressed first
// (GitHub ignores them), then the findings from the lowest severity up, the later in the
// report first within a severity.
func dropOrder(res *scan.Result) []entry {
	var out []entry
	for i, f := range res.Findings {
		out = append(out, entry{index: i, severity: f.Severity})
	}
	for i, s := range res.Suppressed {
		out = append(out, entry{index: i, severity: s.Severity, suppressed: true})
	}
	slices.SortStableFunc(out, func(a, b entry) int {
		if a.suppressed != b.suppressed {
			if a.suppressed {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.severity, b.severity), cmp.Compare(b.index, a.index))
	})
	return out
}

// newSelection drops the first n results of order.
func newSelection(res *scan.Result, order []entry, n int, lim Limits) *selection {
	s := &selection{dropFinding: map[int]bool{}, dropSuppressed: map[int]bool{}, lim: lim}
	for _, f := range res.Findings {
		s.total[f.Severity]++
	}
	for _, e := range order[:n] {
		if e.suppressed {
			s.dropSuppressed[e.index] = true
			s.droppedSuppressed++
			continue
		}
		s.dropFinding[e.index] = true
		s.dropped[e.severity]++
	}
	return s
}

// capped renders res within lim. When the results or the compressed size exceed it, the
// results are dropped in dropOrder until the log fits, and a notification says what was
// left out.
func capped(res *scan.Result, opts report.Options, lim Limits) ([]byte, error) {
	order := dropOrder(res)
	drop := max(0, len(order)-lim.Results)
	for {
		var keep *selection
		if drop > 0 {
			keep = newSelection(res, order, drop, lim)
		}
		// Only the results in the log need their fixes' edits: with hundreds of thousands
		// of findings, most are left out.
		res.PlanFixesOf(keep.finding)
		doc, err := encode(res, opts, keep)
		if err != nil {
			return nil, err
		}
		size, err := gzipSize(doc)
		if err != nil || size <= lim.GzipBytes || drop == len(order) {
			return doc, err
		}
		// Keep as many results as the size allows, assuming results of similar size, with
		// a margin; at least one fewer than now, so the loop ends.
		kept := len(order) - drop
		fit := int(float64(kept) * float64(lim.GzipBytes) / float64(size) * 0.95)
		drop = len(order) - min(fit, kept-1)
	}
}

func gzipSize(doc []byte) (int, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(doc); err != nil {
		return 0, err
	}
	err := zw.Close()
	return buf.Len(), err
}

// notification says what the selection left out of the log, or nil when nothing.
func (s *selection) notification() *sarif.Notification {
	if s == nil {
		return nil
	}
	var parts []string
	n := s.droppedSuppressed
	for sev := rules.Low; sev <= rules.Critical; sev++ {
		d := s.dropped[sev]
		n += d
		switch {
		case d == 0:
		case d == s.total[sev]:
			parts = append(parts, fmt.Sprintf("all %d %s", d, sev))
		default:
			parts = append(parts, fmt.Sprintf("%d of %d %s", d, s.total[sev], sev))
		}
	}
	if s.droppedSuppressed > 0 {
		parts = append(parts, fmt.Sprintf("%d suppressed", s.droppedSuppressed))
	}
	if n == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d results are not in this log, the lowest severities first (%s findings): GitHub code scanning accepts at most %d results and %d bytes gzip-compressed per run. The JSON report lists every finding.",
		n, strings.Join(parts, ", "), s.lim.Results, s.lim.GzipBytes)
	return sarif.NewNotification().WithLevel("warning").WithTextMessage(msg).
		WithDescriptor(sarif.NewReportingDescriptorReference().WithId("iacscan/results-dropped"))
}
