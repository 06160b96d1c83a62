package cloudformation

import (
	"os"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"template.yaml", "template.json", "eval.yaml", "eval.json", "trace.yaml", "trace.json", "sam.yaml"} {
		src, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, strings.HasSuffix(name, ".json"))
	}
	f.Add([]byte("Resources:\n  A:\n    Type: T\n    Properties: &p {X: !Sub [\"${A.B}\", {}]}\n  B:\n    Type: T\n    Properties: *p\n"), false)
	f.Add([]byte(`{"Parameters": {"P": {"Default": "a,b", "Type": "List<String>"}}, "Resources": {"A": {"Type": "T", "Properties": {"L": {"Ref": "P"}}}}}`), true)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		format := graph.CloudFormationYAML
		if json {
			format = graph.CloudFormationJSON
		}
		file := source.NewFile("fuzz", src)
		rs, diags := Parse(file, format)
		checkResources(t, file, rs)
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without a range: %v", d)
			}
			checkRange(t, file, *d.Subject)
		}
		graph.New(rs) // linking must not fail either
	})
}
