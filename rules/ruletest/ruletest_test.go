package ruletest

import (
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/source"
)

func TestTouched(t *testing.T) {
	f := source.NewFile("f", []byte("one\r\ntwo\r\nthree\r\n"))
	tests := []struct {
		name        string
		edit        fixers.Edit
		first, last int // last < first: no line
	}{
		{"replace inside a line", fixers.Edit{Start: 5, End: 8, New: "2"}, 2, 2},
		{"delete a whole line", fixers.Edit{Start: 5, End: 10}, 2, 2},
		{"delete from the end of the line before", fixers.Edit{Start: 3, End: 8}, 2, 2},
		{"insert whole lines", fixers.Edit{Start: 5, End: 5, New: "new\r\n"}, 1, 0},
		{"insert in a line", fixers.Edit{Start: 8, End: 8, New: ","}, 2, 2},
		{"delete across lines", fixers.Edit{Start: 0, End: 12}, 1, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first, last := touched(f, tc.edit)
			if first != tc.first || last != tc.last {
				t.Errorf("touched = %d..%d, want %d..%d", first, last, tc.first, tc.last)
			}
		})
	}
}
