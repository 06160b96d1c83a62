package suppress

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// FuzzInline feeds arbitrary files to the comment scanners and the directive parser, and
// applies what they find: nothing may panic, and every ignore must lie inside the file.
func FuzzInline(f *testing.F) {
	f.Add([]byte("resource \"a\" \"b\" { # iacscan:ignore:X[k]:exp:2027-01-01 why\n  bad = true\n}\n"), true)
	f.Add([]byte("Resources:\n  B: # trivy:ignore:A:ws:* checkov:skip=B:c\n    Type: x\n    P: |\n      # iacscan:ignore:Y\n"), false)
	f.Add([]byte("x = \"${a}\" /* iacscan:ignore:Z[a=b */\nmodule \"m\" {"), true)
	f.Fuzz(func(t *testing.T, src []byte, hcl bool) {
		file := source.NewFile("f", src)
		format := graph.CloudFormationYAML
		if hcl {
			format = graph.Terraform
		}
		res := &graph.Resource{ID: graph.ID{Path: "f", Address: "r"}, Range: file.Range(0, len(src)/2), Header: file.Range(0, 0), Body: &graph.Value{Type: graph.Map}}
		ignores := Inline(file, format, []*graph.Resource{res})
		for _, ig := range ignores {
			if ig.At.Start.Byte < 0 || ig.At.End.Byte > len(src) || ig.At.Start.Byte > ig.At.End.Byte {
				t.Fatalf("ignore at %+v outside the file of %d bytes", ig.At, len(src))
			}
		}
		finding := rules.Finding{Rule: &badValue.Meta, Resource: res.ID, Range: res.Header}
		Apply([]rules.Finding{finding}, ignores, Options{Now: today, Catalog: testRules, Ran: testRules, Resources: map[graph.ID]*graph.Resource{res.ID: res}})
	})
}
