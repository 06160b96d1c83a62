package cloudformation

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// parseFile parses testdata/name with the format its extension names and fails on
// error diagnostics.
func parseFile(t *testing.T, name string) (*source.File, []*graph.Resource) {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile(name, src)
	rs, diags := Parse(f, formatOf(name))
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return f, rs
}

func formatOf(name string) graph.Format {
	if strings.HasSuffix(name, ".json") {
		return graph.CloudFormationJSON
	}
	return graph.CloudFormationYAML
}

func resource(t *testing.T, rs []*graph.Resource, address string) *graph.Resource {
	t.Helper()
	for _, r := range rs {
		if r.ID.Address == address {
			return r
		}
	}
	t.Fatalf("no resource %q", address)
	return nil
}

// valueAt returns the value at path in v: dot-separated attribute names with [i] list
// indexes ("SecurityGroupIngress[0].CidrIp").
func valueAt(t *testing.T, v *graph.Value, path string) *graph.Value {
	t.Helper()
	for seg := range strings.SplitSeq(path, ".") {
		name, indexes, _ := strings.Cut(seg, "[")
		if name != "" {
			a := v.Get(name)
			if a == nil {
				t.Fatalf("%s: no attribute %q", path, name)
			}
			v = a.Value
		}
		for idx := range strings.SplitSeq(strings.TrimSuffix(indexes, "]"), "][") {
			if idx == "" {
				continue
			}
			k, err := strconv.Atoi(idx)
			if err != nil || k >= len(v.Items) {
				t.Fatalf("%s: no item %q", path, idx)
			}
			v = v.Items[k]
		}
	}
	return v
}

// spanOf renders a range as "line:col(byte)-line:col(byte)".
func spanOf(r source.Range) string {
	return fmt.Sprintf("%d:%d(%d)-%d:%d(%d)", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

// textOf returns the source text a range covers.
func textOf(f *source.File, r source.Range) string { return string(f.Src[r.Start.Byte:r.End.Byte]) }

// refsOf renders references as "Address" or "Address.Attr", space-separated.
func refsOf(refs []*graph.Ref) string {
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = r.Address
		if r.Attr != "" {
			s[i] += "." + r.Attr
		}
	}
	return strings.Join(s, " ")
}

// diagString renders diagnostics as "severity path:line:col: summary" lines.
func diagString(diags source.Diagnostics) string {
	lines := make([]string, len(diags))
	for i, d := range diags {
		lines[i] = d.Severity.String() + " " + d.Error()
	}
	return strings.Join(lines, "\n")
}

// checkResources asserts that every range the resources carry (the steps of traces too)
// lies inside f and agrees with f.PosAt.
func checkResources(t *testing.T, f *source.File, rs []*graph.Resource) {
	t.Helper()
	for _, r := range rs {
		checkRange(t, f, r.Range)
		checkRange(t, f, r.Header)
		for _, v := range []*graph.Value{r.Body, r.Metadata} {
			v.Walk(func(v *graph.Value) {
				checkRange(t, f, v.Range)
				if v.Origin != nil {
					checkRange(t, f, *v.Origin)
				}
				for _, s := range v.Trace {
					checkRange(t, f, s.Range)
				}
				for _, ref := range v.Refs {
					checkRange(t, f, ref.Range)
				}
				for _, a := range v.Attrs {
					checkRange(t, f, a.NameRange)
					checkRange(t, f, a.Range)
				}
			})
		}
	}
}

func checkRange(t *testing.T, f *source.File, r source.Range) {
	t.Helper()
	if r.Path != f.Path || r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(f.Src) {
		t.Fatalf("range %+v outside the %d-byte file", r, len(f.Src))
	}
	if r.Start != f.PosAt(r.Start.Byte) || r.End != f.PosAt(r.End.Byte) {
		t.Fatalf("range %+v disagrees with PosAt", r)
	}
}

// mustYAML parses f as a YAML document.
func mustYAML(t *testing.T, f *source.File) *document.Node {
	t.Helper()
	doc, diags := document.ParseYAML(f)
	if doc == nil || diags.HasErrors() {
		t.Fatalf("%s: %v", f.Path, diags)
	}
	return doc
}
