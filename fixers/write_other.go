//go:build !unix

package fixers

import (
	"io/fs"
	"os"
)

// hardLinks returns 1: the platform's file information does not count links.
func hardLinks(fs.FileInfo) int { return 1 }

// keepOwner does nothing: the platform has no Unix owners.
func keepOwner(*os.File, fs.FileInfo) {}
