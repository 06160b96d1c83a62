package bench

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// TestCorpus checks the generator: the scan reads exactly the resources it wrote, without a
// single diagnostic, and finds both rule families in every format.
func TestCorpus(t *testing.T) {
	res := scanGenerated(t, func(dir string) (int, error) { return WriteCorpus(dir, 400) })
	families := map[string]bool{}
	for _, f := range res.Findings {
		families[f.Rule.ID[:len("AWS-S3")]] = true
	}
	if !families["AWS-S3"] || !families["AWS-EC"] {
		t.Errorf("corpus should produce findings of both families, got %v", families)
	}
}

// BenchmarkScan scans the generated corpus end to end (discover, parse, link, check) at
// 10,000 and 20,000 resources, reporting time and allocations per resource. The product's
// target is < 1 s for 10,000 resources on 2 cores, and at most 2.2x that for twice as many.
func BenchmarkScan(b *testing.B) {
	for _, size := range []int{10_000, 20_000} {
		b.Run(fmt.Sprintf("resources=%d", size), func(b *testing.B) {
			dir := b.TempDir()
			n, err := WriteCorpus(dir, size)
			if err != nil {
				b.Fatal(err)
			}
			scanPerResource(b, dir, n)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/scan")
		})
	}
}

// scanPerResource scans dir, which holds n resources, with every built-in rule in a
// benchmark loop, reporting allocations and time per resource.
func scanPerResource(b *testing.B, dir string, n int) {
	b.Helper()
	opts := scan.Options{Rules: builtin.All()}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if _, err := scan.Run(b.Context(), []string{dir}, opts); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(n), "allocs/resource")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
}

// BenchmarkTerraformEvaluation reads the Terraform part of the 10,000-resource corpus
// twice, on every core: file by file without evaluation (terraform.Parse, values written
// as literals only), and as modules evaluated as `terraform plan` would (variables,
// locals, for_each module calls, traces). The difference is what evaluation costs.
func BenchmarkTerraformEvaluation(b *testing.B) {
	dir := b.TempDir()
	if _, err := WriteCorpus(dir, 10_000); err != nil {
		b.Fatal(err)
	}
	files := terraformFiles(b, dir)
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			work := make(chan *source.File)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for f := range work {
						terraform.Parse(f)
					}
				})
			}
			for _, f := range files {
				work <- f
			}
			close(work)
			wg.Wait()
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, diags := terraform.LoadModules(files, terraform.Options{}); len(diags) > 0 {
				b.Fatal(diags)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
}

// terraformFiles reads the .tf files under dir, with paths relative to it.
func terraformFiles(b *testing.B, dir string) []*source.File {
	b.Helper()
	var files []*source.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files = append(files, source.NewFile(filepath.ToSlash(rel), src))
		return err
	})
	if err != nil || len(files) == 0 {
		b.Fatalf("reading the corpus: %d files, %v", len(files), err)
	}
	return files
}

// TestModuleCorpus checks the module-shaped generator: the scan reads exactly the
// resources its examples instantiate, without a diagnostic, and the open port 22 of
// the security group every example configures is found through the modules.
func TestModuleCorpus(t *testing.T) {
	res := scanGenerated(t, func(dir string) (int, error) { return WriteModuleCorpus(dir, 2) })
	open := 0
	for _, f := range res.Findings {
		if f.Rule.ID == "AWS-EC2-002" {
			open++
		}
	}
	if want := 2 * examplesPerRepo; open != want {
		t.Errorf("%d findings of AWS-EC2-002 (SSH open to the world), want %d", open, want)
	}
}

// BenchmarkModules scans the module-shaped corpus (WriteModuleCorpus): 10 and 20
// repositories of 8 examples that instantiate the same local modules, as the
// terraform-aws-modules repositories do. Evaluation, not parsing, dominates here.
func BenchmarkModules(b *testing.B) {
	for _, repos := range []int{10, 20} {
		b.Run(fmt.Sprintf("repos=%d", repos), func(b *testing.B) {
			dir := b.TempDir()
			n, err := WriteModuleCorpus(dir, repos)
			if err != nil {
				b.Fatal(err)
			}
			scanPerResource(b, dir, n)
		})
	}
}

// BenchmarkLinearity scans each corpus at one size and at twice that size and reports the
// ratios of the larger scan to the smaller: time, bytes allocated, and the heap still
// live while the result is held. The target is at most 2.1 for each; they are metrics to
// compare with benchstat, never asserted (timings on a shared machine are noise).
func BenchmarkLinearity(b *testing.B) {
	for _, c := range []struct {
		name  string
		write func(dir string, size int) (int, error)
		size  int
	}{
		{"generated", WriteCorpus, 10_000},
		{"modules", WriteModuleCorpus, 20},
	} {
		b.Run(c.name, func(b *testing.B) {
			small, large := b.TempDir(), b.TempDir()
			if _, err := c.write(small, c.size); err != nil {
				b.Fatal(err)
			}
			if _, err := c.write(large, 2*c.size); err != nil {
				b.Fatal(err)
			}
			var s, l scanCost
			for b.Loop() {
				s.add(measureScan(b, small))
				l.add(measureScan(b, large))
			}
			b.ReportMetric(float64(l.time)/float64(s.time), "time-ratio")
			b.ReportMetric(float64(l.alloc)/float64(s.alloc), "alloc-ratio")
			b.ReportMetric(float64(l.live)/float64(s.live), "live-heap-ratio")
		})
	}
}

// scanCost is what scans cost, summed: wall time, bytes allocated, live heap after.
type scanCost struct {
	time        time.Duration
	alloc, live uint64
}

func (c *scanCost) add(o scanCost) {
	c.time += o.time
	c.alloc += o.alloc
	c.live += o.live
}

// measureScan scans dir once and plans its fixes. The live heap is read after a collection, with the result
// still held: what a scan keeps, not what it churns through.
func measureScan(b *testing.B, dir string) scanCost {
	b.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := scan.Run(b.Context(), []string{dir}, scan.Options{Rules: builtin.All()})
	if err != nil {
		b.Fatal(err)
	}
	// As the JSON and SARIF reports do. Without it the sizes would not compare: a scan
	// large enough to be partitioned plans its fixes unit by unit, within Run.
	res.PlanFixes()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	return scanCost{time: elapsed, alloc: alloc, live: after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)}
}

// scanGenerated writes a corpus with write into a temporary directory and scans it with
// every built-in rule; the scan must read exactly the resources write reports, without a
// diagnostic.
func scanGenerated(t *testing.T, write func(dir string) (int, error)) *scan.Result {
	t.Helper()
	dir := t.TempDir()
	n, err := write(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(t.Context(), []string{dir}, scan.Options{Rules: builtin.All()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Resources != n {
		t.Errorf("scanned %d resources, generator wrote %d", res.Stats.Resources, n)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %v", d)
	}
	return res
}
