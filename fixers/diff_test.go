package fixers

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
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
		{
			name:  "CRLF lines keep their carriage return",
			src:   "a = 1\r\nb = 2\r\n",
			edits: []Edit{{Start: 4, End: 5, New: "9"}},
			want:  "--- a/f.tf\n+++ b/f.tf\n@@ -1,2 +1,2 @@\n-a = 1\r\n+a = 9\r\n b = 2\r\n",
		},
		{
			name:  "a line added after the last one leaves that line as context",
			src:   "a {\n  b = 1\n}",
			edits: []Edit{{Start: 11, End: 11, New: "\n  c = 2"}},
			want: `--- a/f.tf
+++ b/f.tf
@@ -1,3 +1,4 @@
 a {
   b = 1
+  c = 2
 }
\ No newline at end of file
`,
		},
		{
			name:  "a block removed among equal lines stays where the edit is",
			src:   "x {\n  a {\n    k = 1\n  }\n\n  b {\n    k = 2\n  }\n}\n",
			edits: []Edit{{Start: 24, End: 45}}, // the blank line and block b
			want: `--- a/f.tf
+++ b/f.tf
@@ -2,8 +2,4 @@
   a {
     k = 1
   }
-
-  b {
-    k = 2
-  }
 }
`,
		},
		{
			name:  "into an empty file",
			src:   "",
			edits: []Edit{{New: "a\n"}},
			want:  "--- a/f.tf\n+++ b/f.tf\n@@ -0,0 +1 @@\n+a\n",
		},
		{
			name:  "no edits, no diff",
			src:   src,
			edits: nil,
			want:  "",
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

// TestUnifiedDiffApplies checks on random line shuffles, with and without a final newline
// and with CRLF lines, that the diff applies to before as patch applies it and gives after,
// and likewise for Diff of random edits.
func TestUnifiedDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\r\n", "d\n", "e"}
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
		var b strings.Builder
		if err := UnifiedDiff(&b, "f", []byte(before), []byte(after)); err != nil {
			t.Fatal(err)
		}
		if got, err := applyPatch(before, b.String()); err != nil || got != after {
			t.Fatalf("case %d: %q -> %q: patch\n%s\ngives %q, %v", i, before, after, b.String(), got, err)
		}
		edits := randomEdits(r, len(before))
		want, err := Apply([]byte(before), edits)
		if err != nil {
			t.Fatal(err)
		}
		b.Reset()
		if err := Diff(&b, "f", []byte(before), edits); err != nil {
			t.Fatal(err)
		}
		if got, err := applyPatch(before, b.String()); err != nil || got != string(want) {
			t.Fatalf("case %d: %q with edits %+v: patch\n%s\ngives %q, %v", i, before, edits, b.String(), got, err)
		}
	}
}

// randomEdits returns up to three sorted, non-overlapping edits of a text of size bytes.
func randomEdits(r *rand.Rand, size int) []Edit {
	news := []string{"", "x", "\n", "y\n", "\nz", "a\n"}
	var edits []Edit
	at := 0
	for range r.IntN(4) {
		if at > size {
			break
		}
		start := at + r.IntN(size-at+1)
		end := start + r.IntN(min(3, size-start)+1)
		edits = append(edits, Edit{Start: start, End: end, New: news[r.IntN(len(news))]})
		at = end + 1
	}
	return edits
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// applyPatch applies a one-file unified diff strictly: the header's line numbers and
// counts must match the hunk, and its context and removed lines must be those of src.
func applyPatch(src, patch string) (string, error) {
	if patch == "" {
		return src, nil
	}
	old := strings.SplitAfter(src, "\n")
	if old[len(old)-1] == "" {
		old = old[:len(old)-1]
	}
	lines := strings.SplitAfter(patch, "\n")
	if len(lines) < 3 || lines[0] != "--- a/f\n" || lines[1] != "+++ b/f\n" {
		return "", fmt.Errorf("bad file header")
	}
	var out []string
	at, i := 0, 2 // at: lines of old copied or consumed; i: the patch line read
	for i < len(lines) && lines[i] != "" {
		m := hunkHeader.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			return "", fmt.Errorf("bad hunk header %q", lines[i])
		}
		start, oldN, newStart, newN := number(m[1]), count(m[2]), number(m[3]), count(m[4])
		if oldN == 0 {
			start++ // "-N,0" names the line after which the hunk inserts
		}
		if newN == 0 {
			newStart++
		}
		if start-1 < at || start-1 > len(old) {
			return "", fmt.Errorf("hunk %q starts out of order", lines[i])
		}
		out = append(out, old[at:start-1]...)
		at = start - 1
		if newStart != len(out)+1 {
			return "", fmt.Errorf("hunk %q: new side starts at %d, want %d", lines[i], newStart, len(out)+1)
		}
		gotOld, gotNew := 0, 0
		for i++; i < len(lines) && lines[i] != "" && lines[i][0] != '@'; i++ {
			op, text := lines[i][0], lines[i][1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			if op == ' ' || op == '-' {
				if at >= len(old) || old[at] != text {
					return "", fmt.Errorf("line %d of src is not %q", at+1, text)
				}
				at++
				gotOld++
			}
			if op == ' ' || op == '+' {
				out = append(out, text)
				gotNew++
			}
		}
		if gotOld != oldN || gotNew != newN {
			return "", fmt.Errorf("hunk counts %d,%d, header says %d,%d", gotOld, gotNew, oldN, newN)
		}
	}
	return strings.Join(append(out, old[at:]...), ""), nil
}

func number(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// count reads a hunk header's line count, which is 1 when left out.
func count(s string) int {
	if s == "" {
		return 1
	}
	return number(s)
}
