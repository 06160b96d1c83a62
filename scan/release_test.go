package scan

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/source"
)

// lazyScan discovers dir as a large scan does, letting go of every input's content, calls
// between (which changes the files after discovery read them), and analyses what it found:
// each unit reads its inputs again. The file-bytes budget is maxBytes.
func lazyScan(t *testing.T, dir string, maxBytes int64, between func()) *Result {
	t.Helper()
	forcePartition(t, 1)
	opts := Options{Rules: builtin.All(), Budgets: budget.Limits{FileBytes: maxBytes}}
	selected, err := rules.Select(opts.Rules, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	inputs, released, _, err := discover(t.Context(), []string{dir}, DiscoverOptions{Recursive: true, MaxBytes: maxBytes}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(released) != len(inputs) || len(inputs) != 2 {
		t.Fatalf("discovery kept content: %d inputs, %d released", len(inputs), len(released))
	}
	for _, in := range inputs {
		if h := released[in.File.Path]; len(in.File.Src) != 0 || h.size == 0 {
			t.Fatalf("%s: %d bytes held, %d recorded", in.File.Path, len(in.File.Src), h.size)
		}
	}
	between()
	done := make(chan *Result)
	go func() { done <- analyze(inputs, released, nil, selected, []string{dir}, opts) }()
	select {
	case res := <-done:
		return res
	case <-time.After(30 * time.Second): // a hang is the bug; the test must not hang with it
		t.Fatal("reading a unit's inputs again blocked")
		return nil
	}
}

const (
	bucketA = "resource \"aws_s3_bucket\" \"a\" {}\n"
	bucketB = "resource \"aws_s3_bucket\" \"b\" {}\n"
)

// A file that changed between discovery and its unit's read is scanned as it is now, with
// a warning at it; the content fixes are planned from, and that --fix checks the file
// still holds before writing, is the content scanned.
func TestLazyReadChangedFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/main.tf": bucketA, "b/main.tf": bucketB})
	changed := "# changed\nresource \"aws_s3_bucket\" \"renamed\" {}\n"
	b := filepath.ToSlash(filepath.Join(dir, "b", "main.tf"))
	res := lazyScan(t, dir, 1<<20, func() { writeFiles(t, dir, map[string]string{"b/main.tf": changed}) })

	i := slices.IndexFunc(res.Diagnostics, func(d source.Diagnostic) bool { return d.Summary == "file changed during the scan" })
	if i < 0 || res.Diagnostics[i].Severity != source.Warning || res.Diagnostics[i].Subject.Path != b || res.Diagnostics[i].Subject.Start.Line != 1 {
		t.Fatalf("no warning at %s:1 in %v", b, res.Diagnostics)
	}
	if len(res.Diagnostics) != 1 {
		t.Errorf("diagnostics %v, want only the warning", res.Diagnostics)
	}
	var addresses []string
	for _, f := range res.Findings {
		if f.Range.Path == b && !slices.Contains(addresses, f.Resource.Address) {
			addresses = append(addresses, f.Resource.Address)
		}
	}
	if !slices.Equal(addresses, []string{"aws_s3_bucket.renamed"}) {
		t.Errorf("findings in %s are about %v, want the bucket as it is now", b, addresses)
	}
	if f := res.File(b); f == nil || string(f.Src) != changed {
		t.Fatalf("the result holds %s as %q, want what was scanned", b, f.Src)
	}

	fixed, err := Fix(t.Context(), res)
	if err != nil {
		t.Fatal(err)
	}
	j := slices.IndexFunc(fixed.Files, func(f FixedFile) bool { return f.Path == b })
	if j < 0 || string(fixed.Files[j].Before) != changed || !strings.HasPrefix(string(fixed.Files[j].After), changed) {
		t.Fatalf("fixes of %s were not planned from the content scanned: %+v", b, fixed.Files)
	}
	writeFiles(t, dir, map[string]string{"b/main.tf": bucketB}) // changed again after the scan
	_, errs := fixed.Write(t.Context(), fixers.WriteOptions{})
	if len(errs) != 1 || !errors.Is(errs[0], fixers.ErrChanged) {
		t.Errorf("writing over a file changed since the scan: %v, want %v", errs, fixers.ErrChanged)
	}
	if got, _ := os.ReadFile(filepath.FromSlash(b)); string(got) != bucketB {
		t.Errorf("%s was rewritten: %q", b, got)
	}
}

// A file that can no longer be read when its unit is analysed (gone, replaced by a FIFO,
// grown past the file-bytes budget) is an error at its first line, as discovery reports
// such a file; the scan goes on with the others.
func TestLazyReadUnreadableFile(t *testing.T) {
	for _, tc := range []struct {
		name, summary string
		change        func(t *testing.T, path string)
	}{
		{"removed", "no such file or directory", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}},
		{"a FIFO", "a named pipe (FIFO), not a regular file; not read", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}},
		{"over the budget", "larger than the file-bytes budget", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(bucketB+strings.Repeat("# padding\n", 20)), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a/main.tf": bucketA, "b/main.tf": bucketB})
			b := filepath.Join(dir, "b", "main.tf")
			res := lazyScan(t, dir, 100, func() { tc.change(t, b) })
			if len(res.Diagnostics) != 1 {
				t.Fatalf("diagnostics %v, want one", res.Diagnostics)
			}
			d := res.Diagnostics[0]
			if d.Severity != source.Error || d.Subject == nil || d.Subject.Path != filepath.ToSlash(b) || d.Subject.Start.Line != 1 || !strings.Contains(d.Summary, tc.summary) {
				t.Errorf("diagnostic %v, want an error at %s:1 saying %q", d.Error(), b, tc.summary)
			}
			if res.Stats.FilesFailed != 1 || res.Stats.Files != 2 {
				t.Errorf("files %d, failed %d; want 2 and 1", res.Stats.Files, res.Stats.FilesFailed)
			}
			if !slices.ContainsFunc(res.Findings, func(f rules.Finding) bool { return f.Resource.Address == "aws_s3_bucket.a" }) {
				t.Error("the other unit was not scanned")
			}
		})
	}
}

// A partitioned scan that did not keep its files for Fix lets go of them all; File reads
// them again for the reports, and gives a file only while it holds the content scanned.
func TestResultFileReadsAgain(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/main.tf": bucketA, "b/main.tf": bucketB})
	a, b := filepath.ToSlash(filepath.Join(dir, "a", "main.tf")), filepath.ToSlash(filepath.Join(dir, "b", "main.tf"))
	res := lazyScan(t, dir, 1<<20, func() {})
	if len(res.Files) != 0 {
		t.Errorf("the result holds %d files", len(res.Files))
	}
	if f := res.File(a); f == nil || string(f.Src) != bucketA || f.Path != a {
		t.Errorf("File(%s) = %v, want it as scanned", a, f)
	}
	writeFiles(t, dir, map[string]string{"b/main.tf": bucketA})
	if f := res.File(b); f != nil {
		t.Errorf("File(%s) = %q, changed since the scan; want nil", b, f.Src)
	}
	if f := res.File(filepath.ToSlash(filepath.Join(dir, "c.tf"))); f != nil {
		t.Errorf("File of a file not scanned = %v", f)
	}
}
