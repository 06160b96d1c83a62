package hostile

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
)

var writeDir = flag.String("write", "", "write every case at the size the issue reported into `DIR`/<case>, for measuring the binary by hand")

// TestWrite writes the cases at the issue's sizes when -write is given: a 100 MB file has
// no place in a unit test, but measuring the binary on it must stay reproducible.
func TestWrite(t *testing.T) {
	if *writeDir == "" {
		t.Skip("no -write directory")
	}
	for _, c := range cases {
		writeTree(t, filepath.Join(*writeDir, c.name), c.files(c.issue))
	}
}

// writeTree writes files, and the neighbour, under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	files[neighbourPath] = neighbourSrc
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var scanDir = flag.String("scan", "", "scan `DIR` in process as measure does, for profiling with -cpuprofile and -memprofile")

// TestScanDir scans the tree given by -scan and writes its three reports, so that
// `go test -run TestScanDir -scan DIR -cpuprofile cpu.out -memprofile mem.out` profiles
// one case that TestWrite wrote.
func TestScanDir(t *testing.T) {
	if *scanDir == "" {
		t.Skip("no -scan directory")
	}
	w := scanTree(t, *scanDir)
	t.Logf("%d findings, %v CPU, %d MB allocated, %d bytes of reports", len(w.res.Findings), w.elapsed, w.alloc>>20, w.output)
}

var heapPrefix = flag.String("heap", "", "write the live heap after the scan and after fix planning to `PREFIX`.scanned and PREFIX.planned (go tool pprof -sample_index=inuse_space)")

// writeHeap writes the live heap at a stage of scanTree when -heap is given: the peak a
// 1 GiB bound is about is what is live, which -memprofile (allocations) does not show.
func writeHeap(t *testing.T, stage string) {
	t.Helper()
	if *heapPrefix == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(*heapPrefix + "." + stage)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
}
