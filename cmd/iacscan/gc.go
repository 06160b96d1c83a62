package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Garbage collection: Go collects whenever the heap has grown by GOGC percent (100) of what
// was live after the last collection. A scan allocates fast and keeps little: on a large
// tree, collecting half as often (GOGC 200) saves a sixth of the wall time. But the heap may
// then grow to three times what is live, and on hostile input what is live is hundreds of
// megabytes; a memory limit would bound that, but makes the collector run without pause
// once the live heap nears it (three times slower on a 10 MB template). So the percentage
// follows the live heap, read after every collection: up to 200 while the heap may grow to
// heapGoal, Go's 100 once what is live is more than half of that.
const (
	heapGoal           = 144 << 20
	minGCPct, maxGCPct = 100, 200
)

// tuneGC makes the collector follow the live heap, as the comment above says, unless GOGC
// or GOMEMLIMIT is set: then the user has chosen.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(maxGCPct)
	watchCollections(func() { debug.SetGCPercent(gcPercent(liveHeap())) })
}

// gcPercent is the GOGC that lets a heap with live bytes grow to heapGoal, within
// [minGCPct, maxGCPct].
func gcPercent(live uint64) int {
	if live == 0 {
		return maxGCPct
	}
	return int(min(max(100*(float64(heapGoal)/float64(live)-1), minGCPct), maxGCPct))
}

// watchCollections calls fn after every garbage collection, from then on: the cleanup of
// an object nothing references runs once a collection has freed it, and arms the next.
func watchCollections(fn func()) {
	sentinel := new([64]byte) // not a tiny allocation, whose cleanups may never run
	runtime.AddCleanup(sentinel, func(struct{}) {
		fn()
		watchCollections(fn)
	}, struct{}{})
}

// liveHeap returns the bytes of heap objects the last collection found reachable.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
