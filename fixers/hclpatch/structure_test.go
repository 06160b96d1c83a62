package hclpatch_test

import (
	"testing"

	"github.com/iacscan/iacscan/fixers/hclpatch"
	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
)

// removeItems removes the items at indexes of the list at path in resource addr.
func removeItems(addr string, path []string, indexes ...int) op {
	return func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		list := attr(rs[addr], path...).Value
		var items []*graph.Value
		for _, i := range indexes {
			items = append(items, list.Items[i])
		}
		return d.RemoveItems(list, items)
	}
}

func TestRemoveItems(t *testing.T) {
	const rule = "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = %s\n}\n"
	tests := []struct {
		name, src, want string
		drop            []int
	}{
		{"first", `["0.0.0.0/0", "10.0.0.0/8"]`, `["10.0.0.0/8"]`, []int{0}},
		{"middle", `["10.0.0.0/8", "0.0.0.0/0", "192.168.0.0/16"]`, `["10.0.0.0/8", "192.168.0.0/16"]`, []int{1}},
		{"last", `["10.0.0.0/8", "0.0.0.0/0"]`, `["10.0.0.0/8"]`, []int{1}},
		{"last two", `["10.0.0.0/8", "0.0.0.0/0", "::/0"]`, `["10.0.0.0/8"]`, []int{1, 2}},
		{"first and last", `["0.0.0.0/0", "10.0.0.0/8", "::/0"]`, `["10.0.0.0/8"]`, []int{0, 2}},
		{"all", `["0.0.0.0/0", "::/0"]`, `[]`, []int{0, 1}},
		{"the same item twice", `["0.0.0.0/0", "10.0.0.0/8"]`, `["10.0.0.0/8"]`, []int{0, 0}},
		{"trailing comma kept", `["10.0.0.0/8", "0.0.0.0/0",]`, `["10.0.0.0/8",]`, []int{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, sprintf(rule, tc.src), sprintf(rule, tc.want), removeItems("aws_security_group_rule.r", []string{"cidr_blocks"}, tc.drop...))
		})
	}
}

func TestRemoveItemsOnTheirOwnLines(t *testing.T) {
	tests := []struct {
		name, src, want string
		drop            []int
	}{
		{
			name: "with its comment, tabs, no final newline",
			src:  "resource \"aws_security_group_rule\" \"r\" {\n\tcidr_blocks = [\n\t\t\"10.0.0.0/8\",\n\t\t\"0.0.0.0/0\", # anyone\n\t]\n}",
			want: "resource \"aws_security_group_rule\" \"r\" {\n\tcidr_blocks = [\n\t\t\"10.0.0.0/8\",\n\t]\n}",
			drop: []int{1},
		},
		{
			name: "with the comment line above it, CRLF",
			src:  "resource \"aws_security_group_rule\" \"r\" {\r\n  cidr_blocks = [\r\n    # anyone\r\n    \"0.0.0.0/0\",\r\n    \"10.0.0.0/8\", // office\r\n  ]\r\n}\r\n",
			want: "resource \"aws_security_group_rule\" \"r\" {\r\n  cidr_blocks = [\r\n    \"10.0.0.0/8\", // office\r\n  ]\r\n}\r\n",
			drop: []int{0},
		},
		{
			name: "the last without a comma",
			src:  "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\n    \"10.0.0.0/8\",\n    \"0.0.0.0/0\"\n  ]\n}\n",
			want: "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\n    \"10.0.0.0/8\",\n  ]\n}\n",
			drop: []int{1},
		},
		{
			name: "all of them",
			src:  "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\n    \"0.0.0.0/0\",\n  ]\n}\n",
			want: "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = []\n}\n",
			drop: []int{0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, removeItems("aws_security_group_rule.r", []string{"cidr_blocks"}, tc.drop...))
		})
	}
}

func TestEditMapRemove(t *testing.T) {
	const group = `resource "aws_security_group" "web" {
  name = "web"

  ingress {
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # anyone
    from_port   = 22
  }

  # Internal traffic.
  ingress {
    protocol = "-1"
  }
}
`
	tests := []struct {
		name, want string
		drop       func(r *graph.Resource) (*graph.Value, []*graph.Attribute)
	}{
		{
			name: "a block with one of the blank lines around it",
			want: "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n\n  # Internal traffic.\n  ingress {\n    protocol = \"-1\"\n  }\n}\n",
			drop: func(r *graph.Resource) (*graph.Value, []*graph.Attribute) { return r.Body, r.Body.Attrs[1:2] },
		},
		{
			name: "the last block with its comment and the blank line before it",
			want: "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n\n  ingress {\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"] # anyone\n    from_port   = 22\n  }\n}\n",
			drop: func(r *graph.Resource) (*graph.Value, []*graph.Attribute) { return r.Body, r.Body.Attrs[2:] },
		},
		{
			name: "the first attribute, no blank line left after the brace",
			want: "resource \"aws_security_group\" \"web\" {\n  ingress {\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"] # anyone\n    from_port   = 22\n  }\n\n  # Internal traffic.\n  ingress {\n    protocol = \"-1\"\n  }\n}\n",
			drop: func(r *graph.Resource) (*graph.Value, []*graph.Attribute) { return r.Body, r.Body.Attrs[:1] },
		},
		{
			name: "the widest attribute of an aligned run re-aligns the others",
			want: "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n\n  ingress {\n    protocol  = \"tcp\"\n    from_port = 22\n  }\n\n  # Internal traffic.\n  ingress {\n    protocol = \"-1\"\n  }\n}\n",
			drop: func(r *graph.Resource) (*graph.Value, []*graph.Attribute) {
				b := r.Body.Attrs[1].Value
				return b, b.Attrs[1:2]
			},
		},
		{
			name: "every attribute of a block",
			want: "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n\n  ingress {}\n\n  # Internal traffic.\n  ingress {\n    protocol = \"-1\"\n  }\n}\n",
			drop: func(r *graph.Resource) (*graph.Value, []*graph.Attribute) {
				b := r.Body.Attrs[1].Value
				return b, b.Attrs
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, group, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				m, drop := tc.drop(rs["aws_security_group.web"])
				return d.EditMap(m, drop, nil)
			})
		})
	}
}

func TestEditMapRemoveTheLastBlockForAnEmptyList(t *testing.T) {
	src := "resource \"aws_security_group\" \"bastion\" {\n  name = \"bastion\"\n\n  ingress {\n    protocol = \"tcp\"\n  }\n}\n"
	want := "resource \"aws_security_group\" \"bastion\" {\n  name = \"bastion\"\n\n  ingress = []\n}\n"
	check(t, src, want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		r := rs["aws_security_group.bastion"]
		return d.EditMap(r.Body, r.Body.Attrs[1:], []*graph.Attribute{graph.Attr("ingress", &graph.Value{Type: graph.List})})
	})
}

func TestEditMapAdd(t *testing.T) {
	versioning := graph.MapValue(true, graph.Attr("enabled", graph.BoolValue(true)))
	tests := []struct {
		name, src, want string
		add             []*graph.Attribute
	}{
		{
			name: "attributes re-align the run they join, comment kept",
			src:  "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket             = \"b\"\n  ignore_public_acls = false # check\n}\n",
			want: "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket                  = \"b\"\n  ignore_public_acls      = false # check\n  block_public_policy     = true\n  restrict_public_buckets = true\n}\n",
			add:  []*graph.Attribute{graph.Attr("block_public_policy", graph.BoolValue(true)), graph.Attr("restrict_public_buckets", graph.BoolValue(true))},
		},
		{
			name: "an unaligned file keeps its spacing",
			src:  "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket = \"b\"\n  ignore_public_acls = false\n}\n",
			want: "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket = \"b\"\n  ignore_public_acls = false\n  block_public_policy = true\n}\n",
			add:  []*graph.Attribute{graph.Attr("block_public_policy", graph.BoolValue(true))},
		},
		{
			name: "a block after an attribute, with a blank line, no final newline",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n\n  versioning {\n    enabled = true\n  }\n}",
			add:  []*graph.Attribute{graph.Attr("versioning", versioning)},
		},
		{
			name: "a block with tabs and CRLF",
			src:  "resource \"aws_s3_bucket\" \"b\" {\r\n\tbucket = \"b\"\r\n\r\n\ttags = {\r\n\t\tteam = \"x\"\r\n\t}\r\n}\r\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\r\n\tbucket = \"b\"\r\n\r\n\ttags = {\r\n\t\tteam = \"x\"\r\n\t}\r\n\r\n\tversioning {\r\n\t\tenabled = true\r\n\t}\r\n}\r\n",
			add:  []*graph.Attribute{graph.Attr("versioning", versioning)},
		},
		{
			name: "an attribute after a block, with a blank line",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  versioning {\n    enabled = false\n  }\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  versioning {\n    enabled = false\n  }\n\n  acl = \"private\"\n}\n",
			add:  []*graph.Attribute{graph.Attr("acl", str("private"))},
		},
		{
			name: "after a trailing comment and before a comment line",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\" # name\n  # acl = \"public-read\"\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\" # name\n  acl    = \"private\"\n  # acl = \"public-read\"\n}\n",
			add:  []*graph.Attribute{graph.Attr("acl", str("private"))},
		},
		{
			name: "nested blocks in a new block",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n\n  server_side_encryption_configuration {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm = \"AES256\"\n      }\n    }\n  }\n}\n",
			add: []*graph.Attribute{graph.Attr("server_side_encryption_configuration", graph.MapValue(true,
				graph.Attr("rule", graph.MapValue(true, graph.Attr("apply_server_side_encryption_by_default", graph.MapValue(true,
					graph.Attr("sse_algorithm", str("AES256"))))))))},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				for _, r := range rs {
					return d.EditMap(r.Body, nil, tc.add)
				}
				return nil, nil
			})
		})
	}
}

func TestEditMapAddToAnEmptyBody(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"one line", "data \"aws_iam_policy_document\" \"p\" {}\n", "data \"aws_iam_policy_document\" \"p\" {\n  version = \"2012-10-17\"\n}\n"},
		{"two lines", "data \"aws_iam_policy_document\" \"p\" {\n}\n", "data \"aws_iam_policy_document\" \"p\" {\n  version = \"2012-10-17\"\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.EditMap(rs["data.aws_iam_policy_document.p"].Body, nil, []*graph.Attribute{graph.Attr("version", str("2012-10-17"))})
			})
		})
	}
}

func TestRemoveResources(t *testing.T) {
	const three = "resource \"a\" \"one\" {\n  x = 1\n}\n\n# The second.\nresource \"a\" \"two\" {\n  x = 2\n}\n\nresource \"a\" \"three\" {\n  x = 3\n}\n"
	tests := []struct {
		name, src, want string
		drop            []string
	}{
		{"middle with its comment", three, "resource \"a\" \"one\" {\n  x = 1\n}\n\nresource \"a\" \"three\" {\n  x = 3\n}\n", []string{"a.two"}},
		{"first", three, "# The second.\nresource \"a\" \"two\" {\n  x = 2\n}\n\nresource \"a\" \"three\" {\n  x = 3\n}\n", []string{"a.one"}},
		{"last", three, "resource \"a\" \"one\" {\n  x = 1\n}\n\n# The second.\nresource \"a\" \"two\" {\n  x = 2\n}\n", []string{"a.three"}},
		{"the last two", three, "resource \"a\" \"one\" {\n  x = 1\n}\n", []string{"a.two", "a.three"}},
		{"last, no final newline", "resource \"a\" \"one\" {}\n\nresource \"a\" \"two\" {}", "resource \"a\" \"one\" {}", []string{"a.two"}},
		{"last, CRLF", "resource \"a\" \"one\" {}\r\n\r\nresource \"a\" \"two\" {}\r\n", "resource \"a\" \"one\" {}\r\n", []string{"a.two"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				var drop []*graph.Resource
				for _, a := range tc.drop {
					drop = append(drop, rs[a])
				}
				return d.RemoveResources(drop)
			})
		})
	}
}

func TestAddResource(t *testing.T) {
	body := func(bucket string) *graph.Value {
		ref := &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "aws_s3_bucket." + bucket, Attr: "id"}}}
		return graph.MapValue(true,
			graph.Attr("bucket", ref),
			graph.Attr("block_public_acls", graph.BoolValue(true)),
			graph.Attr("restrict_public_buckets", graph.BoolValue(true)))
	}
	tests := []struct{ name, src, want string }{
		{
			name: "between two resources, aligned like terraform fmt",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n\nresource \"aws_s3_bucket\" \"c\" {}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n\nresource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket                  = aws_s3_bucket.b.id\n  block_public_acls       = true\n  restrict_public_buckets = true\n}\n\nresource \"aws_s3_bucket\" \"c\" {}\n",
		},
		{
			name: "at the end of a file without final newline, tabs",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n\tbucket = \"b\"\n} # the bucket",
			want: "resource \"aws_s3_bucket\" \"b\" {\n\tbucket = \"b\"\n} # the bucket\n\nresource \"aws_s3_bucket_public_access_block\" \"b\" {\n\tbucket                  = aws_s3_bucket.b.id\n\tblock_public_acls       = true\n\trestrict_public_buckets = true\n}",
		},
		{
			name: "CRLF",
			src:  "resource \"aws_s3_bucket\" \"b\" {}\r\n",
			want: "resource \"aws_s3_bucket\" \"b\" {}\r\n\r\nresource \"aws_s3_bucket_public_access_block\" \"b\" {\r\n  bucket                  = aws_s3_bucket.b.id\r\n  block_public_acls       = true\r\n  restrict_public_buckets = true\r\n}\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.AddResource(rs["aws_s3_bucket.b"], graph.S3BucketPublicAccessBlock, "b", body("b"))
			})
		})
	}
}

func TestAddDataSource(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{
			name: "after a resource",
			src:  "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n}\n",
			want: "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n}\n\ndata \"aws_caller_identity\" \"current\" {}\n",
		},
		{
			name: "before another, CRLF",
			src:  "resource \"aws_s3_bucket_policy\" \"p\" {}\r\n\r\nresource \"aws_s3_bucket\" \"b\" {}\r\n",
			want: "resource \"aws_s3_bucket_policy\" \"p\" {}\r\n\r\ndata \"aws_caller_identity\" \"current\" {}\r\n\r\nresource \"aws_s3_bucket\" \"b\" {}\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.AddResource(rs["aws_s3_bucket_policy.p"], "data.aws_caller_identity", "current", graph.MapValue(true))
			})
		})
	}
}
