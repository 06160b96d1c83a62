package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// spoolMemory is how much of one report a spool keeps in memory before it moves it to a
// temporary file: a pre-commit run's report never needs a file, and a report of hundreds
// of thousands of findings does not double the scan's memory.
const spoolMemory = 1 << 20

// spool holds one rendered report until every report has rendered: in memory up to
// spoolMemory, then in a temporary file, or in memory when no temporary file can be made.
type spool struct {
	file *os.File
	buf  *bufio.Writer
	mem  bytes.Buffer
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) > spoolMemory {
		s.spill()
	}
	if s.file == nil {
		return s.mem.Write(p)
	}
	return s.buf.Write(p)
}

// spill moves what is in memory to a new temporary file, where the rest goes; it leaves
// everything in memory when the file cannot be made or written.
func (s *spool) spill() {
	f, err := os.CreateTemp("", "iacscan-report-*")
	if err != nil {
		return
	}
	os.Remove(f.Name()) // unix: gone with the last descriptor, whatever ends the process
	buf := bufio.NewWriterSize(f, 64<<10)
	if _, err := buf.Write(s.mem.Bytes()); err != nil {
		f.Close()
		return
	}
	s.file, s.buf = f, buf
	s.mem = bytes.Buffer{}
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
