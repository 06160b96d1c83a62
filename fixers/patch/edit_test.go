package patch

import (
	"errors"
	"testing"
)

func TestApply(t *testing.T) {
	src := "cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\r\nacl = \"public-read\"" // CRLF, no final newline
	tests := []struct {
		name    string
		edits   []Edit
		want    string
		wantErr error
	}{
		{"no edits", nil, src, nil},
		{"replace", []Edit{{Start: 49, End: 62, New: `"private"`}}, "cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\r\nacl = \"private\"", nil},
		{"delete list item with separator", []Edit{{Start: 27, End: 40}}, "cidr_blocks = [\"10.0.0.0/8\"]\r\nacl = \"public-read\"", nil},
		{"two edits applied back to front", []Edit{{Start: 49, End: 62, New: `"private"`}, {Start: 27, End: 40}}, "cidr_blocks = [\"10.0.0.0/8\"]\r\nacl = \"private\"", nil},
		{"exact duplicates dropped", []Edit{{Start: 27, End: 40}, {Start: 27, End: 40}}, "cidr_blocks = [\"10.0.0.0/8\"]\r\nacl = \"public-read\"", nil},
		{"adjacent insertions keep order", []Edit{{Start: 0, End: 0, New: "a"}, {Start: 0, End: 0, New: "b"}}, "ab" + src, nil},
		{"insertion at end", []Edit{{Start: len(src), End: len(src), New: "\r\n"}}, src + "\r\n", nil},
		{"overlap rejected", []Edit{{Start: 20, End: 30}, {Start: 25, End: 35}}, "", ErrOverlap},
		{"two replacements of one span rejected", []Edit{{Start: 20, End: 30, New: "x"}, {Start: 20, End: 30, New: "y"}}, "", ErrOverlap},
		{"out of range", []Edit{{Start: 5, End: 500}}, "", ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apply([]byte(src), tc.edits)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && string(got) != tc.want {
				t.Fatalf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestApplyUTF8BeforeEdit(t *testing.T) {
	src := []byte("# café ☕\nacl = \"public-read\"\n")
	start := len("# café ☕\nacl = ")
	got, err := Apply(src, []Edit{{Start: start, End: start + len(`"public-read"`), New: `"private"`}})
	if err != nil || string(got) != "# café ☕\nacl = \"private\"\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}
