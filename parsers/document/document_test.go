package document

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/source"
)

// check is an expectation about the node at path: its exact range, written
// "line:col(byte)-line:col(byte)", and the source text the range covers.
type check struct {
	path string
	span string
	text string
}

// find returns the node at path: dot-separated keys with [i] indexes
// ("Resources.SG.Properties.Ingress[1].CidrIp"); a final "@key" selects the key of the last
// entry instead of its value; "" is the root.
func find(t *testing.T, root *Node, path string) *Node {
	t.Helper()
	path, wantKey := strings.CutSuffix(path, "@key")
	n := root
	if path == "" {
		return n
	}
	segments := strings.Split(path, ".")
	for i, seg := range segments {
		name, indexes, _ := strings.Cut(seg, "[")
		if name != "" {
			p := n.Pair(name)
			if p == nil {
				t.Fatalf("%s: no key %q", path, name)
			}
			n = p.Value
			if wantKey && i == len(segments)-1 && indexes == "" {
				return p.Key
			}
		}
		for idx := range strings.SplitSeq(strings.TrimSuffix(indexes, "]"), "][") {
			if idx == "" {
				continue
			}
			k, err := strconv.Atoi(idx)
			if err != nil || k >= len(n.Items) {
				t.Fatalf("%s: no item %q", path, idx)
			}
			n = n.Items[k]
		}
	}
	return n
}

func spanOf(r source.Range) string {
	return fmt.Sprintf("%d:%d(%d)-%d:%d(%d)", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

// checkRanges asserts every check against the tree parsed from f.
func checkRanges(t *testing.T, f *source.File, root *Node, checks []check) {
	t.Helper()
	for _, c := range checks {
		n := find(t, root, c.path)
		if got := spanOf(n.Range); got != c.span {
			t.Errorf("%s: range %s, want %s", c.path, got, c.span)
		}
		if got := string(f.Src[n.Range.Start.Byte:n.Range.End.Byte]); got != c.text {
			t.Errorf("%s: text %q, want %q", c.path, got, c.text)
		}
		if n.Range.Path != f.Path {
			t.Errorf("%s: path %q, want %q", c.path, n.Range.Path, f.Path)
		}
	}
}

func TestNodePairAndGet(t *testing.T) {
	f := source.NewFile("t.yaml", []byte("a: 1\nb: {c: 2}\na: 3\n"))
	root, _ := ParseYAML(f)
	tests := []struct {
		name  string
		node  *Node
		key   string
		value string // "" when no entry is expected
	}{
		{"first of duplicates", root, "a", "1"},
		{"nested mapping", root.Get("b"), "c", "2"},
		{"missing key", root, "z", ""},
		{"not a mapping", root.Get("a"), "a", ""},
		{"nil node", nil, "a", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, v := tc.node.Pair(tc.key), tc.node.Get(tc.key)
			if tc.value == "" {
				if p != nil || v != nil {
					t.Fatalf("Pair/Get(%q) = %v, %v; want nil", tc.key, p, v)
				}
				return
			}
			if p == nil || p.Key.Value != tc.key || p.Value != v || v.Value != tc.value {
				t.Fatalf("Pair/Get(%q) = %+v, %+v; want value %q", tc.key, p, v, tc.value)
			}
		})
	}
}

func TestStyleQuoted(t *testing.T) {
	want := map[Style]bool{Plain: false, SingleQuoted: true, DoubleQuoted: true, Literal: false, Folded: false, Flow: false}
	for s, q := range want {
		if s.Quoted() != q {
			t.Errorf("Style(%d).Quoted() = %v, want %v", s, !q, q)
		}
	}
}

// diagString renders diagnostics as "severity path:line:col: summary: detail" lines.
func diagString(diags source.Diagnostics) string {
	lines := make([]string, len(diags))
	for i, d := range diags {
		lines[i] = d.Severity.String() + " " + d.Error()
	}
	return strings.Join(lines, "\n")
}

// TestDuplicatesShortAndLong asserts the same warnings for a mapping searched key by key
// and one indexed in a map: each repeat of a key names the line of its first definition.
func TestDuplicatesShortAndLong(t *testing.T) {
	for _, n := range []int{shortMapping - 2, shortMapping + 4} {
		var b strings.Builder
		var want []string
		for i := range n {
			key := fmt.Sprintf("k%d", i%3)
			fmt.Fprintf(&b, "%s: %d\n", key, i)
			if i >= 3 {
				want = append(want, fmt.Sprintf("warning t.yaml:%d:1: duplicate key %q: first defined at line %d", i+1, key, i%3+1))
			}
		}
		_, diags := ParseYAML(source.NewFile("t.yaml", []byte(b.String())))
		var got []string
		for _, d := range diags {
			got = append(got, d.Severity.String()+" "+d.Error())
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d entries: got\n%s\nwant\n%s", n, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
