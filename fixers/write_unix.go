//go:build unix

package fixers

import (
	"io/fs"
	"os"
	"syscall"
)

// hardLinks returns how many names the file has.
func hardLinks(info fs.FileInfo) int {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int(st.Nlink)
	}
	return 1
}

// keepOwner gives f the owner and group of the original, as far as the process may: a
// user other than root can only keep the group, and only one it belongs to; a refused
// change leaves the file the process's own.
func keepOwner(f *os.File, info fs.FileInfo) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if f.Chown(int(st.Uid), int(st.Gid)) != nil {
		_ = f.Chown(-1, int(st.Gid))
	}
}
