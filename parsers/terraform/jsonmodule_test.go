package terraform

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// jsonModule is a module written in JSON only: variables, locals, instances, a dynamic
// block and a module call, as the native archives of module_test.go have them.
const jsonModule = `
-- main.tf.json --
{
  "variable": {
    "admin_cidr": {"type": "string", "default": "0.0.0.0/0"},
    "names": {"type": "list(string)", "default": ["a", "b"]},
    "unset": {}
  },
  "locals": {
    "ssh_from": ["${var.admin_cidr}"],
    "none": 0
  },
  "resource": {
    "aws_security_group": {
      "admin": {
        "name": "admin-${var.names[1]}",
        "ingress": [
          {"from_port": 22, "cidr_blocks": "${local.ssh_from}"},
          {"from_port": 443, "cidr_blocks": ["${var.admin_cidr}", "10.0.0.0/8"]}
        ],
        "dynamic": {
          "egress": {"for_each": {"https": 443}, "iterator": "rule", "content": {"from_port": "${rule.value}"}}
        }
      }
    },
    "aws_s3_bucket": {
      "none": {"count": "${local.none}", "acl": "public-read"},
      "each": {"for_each": "${toset(var.names)}", "bucket": "e-${each.key}"},
      "unset": {"bucket": "${var.unset}", "acl": "${aws_security_group.admin.name}"}
    }
  },
  "module": {
    "web": [{"source": "./web", "count": 1, "cidr": "${var.admin_cidr}"}]
  }
}
-- web/main.tf --
variable "cidr" {}

resource "aws_security_group" "this" {
  ingress {
    cidr_blocks = [var.cidr]
  }
}
`

// mixedModule declares its variables and locals in one syntax and reads them in the
// other: Terraform reads the files of a directory as one module.
const mixedModule = `
-- main.tf --
variable "port" {
  default = 22
}

locals {
  open = var.cidr
}

resource "aws_security_group" "native" {
  ingress {
    from_port   = var.port
    cidr_blocks = local.cidrs
  }
}
-- vars.tf.json --
{
  "variable": {"cidr": {"default": "0.0.0.0/0"}},
  "locals": {"cidrs": ["${local.open}"]},
  "resource": {"aws_security_group": {"json": {"ingress": {"from_port": "${var.port}", "cidr_blocks": ["${local.open}"]}}}}
}
`

// TestJSONValues asserts that a .tf.json file is evaluated as a member of its module:
// each value as computed, at the range ParseJSON gives it, with where it was defined and
// the chain that produced it.
func TestJSONValues(t *testing.T) {
	tfvars := "-- terraform.tfvars.json --\n{\"admin_cidr\": \"10.1.0.0/16\"}\n"
	tests := []struct {
		name, archive string
		address, path string
		want, wantAt  string
		wantOrigin    string
		wantTrace     string
	}{
		{"variable default through a local", jsonModule, "aws_security_group.admin", "ingress[0].cidr_blocks[0]",
			`string "0.0.0.0/0"`, "main.tf.json:16:44-16:63", "main.tf.json:3:49-3:60",
			"var.admin_cidr default@main.tf.json:3:49 → local.ssh_from@main.tf.json:8:17"},
		{"a template's list is at the string", jsonModule, "aws_security_group.admin", "ingress[0].cidr_blocks",
			"list 1", "main.tf.json:16:44-16:63", "main.tf.json:3:49-3:60",
			"var.admin_cidr default@main.tf.json:3:49 → local.ssh_from@main.tf.json:8:17"},
		{"variable default in an array", jsonModule, "aws_security_group.admin", "ingress[1].cidr_blocks[0]",
			`string "0.0.0.0/0"`, "main.tf.json:17:46-17:65", "main.tf.json:3:49-3:60", "var.admin_cidr default@main.tf.json:3:49"},
		{"a literal beside it", jsonModule, "aws_security_group.admin", "ingress[1].cidr_blocks[1]",
			`string "10.0.0.0/8"`, "main.tf.json:17:67-17:79", "none", "none"},
		{"a number literal", jsonModule, "aws_security_group.admin", "ingress[1].from_port",
			`number 443 "443"`, "main.tf.json:17:25-17:28", "none", "none"},
		{"a list variable of a JSON type constraint in a template", jsonModule, "aws_security_group.admin", "name",
			`string "admin-b"`, "main.tf.json:14:17-14:40", "main.tf.json:4:50-4:60", "var.names default@main.tf.json:4:50"},
		{"dynamic block", jsonModule, "aws_security_group.admin", "egress.from_port",
			`number 443 "443"`, "main.tf.json:20:95-20:110", "main.tf.json:20:34-20:48", `dynamic "egress" for_each@main.tf.json:20:34`},
		{"for_each key", jsonModule, `aws_s3_bucket.each["b"]`, "bucket",
			`string "e-b"`, "main.tf.json:26:61-26:76", "main.tf.json:26:28-26:49",
			"var.names default@main.tf.json:4:50 → for_each@main.tf.json:26:28"},
		{"attribute of another resource", jsonModule, "aws_s3_bucket.unset", "acl",
			`string "admin-b"`, "main.tf.json:27:50-27:84", "main.tf.json:14:17-14:40", "aws_security_group.admin.name@main.tf.json:14:17"},
		{"module call in JSON", jsonModule, "module.web[0].aws_security_group.this", "ingress[0].cidr_blocks[0]",
			`string "0.0.0.0/0"`, "web/main.tf:5:20-5:28", "main.tf.json:3:49-3:60",
			"var.admin_cidr default@main.tf.json:3:49 → module.web[0] argument cidr@main.tf.json:31:53"},
		{"terraform.tfvars.json over a JSON default", jsonModule + tfvars, "aws_security_group.admin", "ingress[0].cidr_blocks[0]",
			`string "10.1.0.0/16"`, "main.tf.json:16:44-16:63", "terraform.tfvars.json:1:2-1:29",
			"var.admin_cidr in terraform.tfvars.json@terraform.tfvars.json:1:2 → local.ssh_from@main.tf.json:8:17"},
		{"native resource reads a JSON local", mixedModule, "aws_security_group.native", "ingress[0].cidr_blocks[0]",
			`string "0.0.0.0/0"`, "main.tf:12:19-12:30", "vars.tf.json:2:36-2:47",
			"var.cidr default@vars.tf.json:2:36 → local.open@main.tf:6:10 → local.cidrs@vars.tf.json:3:23"},
		{"JSON resource reads a native variable", mixedModule, "aws_security_group.json", "ingress.from_port",
			`number 22 "22"`, "vars.tf.json:4:73-4:86", "main.tf:2:13-2:15", "var.port default@main.tf:2:13"},
		{"JSON resource reads a native local", mixedModule, "aws_security_group.json", "ingress.cidr_blocks[0]",
			`string "0.0.0.0/0"`, "vars.tf.json:4:104-4:119", "vars.tf.json:2:36-2:47",
			"var.cidr default@vars.tf.json:2:36 → local.open@main.tf:6:10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, tc.archive, Options{}, tc.address, tc.path)
			if got := describe(v); got != tc.want {
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			if got := at(&v.Range); got != tc.wantAt {
				t.Errorf("range = %s, want %s", got, tc.wantAt)
			}
			if got := at(v.Origin); got != tc.wantOrigin {
				t.Errorf("origin = %s, want %s", got, tc.wantOrigin)
			}
			if got := chain(v.Trace); got != tc.wantTrace {
				t.Errorf("trace = %s\nwant    %s", got, tc.wantTrace)
			}
		})
	}
}

// TestJSONInstances asserts the resources a JSON module yields: count = 0 yields none,
// for_each and a module call's count one per instance, each at its JSON header and
// range, in the JSON format.
func TestJSONInstances(t *testing.T) {
	rs, diags := loadArchive(t, jsonModule, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		got = append(got, strings.Join([]string{r.ID.Path, r.ID.Address, r.Format.String(), span(r.Header), span(r.Range), r.Scope}, " "))
	}
	want := []string{
		"main.tf.json aws_security_group.admin terraform-json 13:7#285-13:14#292 13:7#285-22:8#665 .",
		`main.tf.json aws_s3_bucket.each["a"] terraform-json 26:7#766-26:13#772 26:7#766-26:77#836 .`,
		`main.tf.json aws_s3_bucket.each["b"] terraform-json 26:7#766-26:13#772 26:7#766-26:77#836 .`,
		"main.tf.json aws_s3_bucket.unset terraform-json 27:7#844-27:14#851 27:7#844-27:85#922 .",
		"web/main.tf module.web[0].aws_security_group.this terraform 3:1#20-3:37#56 3:1#20-7:2#105 .",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestJSONAsParsed asserts that evaluation keeps every range ParseJSON gives a JSON
// file: its resources, attributes and values, literal or not.
func TestJSONAsParsed(t *testing.T) {
	f := readFile(t, "values.tf.json")
	parsed, _ := ParseJSON(f)
	loaded, _ := LoadModules([]*source.File{f}, Options{})
	if got, want := addresses(loaded), addresses(parsed); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("loaded %v, parsed %v", got, want)
	}
	for i, r := range loaded {
		t.Run(r.ID.Address, func(t *testing.T) {
			p := parsed[i]
			if r.Header != p.Header || r.Range != p.Range {
				t.Errorf("resource at %s %s, parsed at %s %s", span(r.Header), span(r.Range), span(p.Header), span(p.Range))
			}
			if got, want := shape(r.Body), shape(p.Body); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("body:\n%s\nparsed:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// shape lists the ranges of every value and attribute name in v, and what each value is.
func shape(v *graph.Value) []string {
	var out []string
	v.Walk(func(x *graph.Value) {
		out = append(out, describe(x)+"@"+span(x.Range))
		for _, a := range x.Attrs {
			out = append(out, a.Name+"@"+span(a.NameRange)+" "+span(a.Range))
		}
	})
	return out
}

// TestJSONUnknown asserts that what a JSON file cannot know stays Unknown, with the
// references it makes inside its string: a variable without a value, a count or a
// dynamic block's for_each that reads one (the block stays as written, in the native
// shape, its iterator no reference).
func TestJSONUnknown(t *testing.T) {
	const archive = `
-- main.tf.json --
{
  "variable": {"unset": {}},
  "resource": {
    "aws_s3_bucket": {
      "b": {"acl": "${var.unset}", "tags": {"${var.unset}": "x"}},
      "n": {"count": "${var.unset}", "acl": "public-read"}
    },
    "aws_security_group": {
      "s": {"dynamic": {"ingress": {"for_each": "${var.unset}", "content": {"description": "${ingress.key}"}}}}
    }
  }
}
`
	rs, diags := loadArchive(t, archive, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diagnostics(diags))
	}
	tests := []struct {
		address, path, want, refs string
	}{
		{"aws_s3_bucket.b", "acl", "unknown", "var.unset[]@5:23#92-5:32#101"},
		{"aws_s3_bucket.b", "tags", "unknown", "var.unset[]@5:48#117-5:57#126"},
		{"aws_s3_bucket.n", "count", "unknown", "var.unset[]@6:25#161-6:34#170"},
		// Not expanded, the block keeps the native shape, and its iterator is no reference.
		{"aws_security_group.s", "dynamic.for_each", "unknown", "var.unset[]@9:52#282-9:61#291"},
		{"aws_security_group.s", "dynamic.content.description", "unknown", ""},
	}
	for _, tc := range tests {
		t.Run(tc.address+"."+tc.path, func(t *testing.T) {
			_, v := lookup(resourceAt(t, rs, tc.address).Body, tc.path)
			if v == nil {
				t.Fatalf("no value at %s", tc.path)
			}
			if got := describe(v); got != tc.want {
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			if got := strings.Join(refs(v), " "); got != tc.refs {
				t.Errorf("refs = %q, want %q", got, tc.refs)
			}
		})
	}
}

// TestJSONModuleFromRoot asserts that a module directory that was not scanned is read
// from the scan root with its .tf.json files.
func TestJSONModuleFromRoot(t *testing.T) {
	const archive = `
-- main.tf --
module "db" {
  source = "./db"
  cidr   = "0.0.0.0/0"
}
`
	root := fstest.MapFS{
		"db/main.tf.json": {Data: []byte(`{"variable": {"cidr": {}},
"resource": {"aws_security_group": {"db": {"ingress": [{"cidr_blocks": ["${var.cidr}"]}]}}}}`)},
	}
	rs, diags := loadArchive(t, archive, Options{Root: root})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diagnostics(diags))
	}
	r := resourceAt(t, rs, "module.db.aws_security_group.db")
	_, v := lookup(r.Body, "ingress[0].cidr_blocks[0]")
	if got := fmt.Sprintf("%s %s %s@%s", r.ID.Path, describe(v), at(&v.Range), at(v.Origin)); got != `db/main.tf.json string "0.0.0.0/0" db/main.tf.json:2:73-2:86@main.tf:3:12-3:23` {
		t.Errorf("got %s", got)
	}
}

// TestJSONDiagnostics asserts what evaluating a JSON module reports, at the JSON: a cycle
// among locals at the key of the local that closes it, a declaration that is not an
// object, and a remote module that is not installed at the key of its name.
func TestJSONDiagnostics(t *testing.T) {
	const archive = `
-- main.tf.json --
{
  "locals": {"a": "${local.b}", "b": "${local.a}"},
  "variable": {"v": 5},
  "module": {"net": {"source": "terraform-aws-modules/vpc/aws"}}
}
`
	_, diags := loadArchive(t, archive, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s %s %s", at(d.Subject), d.Severity, d.Summary))
	}
	want := []string{
		"main.tf.json:3:21-3:22 error Incorrect JSON value type",
		"main.tf.json:2:14-2:17 error Cycle in locals",
		"main.tf.json:4:14-4:19 warning Module not installed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
