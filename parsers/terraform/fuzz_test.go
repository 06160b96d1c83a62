package terraform

import (
	"fmt"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// nativeSeeds are realistic inputs, broken ones included, that the fuzzer mutates.
var nativeSeeds = []string{
	"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs\"\n  acl    = \"public-read\"\n}\n",
	"resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = [\"0.0.0.0/0\", var.office]\n  }\n}\n",
	"resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Principal = \"*\" }] })\n}\n",
	"data \"aws_iam_policy_document\" \"p\" {\n  statement {\n    actions = [\"s3:*\"]\n  }\n}\n",
	"resource \"a\" \"b\" {\r\n  x = <<-EOT\r\n    ${var.y} é\r\n  EOT\r\n}",
	"resource \"a\" \"b\" {\n  dynamic \"ingress\" {\n    for_each = { for k, v in var.m : k => v if v != null }\n    content { port = ingress.value[0] }\n  }\n}\n",
	"resource \"a\" \"b\" {\n  x = [1,\n}\nresource \"a\" \"c\" {}\n",
	"resource \"a\" \"b\"\nresource \"a\" \"b\" { x = -1 + 2 * (3) }\n",
	"region = \"eu-west-1\"\n",
	"resource \"a\" \"b\" { x = [\"é\", \"👍🏽\", var.y, \"\xff\"] }",
}

// jsonSeeds are the JSON-syntax counterparts.
var jsonSeeds = []string{
	`{"resource": {"aws_s3_bucket": {"b": {"bucket": "logs", "acl": "public-read"}}}}`,
	`{"resource": {"aws_security_group": {"sg": {"ingress": [{"from_port": 22, "cidr_blocks": ["0.0.0.0/0", "${var.office}"]}]}}}}`,
	`{"//": "c", "data": {"aws_iam_policy_document": {"p": {"statement": {"actions": ["s3:*"]}}}}}`,
	`[{"resource": {"a": [{"b": [{"x": "$${y}\u00e9"}, {}]}]}}]`,
	"{\r\n\"resource\": {\"a\": {\"b\": {\"x\": \"${jsonencode({k = var.v})}\", \"y\": null, \"z\": -1.5e3}}}",
	`{"resource": {"a": {"b": {"x": }}}}`,
	"{\"resource\": {\"a\": {\"é👍🏽\": {\"x\": \"\xff${var.v}é\", \"y\": [\"é\", 1, \"\\u00e9${local.z}\"]}}}}",
}

func FuzzParse(f *testing.F) {
	f.Add(readFile(f, "values.tf").Src)
	for _, s := range nativeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := source.NewFile("m/main.tf", src)
		rs, diags := Parse(file)
		checkRanges(t, file, rs, diags)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add(readFile(f, "values.tf.json").Src)
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := source.NewFile("m/main.tf.json", src)
		rs, diags := ParseJSON(file)
		checkRanges(t, file, rs, diags)
	})
}

// checkRanges asserts that every range the parser produced is a valid span of the file
// whose positions are those File.PosAt gives, and that a resource's parts lie inside it.
func checkRanges(t *testing.T, f *source.File, rs []*graph.Resource, diags source.Diagnostics) {
	t.Helper()
	check := func(what string, r source.Range, within *source.Range) {
		if err := validRange(f, r); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if within != nil && (r.Start.Byte < within.Start.Byte || r.End.Byte > within.End.Byte) {
			t.Fatalf("%s %s lies outside %s", what, span(r), span(*within))
		}
	}
	for _, d := range diags {
		if d.Subject != nil {
			check("diagnostic "+d.Summary, *d.Subject, nil)
		}
	}
	for _, r := range rs {
		check(r.ID.Address, r.Range, nil)
		check(r.ID.Address+" header", r.Header, &r.Range)
		r.Body.Walk(func(v *graph.Value) {
			check(r.ID.Address+" value", v.Range, &r.Range)
			for _, ref := range v.Refs {
				check(r.ID.Address+" ref "+ref.Address, ref.Range, &v.Range)
			}
			for _, a := range v.Attrs {
				check(r.ID.Address+" "+a.Name, a.Range, &r.Range)
				check(r.ID.Address+" "+a.Name+" name", a.NameRange, &a.Range)
			}
		})
	}
}

func validRange(f *source.File, r source.Range) error {
	switch {
	case r.Path != f.Path:
		return fmt.Errorf("path %q, want %q", r.Path, f.Path)
	case r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(f.Src):
		return fmt.Errorf("span %s out of order or outside %d bytes", span(r), len(f.Src))
	case r.Start != f.PosAt(r.Start.Byte) || r.End != f.PosAt(r.End.Byte):
		return fmt.Errorf("span %s disagrees with PosAt", span(r))
	}
	return nil
}

// moduleSeeds exercise evaluation: variables, locals, functions, instances, dynamic
// blocks and a module that calls itself.
var moduleSeeds = []string{
	"variable \"c\" {\n  default = \"0.0.0.0/0\"\n}\nlocals {\n  l = [var.c, cidrsubnet(\"10.0.0.0/8\", 8, 1)]\n}\nresource \"aws_security_group\" \"s\" {\n  ingress {\n    cidr_blocks = local.l\n  }\n}\n",
	"resource \"aws_s3_bucket\" \"b\" {\n  for_each = { a = \"public-read\", b = \"private\" }\n  acl = each.value\n}\nresource \"aws_s3_bucket\" \"c\" {\n  count = 2\n  bucket = aws_s3_bucket.b[\"a\"].acl\n}\n",
	"resource \"a\" \"b\" {\n  dynamic \"ingress\" {\n    for_each = { for k in range(3) : k => k * 2 }\n    content { port = ingress.value }\n  }\n}\n",
	"locals {\n  a = local.b\n  b = local.a\n}\nmodule \"self\" {\n  source = \"./\"\n  x = local.a\n}\n",
	"resource \"p\" \"q\" {\n  policy = jsonencode({ Statement = [{ Principal = \"*\", Action = format(\"%s:%s\", \"s3\", \"*\") }] })\n  r = range(100000000)\n}\n",
}

// moduleJSONSeeds are moduleSeeds in JSON syntax: variables, locals, functions, instances,
// a dynamic block, a cycle among locals, a computed key and a module that calls itself.
var moduleJSONSeeds = []string{
	`{"variable": {"c": {"default": "0.0.0.0/0"}}, "locals": {"l": ["${var.c}", "${cidrsubnet(\"10.0.0.0/8\", 8, 1)}"]},
"resource": {"aws_security_group": {"s": {"ingress": {"cidr_blocks": "${local.l}"}}}}}`,
	`{"resource": {"aws_s3_bucket": {"b": {"for_each": {"a": "public-read"}, "acl": "${each.value}"}, "c": [{"count": 2, "bucket": "${aws_s3_bucket.b[\"a\"].acl}"}]}}}`,
	`{"resource": {"a": {"b": {"dynamic": {"ingress": [{"for_each": "${range(3)}", "iterator": "i", "content": {"port": "${i.value}"}}]}}}}}`,
	`{"locals": {"a": "${local.b}", "b": "${local.a}", "${x}": 1}, "module": {"self": {"source": "./", "x": "${local.a}"}}, "variable": {"v": []}}`,
	// A dynamic block left as written: its name is its label's key, inside its range.
	`{"resource":{"":{"":{"dynamic":{"":[{}]}}}}}`,
	// A number beyond float64: Unknown, not a hundred million digits.
	`{"resource": {"a": {"b": {"n": "${jsondecode(\"1e99999999\")}"}}}}`,
}

// FuzzLoadModules evaluates one module file, native or (json) in JSON syntax.
func FuzzLoadModules(f *testing.F) {
	for _, s := range append(moduleSeeds, nativeSeeds...) {
		f.Add([]byte(s), false)
	}
	for _, s := range append(moduleJSONSeeds, jsonSeeds...) {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "m/main.tf"
		if json {
			name += ".json"
		}
		file := source.NewFile(name, src)
		rs, diags := LoadModules([]*source.File{file}, Options{})
		checkRanges(t, file, rs, diags)
		for _, r := range rs {
			r.Body.Walk(func(v *graph.Value) {
				if v.Origin != nil {
					if err := validRange(file, *v.Origin); err != nil {
						t.Fatalf("%s origin: %v", r.ID.Address, err)
					}
				}
			})
		}
	})
}
