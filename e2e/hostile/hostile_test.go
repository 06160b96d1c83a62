// Package hostile scans the generated inputs of issue 20 (long single lines, evaluation
// bombs, huge and numerous files) beside an ordinary file, in process, and asserts that
// the work they cost grows in proportion to their size and that the ordinary file's
// finding is still reported. The sizes are small; TestWrite writes the issue's sizes for
// measuring the binary by hand.
package hostile

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/sarif"
	"github.com/iacscan/iacscan/scan"
)

// work is what one scan and its reports cost.
type work struct {
	elapsed time.Duration // CPU time, which a busy machine does not inflate
	alloc   uint64        // bytes allocated
	live    uint64        // bytes live once the fixes are planned, the result still held
	output  int           // bytes of the three reports
	res     *scan.Result
}

// measure scans a tree holding files and the neighbour, and writes the text, JSON and
// SARIF reports of the result.
func measure(t *testing.T, files map[string]string) work {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	return scanTree(t, dir)
}

// scanTree scans dir and writes the text, JSON and SARIF reports of the result.
func scanTree(t *testing.T, dir string) work {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := cpuTime()
	res, err := scan.Run(t.Context(), []string{dir}, scan.Options{Rules: builtin.All()})
	if err != nil {
		t.Fatal(err)
	}
	writeHeap(t, "scanned")
	res.PlanFixes() // as the CLI does for JSON and SARIF, which carry the fixes' edits
	writeHeap(t, "planned")
	var held runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&held)
	live := held.HeapAlloc - min(held.HeapAlloc, before.HeapAlloc)
	out := &counter{}
	for _, w := range []report.Writer{report.Text, report.JSON, sarif.Write} {
		if err := w(out, res, report.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	elapsed := cpuTime() - start
	runtime.ReadMemStats(&after)
	return work{elapsed: elapsed, alloc: after.TotalAlloc - before.TotalAlloc, live: live, output: out.n, res: res}
}

type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// neighbourFound asserts that the neighbour's finding was reported.
func neighbourFound(t *testing.T, res *scan.Result) {
	t.Helper()
	for _, f := range res.Findings {
		if f.Rule.ID == neighbourRule && strings.HasSuffix(f.Range.Path, neighbourPath) {
			return
		}
	}
	t.Errorf("the neighbour's %s finding is missing; diagnostics:\n%s", neighbourRule, diagnostics(res))
}

func diagnostics(res *scan.Result) string {
	var b bytes.Buffer
	for _, d := range res.Diagnostics {
		fmt.Fprintln(&b, report.FormatDiagnostic(d))
	}
	return b.String()
}

// linearFactor bounds how much more a ten times larger input may cost: 10 when linear,
// 100 when quadratic. The margin absorbs the fixed costs and a busy machine; the test
// compares two runs of the same process, never a duration with a constant.
const linearFactor = 35

// TestLongLinesScale scans each long-line shape at its small size and at ten times that,
// and asserts that time, allocation and report size grow about tenfold.
func TestLongLinesScale(t *testing.T) {
	for _, name := range []string{"cfn-json-line", "cfn-json-line-utf8", "cfn-yaml-flow-line", "tf-list-line", "tf-json-line", "tf-buckets-10mb"} {
		c := find(t, name)
		t.Run(name, func(t *testing.T) {
			small := measure(t, c.files(c.small))
			large := measure(t, c.files(10*c.small))
			neighbourFound(t, small.res)
			neighbourFound(t, large.res)
			t.Logf("%d bytes: %v, %d MB allocated, %d KB live, %d bytes of reports; %d bytes: %v, %d MB, %d KB, %d bytes",
				c.small, small.elapsed, small.alloc>>20, small.live>>10, small.output, 10*c.small, large.elapsed, large.alloc>>20, large.live>>10, large.output)
			// A floor keeps a very fast small run from making noise a failure.
			if floor := 200 * time.Millisecond; large.elapsed > linearFactor*max(small.elapsed, floor) {
				t.Errorf("ten times the input took %v against %v", large.elapsed, small.elapsed)
			}
			if large.alloc > linearFactor*small.alloc {
				t.Errorf("ten times the input allocated %d MB against %d MB", large.alloc>>20, small.alloc>>20)
			}
			// The live heap is what a memory bound is about; below a megabyte it is noise.
			if large.live > linearFactor*max(small.live, 1<<20) {
				t.Errorf("ten times the input kept %d KB live against %d KB", large.live>>10, small.live>>10)
			}
			if large.output > linearFactor*small.output {
				t.Errorf("ten times the input wrote %d bytes of reports against %d", large.output, small.output)
			}
		})
	}
}

func find(t *testing.T, name string) hostileCase {
	t.Helper()
	for _, c := range cases {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no case %s", name)
	return hostileCase{}
}

// TestBombsStopAtBudgets scans each evaluation bomb at the size the issue reported and
// asserts that a budget diagnostic names the hostile file and the neighbour's finding
// is still reported. Budgets cap the work whatever the size: the issue's sizes run in
// seconds.
func TestBombsStopAtBudgets(t *testing.T) {
	tests := []struct {
		name, file, budget string
	}{
		{"setproduct", "bomb.tf", "values"},
		{"doubling-locals", "bomb.tf", "string-bytes"},
		{"nested-count", "main.tf", "total-instances"},
		{"sls-fanout", "serverless.yml", "values"},
		{"foreach-nested", "template.yaml", "total-instances"},
		{"cfn-sub-doubling", "template.json", "string-bytes"},
	}
	for _, tc := range tests {
		c := find(t, tc.name)
		t.Run(tc.name, func(t *testing.T) {
			w := measure(t, c.files(c.issue))
			neighbourFound(t, w.res)
			t.Logf("%s at %d: %v, %d MB allocated", tc.name, c.issue, w.elapsed, w.alloc>>20)
			want := fmt.Sprintf("Evaluation budget %q exceeded", tc.budget)
			for _, d := range w.res.Diagnostics {
				if d.Summary == want && d.Subject != nil && d.Subject.Start.Line > 0 && strings.HasSuffix(d.Subject.Path, "/"+tc.file) {
					return
				}
			}
			t.Errorf("no %q diagnostic at a line of %s; diagnostics:\n%s", want, tc.file, diagnostics(w.res))
		})
	}
}
