package hclpatch_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/iacscan/iacscan/fixers/hclpatch"
	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/source"
)

// load parses src as main.tf and returns its patcher and resources by address.
func load(t *testing.T, src string) (*hclpatch.Doc, map[string]*graph.Resource) {
	t.Helper()
	f := source.NewFile("main.tf", []byte(src))
	rs, diags := terraform.Parse(f)
	if diags.HasErrors() {
		t.Fatalf("input does not parse: %v", diags)
	}
	d, err := hclpatch.New(f)
	if err != nil {
		t.Fatal(err)
	}
	byAddr := map[string]*graph.Resource{}
	for _, r := range rs {
		byAddr[r.ID.Address] = r
	}
	return d, byAddr
}

// op is one patcher call on the parsed file.
type op func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error)

// run applies op's edits after Finish and checks that the result still parses.
func run(t *testing.T, src string, do op) (string, error) {
	t.Helper()
	d, rs := load(t, src)
	edits, err := do(d, rs)
	if err != nil {
		return "", err
	}
	if edits, err = d.Finish(edits); err != nil {
		return "", err
	}
	out, err := patch.Apply([]byte(src), edits)
	if err != nil {
		t.Fatal(err)
	}
	if _, diags := terraform.Parse(source.NewFile("main.tf", out)); diags.HasErrors() {
		t.Fatalf("the patched file does not parse: %v\n%s", diags, out)
	}
	return string(out), nil
}

func check(t *testing.T, src, want string, do op) {
	t.Helper()
	got, err := run(t, src, do)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s\n(got %q)", got, want, got)
	}
}

func attr(r *graph.Resource, path ...string) *graph.Attribute {
	v := r.Body
	var a *graph.Attribute
	for _, name := range path {
		a = v.Get(name)
		v = a.Value
	}
	return a
}

func str(s string) *graph.Value { return graph.StringValue(s) }

func TestSetValue(t *testing.T) {
	tests := []struct{ name, src, want, path, value string }{
		{
			name:  "keeps the comment on the line",
			src:   "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"public-read\" # legacy\n}\n",
			want:  "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"private\" # legacy\n}\n",
			path:  "acl",
			value: "private",
		},
		{
			name:  "CRLF and no final newline",
			src:   "resource \"aws_s3_bucket_acl\" \"a\" {\r\n  acl = \"public-read\"\r\n}",
			want:  "resource \"aws_s3_bucket_acl\" \"a\" {\r\n  acl = \"private\"\r\n}",
			path:  "acl",
			value: "private",
		},
		{
			name:  "re-aligns the comments of the chain",
			src:   "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"           # the bucket\n  acl    = \"public-read\" # legacy\n}\n",
			want:  "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"       # the bucket\n  acl    = \"private\" # legacy\n}\n",
			path:  "acl",
			value: "private",
		},
		{
			name:  "escapes a template sequence",
			src:   "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
			want:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"$${x} \\\"q\\\"\"\n}\n",
			path:  "bucket",
			value: "${x} \"q\"",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				for _, r := range rs {
					return d.SetValue(attr(r, tc.path).Value, str(tc.value))
				}
				return nil, nil
			})
		})
	}
}

func TestSetValueRendersEveryType(t *testing.T) {
	src := "resource \"x\" \"y\" {\n  v = 1\n}\n"
	ref := &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "aws_s3_bucket.b", Attr: "id"}}}
	tests := []struct {
		name string
		v    *graph.Value
		want string
	}{
		{"bool", graph.BoolValue(false), "false"},
		{"number as written", &graph.Value{Type: graph.Number, Num: 443, Str: "443"}, "443"},
		{"number without text", &graph.Value{Type: graph.Number, Num: 0.5}, "0.5"},
		{"null", &graph.Value{Type: graph.Null}, "null"},
		{"list", &graph.Value{Type: graph.List, Items: []*graph.Value{str("a"), graph.BoolValue(true)}}, `["a", true]`},
		{"empty list", &graph.Value{Type: graph.List}, "[]"},
		{"reference", ref, "aws_s3_bucket.b.id"},
		{"template", accountRoot, `"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"`},
		{"template of a reference", graph.TemplateValue("${aws_s3_bucket.b.id}", ref.Refs...), `"${aws_s3_bucket.b.id}"`},
		{"object of a template", graph.MapValue(false, graph.Attr("AWS", accountRoot)), "{\n    AWS = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\"\n  }"},
		{"object", graph.MapValue(false, graph.Attr("Name", str("n")), graph.Attr("cost.center", str("c"))), "{\n    Name          = \"n\"\n    \"cost.center\" = \"c\"\n  }"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, src, "resource \"x\" \"y\" {\n  v = "+tc.want+"\n}\n", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.SetValue(attr(rs["x.y"], "v").Value, tc.v)
			})
		})
	}
}

// accountRoot is the template AWS-S3-014's fix writes.
var accountRoot = graph.TemplateValue("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
	&graph.Ref{Address: "data.aws_caller_identity.current", Attr: "account_id"})

// setTemplate sets v to a template of text making refs.
func setTemplate(text string, refs ...*graph.Ref) op {
	return func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		return d.SetValue(attr(rs["x.y"], "v").Value, graph.TemplateValue(text, refs...))
	}
}

// TestSetValueOnOneLine sets a value that goes on a line with more after it: an object
// is written on one line then, as in the one-line objects of a compact jsonencode policy.
func TestSetValueOnOneLine(t *testing.T) {
	principal := graph.MapValue(false, graph.Attr("AWS", accountRoot), graph.Attr("cost.center", graph.MapValue(false, graph.Attr("x", graph.BoolValue(true)))))
	const flat = `{ AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root", "cost.center" = { x = true } }`
	tests := []struct {
		name, src, want string
		target          func(r *graph.Resource) *graph.Value
		v               *graph.Value
	}{
		{
			name:   "in a one-line object",
			src:    "resource \"x\" \"y\" {\n  v = [{ Effect = \"Allow\", Principal = \"*\", Action = \"s3:GetObject\" }]\n}\n",
			want:   "resource \"x\" \"y\" {\n  v = [{ Effect = \"Allow\", Principal = " + flat + ", Action = \"s3:GetObject\" }]\n}\n",
			target: func(r *graph.Resource) *graph.Value { return attr(r, "v").Value.Items[0].Get("Principal").Value },
			v:      principal,
		},
		{
			name:   "last in a one-line list",
			src:    "resource \"x\" \"y\" {\n  v = [\"a\", \"*\"]\n}\n",
			want:   "resource \"x\" \"y\" {\n  v = [\"a\", [" + flat + "]]\n}\n",
			target: func(r *graph.Resource) *graph.Value { return attr(r, "v").Value.Items[1] },
			v:      &graph.Value{Type: graph.List, Items: []*graph.Value{principal}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, tc.src, tc.want, func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.SetValue(tc.target(rs["x.y"]), tc.v)
			})
		})
	}
}

func TestUnsupported(t *testing.T) {
	src := "resource \"x\" \"y\" {\n  v = 1\n  b { c = 1 }\n}\n"
	id := &graph.Ref{Address: "data.aws_caller_identity.current", Attr: "account_id"}
	tests := []struct {
		name string
		do   op
	}{
		{"a template that closes its quotes", setTemplate(`a" + "b`)},
		{"a template that does not parse", setTemplate("${data.aws_caller_identity.current.account_id", id)},
		{"a template with a newline", setTemplate("a\nb")},
		{"a template without its references", setTemplate("${data.aws_caller_identity.current.account_id}")},
		{"a template with other references", setTemplate("${data.aws_caller_identity.current.arn}", id)},
		{"a template with an index", setTemplate("${aws_s3_bucket.b[0].id}", &graph.Ref{Address: "aws_s3_bucket.b[0]", Attr: "id"})},
		{"computed value", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(attr(rs["x.y"], "v").Value, &graph.Value{Type: graph.Unknown})
		}},
		{"reference with an index", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(attr(rs["x.y"], "v").Value, &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "a.b[0]"}}})
		}},
		{"a block as a value", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(attr(rs["x.y"], "v").Value, graph.MapValue(true))
		}},
		{"an item of something that is no list", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			v := attr(rs["x.y"], "v").Value
			return d.RemoveItems(v, []*graph.Value{v})
		}},
		{"adding to a one-line block", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.EditMap(attr(rs["x.y"], "b").Value, nil, []*graph.Attribute{graph.Attr("d", str("e"))})
		}},
		{"an invalid attribute name", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.EditMap(rs["x.y"].Body, nil, []*graph.Attribute{graph.Attr("a b", str("e"))})
		}},
		{"an element that is not in the file", func(d *hclpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.EditMap(rs["x.y"].Body, []*graph.Attribute{graph.Attr("v", str("e"))}, nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := run(t, src, tc.do); !errors.Is(err, hclpatch.ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestNewRefusesABrokenFile(t *testing.T) {
	if _, err := hclpatch.New(source.NewFile("main.tf", []byte("resource \"x\" {\n"))); err == nil {
		t.Fatal("no error for a file that does not parse")
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
