package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// span formats a range as "line:col#byte-line:col#byte": every position a test asserts.
func span(r source.Range) string {
	return fmt.Sprintf("%d:%d#%d-%d:%d#%d", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

// describe summarises a value's type and content: `string "web"`, `number -1 "-1"`,
// `bool true`, `null`, `list 2`, `map 3`, `block 3`, `unknown`.
func describe(v *graph.Value) string {
	switch v.Type {
	case graph.String:
		return fmt.Sprintf("string %q", v.Str)
	case graph.Number:
		return fmt.Sprintf("number %v %q", v.Num, v.Str)
	case graph.Bool:
		return fmt.Sprintf("bool %v", v.Bool)
	case graph.List:
		return fmt.Sprintf("list %d", len(v.Items))
	case graph.Map:
		if v.Block {
			return fmt.Sprintf("block %d", len(v.Attrs))
		}
		return fmt.Sprintf("map %d", len(v.Attrs))
	}
	return v.Type.String()
}

// refs formats a value's references as "address[attr]@span".
func refs(v *graph.Value) []string {
	var out []string
	for _, r := range v.Refs {
		out = append(out, fmt.Sprintf("%s[%s]@%s", r.Address, r.Attr, span(r.Range)))
	}
	return out
}

// lookup follows a path such as "ingress[1].cidr_blocks[0]" or "tags.Name" from v: a name
// picks the first attribute of that name; [i] after a block's name picks the i-th block of
// that name (numbered as graph.Resource.PathOf does), after any other name the i-th item of
// its list. The attribute is nil when the path ends at a list item.
func lookup(v *graph.Value, path string) (*graph.Attribute, *graph.Value) {
	var attr *graph.Attribute
	for seg := range strings.SplitSeq(path, ".") {
		name, idx := seg, -1
		if i := strings.IndexByte(seg, '['); i >= 0 {
			name = seg[:i]
			n, err := strconv.Atoi(strings.Trim(seg[i:], "[]"))
			if err != nil {
				return nil, nil
			}
			idx = n
		}
		attr = nth(v, name, idx)
		if attr == nil {
			return nil, nil
		}
		v = attr.Value
		if idx >= 0 && !v.Block {
			if idx >= len(v.Items) {
				return nil, nil
			}
			attr, v = nil, v.Items[idx]
		}
	}
	return attr, v
}

// nth returns the idx-th block named name, or the first attribute of that name.
func nth(v *graph.Value, name string, idx int) *graph.Attribute {
	seen := 0
	for _, a := range v.Attrs {
		if a.Name != name {
			continue
		}
		if !a.Value.Block || idx <= seen {
			return a
		}
		seen++
	}
	return nil
}

// byAddress indexes resources by address; a test fails on a duplicate it did not expect.
func byAddress(t *testing.T, rs []*graph.Resource) map[string]*graph.Resource {
	t.Helper()
	out := make(map[string]*graph.Resource, len(rs))
	for _, r := range rs {
		if _, dup := out[r.ID.Address]; dup {
			t.Fatalf("resource %s returned twice", r.ID.Address)
		}
		out[r.ID.Address] = r
	}
	return out
}

// readFile loads a testdata file as the scanner would, under a module directory.
func readFile(t testing.TB, name string) *source.File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return source.NewFile("modules/web/"+name, src)
}

// diagnostics formats diagnostics as "severity summary@span".
func diagnostics(ds source.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		at := "nowhere"
		if d.Subject != nil {
			at = span(*d.Subject)
		}
		out = append(out, fmt.Sprintf("%s %s@%s", d.Severity, d.Summary, at))
	}
	return out
}

// addresses lists resource addresses in the order returned.
func addresses(rs []*graph.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID.Address)
	}
	return out
}
