// Package workers runs independent pieces of work on every core.
package workers

import (
	"runtime"
	"sync"
)

// Each calls fn(0) … fn(n-1), on up to GOMAXPROCS goroutines, and returns when all have
// returned. The calls must be independent of each other and of their order.
func Each(n int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range work {
				fn(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}
