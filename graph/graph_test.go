package graph

import (
	"testing"

	"github.com/iacscan/iacscan/source"
)

func span(start, end int) source.Range {
	return source.Range{Path: "main.tf", Start: source.Pos{Byte: start}, End: source.Pos{Byte: end}}
}

func str(s string, start, end int) *Value {
	return &Value{Type: String, Str: s, Range: span(start, end)}
}

func attr(name string, v *Value) *Attribute {
	return &Attribute{Name: name, Range: source.Range{Path: v.Range.Path, Start: source.Pos{Byte: v.Range.Start.Byte - 1}, End: v.Range.End}, Value: v}
}

func block(name string, start, end int, attrs ...*Attribute) *Attribute {
	v := &Value{Type: Map, Block: true, Attrs: attrs, Range: span(start+1, end)}
	return &Attribute{Name: name, Range: span(start, end), Value: v}
}

// testGroup is aws_security_group.web with two ingress blocks, the second with two CIDRs.
func testGroup() *Resource {
	cidrs := &Value{Type: List, Range: span(60, 90), Items: []*Value{str("10.0.0.0/8", 61, 73), str("0.0.0.0/0", 75, 86)}}
	body := &Value{Type: Map, Range: span(10, 100), Attrs: []*Attribute{
		attr("name", str("web", 12, 17)),
		block("ingress", 20, 40, attr("cidr_blocks", str("1.2.3.4/32", 25, 37))),
		block("ingress", 45, 95, attr("cidr_blocks", cidrs)),
	}}
	return &Resource{ID: ID{"main.tf", "aws_security_group.web"}, Kind: SecurityGroup, Scope: ".", Range: span(0, 100), Header: span(0, 9), Body: body}
}

func TestPathOf(t *testing.T) {
	r := testGroup()
	second := r.Body.Attrs[2]
	tests := []struct {
		name string
		at   source.Range
		want string
	}{
		{"attribute", r.Body.Attrs[0].Range, "name"},
		{"attribute value", r.Body.Attrs[0].Value.Range, "name"},
		{"second block", second.Range, "ingress[1]"},
		{"list item in second block", second.Value.Attrs[0].Value.Items[1].Range, "ingress[1].cidr_blocks[1]"},
		{"header", r.Header, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.PathOf(tc.at); got != tc.want {
				t.Fatalf("PathOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewLinksReferencesWithinScope(t *testing.T) {
	bucket := &Resource{ID: ID{"b.tf", "aws_s3_bucket.logs"}, Kind: S3Bucket, Scope: "infra", Range: span(50, 60), Body: &Value{Type: Map}}
	ref := &Ref{Address: "aws_s3_bucket.logs", Attr: "id"}
	pab := &Resource{ID: ID{"a.tf", "aws_s3_bucket_public_access_block.logs"}, Kind: S3BucketPublicAccessBlock, Scope: "infra",
		Body: &Value{Type: Map, Attrs: []*Attribute{{Name: "bucket", Value: &Value{Type: Unknown, Refs: []*Ref{ref}}}}}}
	otherScope := &Resource{ID: ID{"other/a.tf", "aws_s3_bucket_policy.p"}, Kind: S3BucketPolicy, Scope: "other",
		Body: &Value{Type: Map, Attrs: []*Attribute{{Name: "bucket", Value: &Value{Type: Unknown, Refs: []*Ref{{Address: "aws_s3_bucket.logs"}}}}}}}

	g := New([]*Resource{bucket, otherScope, pab})

	if got := [3]string{g.Resources[0].ID.Path, g.Resources[1].ID.Path, g.Resources[2].ID.Path}; got != [3]string{"a.tf", "b.tf", "other/a.tf"} {
		t.Fatalf("resources not sorted by path: %v", got)
	}
	if ref.Target != bucket {
		t.Fatalf("ref not resolved to the bucket")
	}
	if rs := g.Referrers(bucket, S3BucketPublicAccessBlock); len(rs) != 1 || rs[0] != pab {
		t.Fatalf("Referrers = %v, want the public access block", rs)
	}
	if rs := g.Referrers(bucket, S3BucketPolicy); len(rs) != 0 {
		t.Fatalf("a reference from another scope must not link: %v", rs)
	}
	if !g.IsReferenced(bucket) || g.IsReferenced(pab) {
		t.Fatal("IsReferenced wrong")
	}
	if got := g.Targets(pab); len(got) != 1 || got[0] != bucket {
		t.Fatalf("Targets = %v", got)
	}
	if got := g.OfKind(S3Bucket, S3BucketPolicy); len(got) != 2 {
		t.Fatalf("OfKind(two kinds) = %d resources, want 2", len(got))
	}
	if g.Lookup("infra", "aws_s3_bucket.logs") != bucket || g.Lookup("other", "aws_s3_bucket.logs") != nil {
		t.Fatal("Lookup wrong")
	}
}
