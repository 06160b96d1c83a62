package main

import (
	"runtime"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, 200},
		{1 << 20, 200},
		{48 << 20, 200},  // 144 MiB is three times 48
		{64 << 20, 125},  // 144/64 - 1
		{72 << 20, 100},  // half the goal: Go's default
		{512 << 20, 100}, // hostile input: never below the default
	} {
		if got := gcPercent(tt.live); got != tt.want {
			t.Errorf("gcPercent(%d MiB) = %d, want %d", tt.live>>20, got, tt.want)
		}
	}
}

// watchCollections calls its function after each collection, not once.
func TestWatchCollections(t *testing.T) {
	calls := make(chan struct{}, 16)
	watchCollections(func() {
		select {
		case calls <- struct{}{}:
		default:
		}
	})
	for i := range 2 {
		runtime.GC()
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("no call after collection %d", i+1)
		}
	}
}
