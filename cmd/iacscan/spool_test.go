package main

import (
	"bytes"
	"testing"
)

// TestSpool: a report stays in memory up to spoolMemory and moves to a temporary file
// beyond it; either way copyTo gives back exactly what was written, in order.
func TestSpool(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks int
		size   int
		inFile bool
	}{
		{name: "empty", chunks: 0, size: 0, inFile: false},
		{name: "small", chunks: 3, size: 100, inFile: false},
		{name: "exactly the limit", chunks: 4, size: spoolMemory / 4, inFile: false},
		{name: "one byte over", chunks: 1, size: spoolMemory + 1, inFile: true},
		{name: "many writes over", chunks: 300, size: 7000, inFile: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &spool{}
			defer s.Close()
			var want bytes.Buffer
			for i := range tc.chunks {
				chunk := bytes.Repeat([]byte{byte('a' + i%26)}, tc.size)
				want.Write(chunk)
				if n, err := s.Write(chunk); n != len(chunk) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			if inFile := s.file != nil; inFile != tc.inFile {
				t.Errorf("in a file: %v, want %v", inFile, tc.inFile)
			}
			var got bytes.Buffer
			if err := s.copyTo(&got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("copyTo gave %d bytes, want the %d written", got.Len(), want.Len())
			}
		})
	}
}
