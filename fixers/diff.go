package fixers

import (
	"io"

	"github.com/aymanbagabas/go-udiff"
)

// contextLines is the number of unchanged lines shown around each change, as in `diff -u`.
const contextLines = 3

// Diff writes a unified diff of the edits to one file: the diff of src and src with the
// edits applied, as UnifiedDiff writes it.
func Diff(w io.Writer, path string, src []byte, edits []Edit) error {
	after, err := Apply(src, edits)
	if err != nil {
		return err
	}
	return UnifiedDiff(w, path, src, after)
}

// UnifiedDiff writes the unified diff that turns before into after, with "a/" and "b/"
// prefixes so that `git apply` and `patch -p1` take it, and nothing when they are equal.
// Lines keep their "\r"; a last line without newline is marked as diff marks it. The fix
// engine applies fixes in passes, each against the previous pass's content, so the whole
// result is shown as one line diff of the file read.
func UnifiedDiff(w io.Writer, path string, before, after []byte) error {
	old, new := string(before), string(after)
	text, err := udiff.ToUnified("a/"+path, "b/"+path, old, udiff.Lines(old, new), contextLines)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, text)
	return err
}
