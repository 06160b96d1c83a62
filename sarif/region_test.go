package sarif

import (
	"testing"

	"github.com/iacscan/iacscan/source"
)

func TestUTF16Column(t *testing.T) {
	// "é" is 2 bytes and 1 UTF-16 unit, "🔑" 4 bytes and 2 units, "\xff" an invalid byte.
	file := source.NewFile("a.tf", []byte("ab\n\té🔑x\n\xffy\r\nz"))
	tests := []struct {
		name string
		file *source.File
		pos  source.Pos
		want int
	}{
		{"line start", file, file.PosAt(0), 1},
		{"ASCII", file, file.PosAt(2), 3},
		{"after a tab and é", file, file.PosAt(6), 3},
		{"after a surrogate pair", file, file.PosAt(10), 5},
		{"after an invalid byte", file, file.PosAt(13), 2},
		{"before CRLF", file, file.PosAt(14), 3},
		{"last line without newline", file, file.PosAt(16), 1},
		{"no file: the code-point column", nil, source.Pos{Line: 2, Column: 4, Byte: 10}, 4},
		{"line out of range", file, source.Pos{Line: 9, Column: 7}, 7},
		{"byte not on the line", file, source.Pos{Line: 1, Column: 2, Byte: 12}, 2},
		{"zero position", file, source.Pos{}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := utf16Column(tc.file, tc.pos); got != tc.want {
				t.Errorf("utf16Column(%+v) = %d, want %d", tc.pos, got, tc.want)
			}
		})
	}
}
