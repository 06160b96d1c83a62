package bench

import (
	"os"
	"runtime"
	"testing"

	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/scan"
)

// BenchmarkScanDir scans the directory IACSCAN_BENCH_DIR names end to end, as the CLI
// would, to profile a real repository (go test -bench ScanDir -cpuprofile cpu.out ./bench/).
// It is skipped when the variable is unset: tests never read outside the repository.
func BenchmarkScanDir(b *testing.B) {
	dir := os.Getenv("IACSCAN_BENCH_DIR")
	if dir == "" {
		b.Skip("IACSCAN_BENCH_DIR is not set")
	}
	opts := scan.Options{Rules: builtin.All()}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var res *scan.Result
	for b.Loop() {
		var err error
		if res, err = scan.Run(b.Context(), []string{dir}, opts); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(res.Stats.Resources), "resources")
	b.ReportMetric(float64(len(res.Findings)), "findings")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(max(res.Stats.Resources, 1)), "allocs/resource")
}
