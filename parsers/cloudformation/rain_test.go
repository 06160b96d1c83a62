package cloudformation

import (
	"testing"
	"testing/fstest"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// TestRainModuleMissing checks that the module calls a scan cannot follow give one
// warning for the template, which names them all, and no "has no Type" error each; the
// other resources are read.
func TestRainModuleMissing(t *testing.T) {
	src := `Resources:
  Network:
    Type: !Rain::Module ../vpc.yml
  Site:
    Type: !Rain::Module modules/missing.yml
  Found:
    Type: !Rain::Module modules/found.yml
  Bucket:
    Type: AWS::S3::Bucket
`
	files := fstest.MapFS{"stacks/modules/found.yml": {Data: []byte("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n")}}
	f := source.NewFile("stacks/app.yaml", []byte(src))
	rs, diags := ParseWith(f, graph.CloudFormationYAML, Options{Files: files})
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.String())
	}
	if want := "stacks/modules/found.yml:FoundQueue stacks/app.yaml:Bucket"; join(got) != want {
		t.Errorf("resources %q, want %q", join(got), want)
	}
	if len(diags) != 1 {
		t.Fatalf("diagnostics %v, want one", diags)
	}
	d := diags[0]
	want := "the template calls rain modules (!Rain::Module) that were not read: ../vpc.yml (Network: not found), modules/missing.yml (Site: not found). The resources they define are not checked; scan the output of `rain pkg`, or scan from a directory that holds the module files."
	if d.Severity != source.Warning || d.Summary != "rain modules not expanded" || d.Detail != want || d.Subject.Start.Line != 3 {
		t.Errorf("diagnostic %+v", d)
	}
	// without a file tree, nothing is read
	_, diags = Parse(f, graph.CloudFormationYAML)
	if len(diags) != 1 || diags[0].Subject.Start.Line != 3 {
		t.Errorf("without files: %v", diags)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
