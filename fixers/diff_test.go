package fixers

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	src := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\n"
	off := func(line int) int { return (line - 1) * 2 } // every line is one letter + \n
	tests := []struct {
		name  string
		src   string
		edits []Edit
		want  string
	}{
		{
			name:  "replace one line",
			src:   src,
			edits: []Edit{{Start: off(5), End: off(5) + 1, New: "E"}},
			want: `--- a/f.tf
+++ b/f.tf
@@ -2,7 +2,7 @@
 b
 c
 d
-e
+E
 f
 g
 h
`,
		},
		{
			name:  "delete a line at the start",
			src:   src,
			edits: []Edit{{Start: 0, End: 2}},
			want: `--- a/f.tf
+++ b/f.tf
@@ -1,4 +1,3 @@
-a
 b
 c
 d
`,
		},
		{
			name:  "two far edits make two hunks with shifted new line numbers",
			src:   src,
			edits: []Edit{{Start: off(2), End: off(2), New: "new\n"}, {Start: off(15), End: off(15) + 1, New: "O"}},
			want: `--- a/f.tf
+++ b/f.tf
@@ -1,4 +1,5 @@
 a
+new
 b
 c
 d
@@ -12,5 +13,5 @@
 l
 m
 n
-o
+O
 p
`,
		},
		{
			name:  "no final newline",
			src:   "x = 1\ny = 2",
			edits: []Edit{{Start: 10, End: 11, New: "3"}},
			want: `--- a/f.tf
+++ b/f.tf
@@ -1,2 +1,2 @@
 x = 1
-y = 2
\ No newline at end of file
+y = 3
\ No newline at end of file
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := Diff(&b, "f.tf", []byte(tc.src), tc.edits); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", b.String(), tc.want)
			}
		})
	}
}
