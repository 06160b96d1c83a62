package terraform

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/source"
)

// planJSON is a small plan in the shape `terraform show -json` prints (compact, on one
// line in reality; indented here): a bucket and its public access block joined by a
// reference, a counted instance in a module, an attribute known only after apply and a
// resource the plan deletes.
const planJSON = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {"name": {"value": "logs"}, "tags": {"value": {"team": "data"}}},
  "resource_changes": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
     "change": {"actions": ["create"], "before": null,
       "after": {"bucket": "logs", "force_destroy": false, "tags": null, "versioning": [{"enabled": true, "mfa_delete": false}]},
       "after_unknown": {"arn": true, "id": true, "versioning": [{}]}}},
    {"address": "aws_s3_bucket_public_access_block.b", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "b",
     "change": {"actions": ["create"], "before": null,
       "after": {"block_public_acls": true, "block_public_policy": false},
       "after_unknown": {"bucket": true, "id": true}}},
    {"address": "module.net.aws_security_group.this[0]", "module_address": "module.net", "mode": "managed", "type": "aws_security_group", "name": "this", "index": 0,
     "change": {"actions": ["update"], "before": {}, "after": {"ingress": [{"cidr_blocks": ["0.0.0.0/0", null], "from_port": 22}]},
       "after_unknown": {"ingress": [{"cidr_blocks": [false, true]}]}}},
    {"address": "aws_instance.old", "mode": "managed", "type": "aws_instance", "name": "old",
     "change": {"actions": ["delete"], "before": {"ami": "ami-1"}, "after": null, "after_unknown": {}}},
    {"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
     "change": {"actions": ["read"], "before": null, "after": {"statement": [{"effect": "Allow"}]}, "after_unknown": {"json": true}}}
  ],
  "configuration": {"root_module": {
    "resources": [
      {"address": "aws_s3_bucket_public_access_block.b", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "b",
       "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}}
    ],
    "module_calls": {"net": {"source": "./net", "module": {"resources": [
      {"address": "aws_security_group.this", "mode": "managed", "type": "aws_security_group", "name": "this", "expressions": {}}
    ]}}}
  }}
}
`

// TestPlanResources checks the plan's own view of its resources: addresses, kinds,
// values and what is Unknown, references from the configuration section.
func TestPlanResources(t *testing.T) {
	f := source.NewFile("plan.json", []byte(planJSON))
	rs, diags := ParsePlan(f)
	if len(diags) > 0 {
		t.Fatal(diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.Address+" "+string(r.Kind)+" "+r.Format.String())
	}
	want := []string{
		"aws_s3_bucket.b aws_s3_bucket terraform-plan",
		"aws_s3_bucket_public_access_block.b aws_s3_bucket_public_access_block terraform-plan",
		"module.net.aws_security_group.this[0] aws_security_group terraform-plan",
		"data.aws_iam_policy_document.p data.aws_iam_policy_document terraform-plan",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	tests := []struct {
		address, path, want string
	}{
		{"aws_s3_bucket.b", "bucket", `string "logs"`},
		{"aws_s3_bucket.b", "versioning[0].enabled", "bool true"},
		{"aws_s3_bucket.b", "versioning", "block 2"}, // a list of objects is a block
		{"aws_s3_bucket.b", "arn", "unknown"},        // known after apply
		{"aws_s3_bucket_public_access_block.b", "bucket", "unknown"},
		{"aws_s3_bucket_public_access_block.b", "block_public_policy", "bool false"},
		{"module.net.aws_security_group.this[0]", "ingress[0].cidr_blocks[0]", `string "0.0.0.0/0"`},
		{"module.net.aws_security_group.this[0]", "ingress[0].cidr_blocks[1]", "unknown"},
		{"module.net.aws_security_group.this[0]", "ingress[0].from_port", `number 22 "22"`},
	}
	for _, tc := range tests {
		t.Run(tc.address+"."+tc.path, func(t *testing.T) {
			_, v := lookup(resourceAt(t, rs, tc.address).Body, tc.path)
			if v == nil {
				t.Fatal("no value")
			}
			if got := describe(v); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if v := resourceAt(t, rs, "aws_s3_bucket.b").Body.Get("tags"); v != nil {
		t.Errorf("a null argument is kept: %s", describe(v.Value))
	}
	pab := resourceAt(t, rs, "aws_s3_bucket_public_access_block.b")
	ref := pab.Body.Get("bucket").Value.Refs
	if len(ref) != 1 || ref[0].Address != "aws_s3_bucket.b" || ref[0].Attr != "id" || !ref[0].Whole {
		t.Errorf("bucket refs %+v, want the whole aws_s3_bucket.b.id", ref)
	}
	g := graph.New(rs)
	if got := g.Referrers(resourceAt(t, rs, "aws_s3_bucket.b"), graph.S3BucketPublicAccessBlock); len(got) != 1 {
		t.Errorf("the bucket's public access blocks: %d, want 1", len(got))
	}
}

// TestPlanCompletesConfiguration checks a plan beside its configuration: the plan's
// variables are the root module's, traced to the plan; what evaluation leaves Unknown
// takes the planned value at the configuration's expression; the plan's view of the
// declared resources is not added, that of a module not installed is.
func TestPlanCompletesConfiguration(t *testing.T) {
	archive := `-- main.tf --
variable "cidr" {}
data "aws_ssm_parameter" "p" {
  name = "x"
}
resource "aws_security_group" "a" {
  ingress {
    cidr_blocks = [var.cidr]
  }
  ingress {
    cidr_blocks = [data.aws_ssm_parameter.p.value]
  }
}
module "remote" {
  source = "acme/sg/aws"
}
data "aws_ip_ranges" "x" {}
resource "aws_security_group" "d" {
  dynamic "ingress" {
    for_each = data.aws_ip_ranges.x.cidr_blocks
    content {
      cidr_blocks = [ingress.value]
    }
  }
}
-- plan.json --
{"format_version":"1.2","variables":{"cidr":{"value":"0.0.0.0/0"}},"resource_changes":[
{"address":"aws_security_group.a","mode":"managed","type":"aws_security_group","name":"a","change":{"actions":["create"],"after":{"ingress":[{"cidr_blocks":["0.0.0.0/0"]},{"cidr_blocks":["10.0.0.0/8"]}]},"after_unknown":{"id":true}}},
{"address":"aws_security_group.d","mode":"managed","type":"aws_security_group","name":"d","change":{"actions":["create"],"after":{"ingress":[{"cidr_blocks":["1.2.3.0/24"]},{"cidr_blocks":["0.0.0.0/0"]}]},"after_unknown":{"id":true}}},
{"address":"module.remote.aws_security_group.this","module_address":"module.remote","mode":"managed","type":"aws_security_group","name":"this","change":{"actions":["create"],"after":{"name":"r"},"after_unknown":{}}}]}
`
	var files []*source.File
	var opts Options
	for _, f := range txtar.Parse([]byte(archive)).Files {
		if strings.HasSuffix(f.Name, ".json") {
			opts.Plans = append(opts.Plans, source.NewFile(f.Name, f.Data))
		} else {
			files = append(files, source.NewFile(f.Name, f.Data))
		}
	}
	rs, diags := LoadModules(files, opts)
	if len(diags) > 0 {
		t.Fatal(diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.String())
	}
	if want := "main.tf:data.aws_ssm_parameter.p main.tf:aws_security_group.a main.tf:data.aws_ip_ranges.x main.tf:aws_security_group.d plan.json:module.remote.aws_security_group.this"; strings.Join(got, " ") != want {
		t.Errorf("resources %q, want %q", strings.Join(got, " "), want)
	}
	sg := resourceAt(t, rs, "aws_security_group.a")
	tests := []struct {
		path, want, at, trace string
	}{
		{"ingress[0].cidr_blocks[0]", `string "0.0.0.0/0"`, "7:20", "plan.json:1:54 var.cidr from the plan"},
		{"ingress[1].cidr_blocks[0]", `string "10.0.0.0/8"`, "10:20", "plan.json:2:188 data.aws_ssm_parameter.p.value from the plan"},
		// the blocks a dynamic block over a data source generates, at the dynamic block
		{"d:ingress[1].cidr_blocks[0]", `string "0.0.0.0/0"`, "18:3", `plan.json:3:173 aws_security_group.d dynamic "ingress" from the plan`},
	}
	d := resourceAt(t, rs, "aws_security_group.d")
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			body := sg.Body
			if strings.HasPrefix(tc.path, "d:") {
				body, tc.path = d.Body, strings.TrimPrefix(tc.path, "d:")
			}
			_, v := lookup(body, tc.path)
			var trace []string
			for _, s := range v.Trace {
				trace = append(trace, s.Range.Path+":"+itoa(s.Range.Start.Line)+":"+itoa(s.Range.Start.Column)+" "+s.What)
			}
			at := itoa(v.Range.Start.Line) + ":" + itoa(v.Range.Start.Column)
			if describe(v) != tc.want || v.Range.Path != "main.tf" || at != tc.at || strings.Join(trace, "; ") != tc.trace || v.Origin == nil {
				t.Errorf("got %s at %s:%s trace %q origin %v, want %s at main.tf:%s trace %q", describe(v), v.Range.Path, at, strings.Join(trace, "; "), v.Origin, tc.want, tc.at, tc.trace)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestRealPlan reads the output of a real `terraform show -json` (Terraform 1.11.4, the
// builtin terraform_data resource, as no provider can be downloaded here), made with
// -var admin_cidr=0.0.0.0/0: one line of JSON, a module called with count.
func TestRealPlan(t *testing.T) {
	src, err := os.ReadFile("testdata/terraform-show-json.json")
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile("tfplan.json", src)
	if got := detect.Classify(f.Path, src); got != graph.TerraformPlan {
		t.Fatalf("classified as %v", got)
	}
	rs, diags := ParsePlan(f)
	if len(diags) > 0 {
		t.Fatal(diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		_, v := lookup(r.Body, "input")
		got = append(got, r.ID.Address+" "+describe(v))
	}
	want := "terraform_data.sg map 1; module.inner.terraform_data.x[0] string \"0.0.0.0/0\"; module.inner.terraform_data.x[1] string \"0.0.0.0/0\""
	if strings.Join(got, "; ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "; "), want)
	}
}

// TestPlanMalformed checks that plans of the wrong shape give a diagnostic or nothing,
// never a panic, and that whatever can be read still is.
func TestPlanMalformed(t *testing.T) {
	tests := []struct {
		name, src string
		resources int
		diags     int
	}{
		{"not json", `{"format_version": `, 0, 1},
		{"not an object", `[1]`, 0, 1},
		{"no format version", `{"resource_changes": []}`, 0, 1},
		{"future major version", `{"format_version": "2.0", "resource_changes": []}`, 0, 1},
		{"changes not a list", `{"format_version": "1.2", "resource_changes": {}}`, 0, 0},
		{"after not an object", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"after": "x"}}]}`, 0, 0},
		{"unknown marks of the wrong shape", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"after": {"x": [{"y": 1}], "z": [1]}, "after_unknown": {"x": "?", "z": {"q": true}}}}]}`, 1, 0},
		{"references of the wrong shape", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"after": {"x": 1}}}], "configuration": {"root_module": {"resources": [{"address": "a.b", "expressions": {"x": {"references": "a.c"}}}], "module_calls": []}}}`, 1, 0},
		{"variables of the wrong shape", `{"format_version": "1.2", "variables": [], "resource_changes": []}`, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := ParsePlan(source.NewFile("plan.json", []byte(tc.src)))
			if len(rs) != tc.resources || len(diags) != tc.diags {
				t.Errorf("%d resources, %d diagnostics (%v); want %d, %d", len(rs), len(diags), diags, tc.resources, tc.diags)
			}
			files := []*source.File{source.NewFile("main.tf", []byte("variable \"x\" {}\nresource \"a\" \"b\" {\n  x = var.x\n}\n"))}
			LoadModules(files, Options{Plans: []*source.File{source.NewFile("plan.json", []byte(tc.src))}})
		})
	}
}

// TestPlanPlaced checks that a plan written outside its root module (an artifacts
// directory) completes the root module whose resources its configuration declares.
func TestPlanPlaced(t *testing.T) {
	tf := source.NewFile("infra/main.tf", []byte("variable \"cidr\" {}\nresource \"aws_security_group\" \"a\" {\n  ingress {\n    cidr_blocks = [var.cidr]\n  }\n}\n"))
	other := source.NewFile("other/main.tf", []byte("resource \"aws_s3_bucket\" \"b\" {}\n"))
	plan := source.NewFile("out/plan.json", []byte(`{"format_version":"1.2","variables":{"cidr":{"value":"0.0.0.0/0"}},
"resource_changes":[{"address":"aws_security_group.a","mode":"managed","type":"aws_security_group","name":"a","change":{"actions":["create"],"after":{"ingress":[{"cidr_blocks":["0.0.0.0/0"]}]},"after_unknown":{}}}],
"configuration":{"root_module":{"resources":[{"address":"aws_security_group.a","mode":"managed","type":"aws_security_group","name":"a","expressions":{}}]}}}`))
	rs, diags := LoadModules([]*source.File{tf, other}, Options{Plans: []*source.File{plan}})
	if len(diags) > 0 {
		t.Fatal(diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.String())
	}
	if want := "infra/main.tf:aws_security_group.a other/main.tf:aws_s3_bucket.b"; strings.Join(got, " ") != want {
		t.Errorf("resources %q, want %q", strings.Join(got, " "), want)
	}
	_, v := lookup(resourceAt(t, rs, "aws_security_group.a").Body, "ingress[0].cidr_blocks[0]")
	if describe(v) != `string "0.0.0.0/0"` || v.Range.Path != "infra/main.tf" {
		t.Errorf("cidr %s at %s", describe(v), v.Range.Path)
	}
}
