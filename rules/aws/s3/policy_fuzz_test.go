package s3_test

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/source"
)

// FuzzPolicyString feeds arbitrary text as a bucket's JSON policy string: the view and the
// rules must never panic, and a finding must point at the policy attribute.
func FuzzPolicyString(f *testing.F) {
	for _, seed := range []string{
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}`,
		`{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}}}`,
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "*"}}}]}`,
		`{"Statement": [{"Effect": "Deny", "Principal": "*", "Condition": "x"}]}`,
		`{"Statement": [1, null, true, [], {"Principal": {"AWS": 7}}]}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, policy string) {
		at := source.Range{Path: "main.tf", Start: source.Pos{Line: 2, Column: 3, Byte: 20}, End: source.Pos{Line: 2, Column: 30, Byte: 47}}
		attr := &graph.Attribute{Name: "policy", Range: at, NameRange: at, Value: &graph.Value{Type: graph.String, Str: policy, Range: at}}
		bucket := &graph.Resource{
			ID: graph.ID{Path: "main.tf", Address: "aws_s3_bucket.b"}, Kind: graph.S3Bucket, Format: graph.Terraform, Scope: ".",
			Body: &graph.Value{Type: graph.Map, Attrs: []*graph.Attribute{attr}},
		}
		g := graph.New([]*graph.Resource{bucket})
		if n := len(s3.Buckets(g)); n != 1 {
			t.Fatalf("%d buckets, want 1", n)
		}
		findings, diags := rules.Run(g, []*rules.Rule{s3.PublicPolicy})
		if len(diags) > 0 {
			t.Fatalf("rule failed: %v", diags)
		}
		for _, fd := range findings {
			if fd.Range != at || fd.Path != "policy" {
				t.Fatalf("finding at %v (path %q), want the policy attribute", fd.Range, fd.Path)
			}
		}
	})
}
