package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// spool holds one rendered report until every report has rendered: in a temporary file,
// so that a report of hundreds of thousands of findings does not double the scan's memory,
// or in memory when no temporary file can be made.
type spool struct {
	file *os.File
	buf  *bufio.Writer
	mem  bytes.Buffer
}

func newSpool() *spool {
	s := &spool{}
	if f, err := os.CreateTemp("", "iacscan-report-*"); err == nil {
		os.Remove(f.Name()) // unix: gone with the last descriptor, whatever ends the process
		s.file, s.buf = f, bufio.NewWriterSize(f, 64<<10)
	}
	return s
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil {
		return s.mem.Write(p)
	}
	return s.buf.Write(p)
}

// copyTo writes what was spooled to w.
func (s *spool) copyTo(w io.Writer) error {
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.buf.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

// Close releases the temporary file, removing it where it still exists (systems that do
// not remove an open file).
func (s *spool) Close() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
	}
}

// writeFile writes what s spooled to the file at path, as os.WriteFile would.
func writeFile(path string, s *spool) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	err = s.copyTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
