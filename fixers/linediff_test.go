package fixers

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestLineEdits(t *testing.T) {
	tests := []struct {
		name, before, after string
		want                []Edit
	}{
		{"equal", "a\nb\n", "a\nb\n", nil},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", []Edit{{Path: "f", Start: 2, End: 4, New: "B\n"}}},
		{"lines deleted and inserted far apart", "a\nb\nc\nd\ne\n", "x\na\nb\nc\ne\n", []Edit{{Path: "f", Start: 0, End: 0, New: "x\n"}, {Path: "f", Start: 6, End: 8}}},
		{"the final newline", "a\nb", "a\nb\n", []Edit{{Path: "f", Start: 2, End: 3, New: "b\n"}}},
		{"from empty", "", "a\n", []Edit{{Path: "f", New: "a\n"}}},
		{"to empty", "a\r\nb\r\n", "", []Edit{{Path: "f", End: 6}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := LineEdits("f", []byte(tc.before), []byte(tc.after))
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %+v, want %+v", got, tc.want)
				}
			}
		})
	}
}

// TestLineEditsRoundTrip checks on random line shuffles that the edits turn before into
// after, and that no edit replaces a line by itself.
func TestLineEditsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\n", "d\n", "e"}
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(words[r.IntN(len(words)-1)])
		}
		if r.IntN(2) == 0 {
			b.WriteString(words[len(words)-1])
		}
		return b.String()
	}
	for i := range 500 {
		before, after := text(), text()
		edits := LineEdits("f", []byte(before), []byte(after))
		got, err := Apply([]byte(before), edits)
		if err != nil || string(got) != after {
			t.Fatalf("case %d: %q -> %q: edits %+v give %q, %v", i, before, after, edits, got, err)
		}
		for _, e := range edits {
			if before[e.Start:e.End] == e.New {
				t.Fatalf("case %d: a no-op edit %+v", i, e)
			}
		}
	}
}
