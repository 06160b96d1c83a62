// Package fixers turns the fix intents that rules attach to findings into byte edits of
// the original files (Plan, with a patcher per format: hclpatch, yamlpatch, jsonpatch),
// applies them, shows them as unified diffs, and writes the result safely. Every byte
// outside an edit is preserved, comments and formatting included.
package fixers

import "github.com/iacscan/iacscan/fixers/patch"

// The edit model lives in package patch, which the per-format patchers import; it is
// re-exported here because fixers is where the rest of iacscan finds it.

// Edit replaces the bytes [Start, End) of the file at Path with New.
type Edit = patch.Edit

// ErrOverlap reports two edits of one file that touch the same bytes.
var ErrOverlap = patch.ErrOverlap

// ErrOutOfRange reports an edit outside the file.
var ErrOutOfRange = patch.ErrOutOfRange

// Normalize sorts the edits of one file, drops exact duplicates and rejects overlaps.
func Normalize(edits []Edit, size int) ([]Edit, error) { return patch.Normalize(edits, size) }

// Apply applies the edits of one file to src and returns the new content.
func Apply(src []byte, edits []Edit) ([]byte, error) { return patch.Apply(src, edits) }
