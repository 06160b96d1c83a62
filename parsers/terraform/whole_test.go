package terraform

import (
	"slices"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// TestWholeRefs asserts which references are the whole expression (graph.Ref.Whole), so
// that a bucket named "${aws_s3_bucket.b.id}-logs" is not taken for aws_s3_bucket.b, with
// and without evaluation and in both syntaxes.
func TestWholeRefs(t *testing.T) {
	const native = `
resource "aws_s3_bucket" "b" {
  for_each = toset(["x"])
}

resource "aws_s3_bucket_acl" "a" {
  traversal     = aws_s3_bucket.b.id
  template      = "${aws_s3_bucket.b.id}"
  parenthesised = (aws_s3_bucket.b.id)
  instance      = aws_s3_bucket.b["x"].id
  suffixed      = "${aws_s3_bucket.b.id}-logs"
  call          = lower(aws_s3_bucket.b.id)
  two           = "${aws_s3_bucket.b.id}${aws_s3_bucket.b.arn}"
}
`
	const json = `{"resource": {"aws_s3_bucket_acl": {"a": {
  "template": "${aws_s3_bucket.b.id}",
  "suffixed": "${aws_s3_bucket.b.id}-logs"
}}}}`
	want := map[string][]bool{
		"traversal": {true}, "template": {true}, "parenthesised": {true}, "instance": {true},
		"suffixed": {false}, "call": {false}, "two": {false, false},
	}
	load := map[string]func() []*graph.Resource{
		"native parsed": func() []*graph.Resource { rs, _ := Parse(source.NewFile("main.tf", []byte(native))); return rs },
		"native evaluated": func() []*graph.Resource {
			rs, _ := LoadModules([]*source.File{source.NewFile("main.tf", []byte(native))}, Options{})
			return rs
		},
		"json parsed": func() []*graph.Resource { rs, _ := ParseJSON(source.NewFile("main.tf.json", []byte(json))); return rs },
		"json evaluated": func() []*graph.Resource {
			rs, _ := LoadModules([]*source.File{source.NewFile("main.tf.json", []byte(json))}, Options{})
			return rs
		},
	}
	for name, rs := range load {
		t.Run(name, func(t *testing.T) {
			acl := resourceAt(t, rs(), "aws_s3_bucket_acl.a")
			for _, a := range acl.Body.Attrs {
				var got []bool
				for _, ref := range a.Value.Refs {
					got = append(got, ref.Whole)
				}
				if w := want[a.Name]; !slices.Equal(got, w) {
					t.Errorf("%s: Whole = %v, want %v", a.Name, got, w)
				}
			}
		})
	}
}
