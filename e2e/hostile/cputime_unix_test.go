//go:build unix

package hostile

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used: unlike wall time, it does not grow when
// other processes share the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
