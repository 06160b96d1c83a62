// Package e2e holds iacscan's end-to-end tests: they build the binary once and run it on
// the example repository (../examples) the way a user or a CI job does, checking exit
// codes, streams and every report format against the files on disk.
package e2e
