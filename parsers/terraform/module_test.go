package terraform

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// at formats a range as "path:line:col-line:col".
func at(r *source.Range) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", r.Path, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// loadArchive evaluates the files of a txtar archive as scanned inputs.
func loadArchive(t *testing.T, archive string, opts Options) ([]*graph.Resource, source.Diagnostics) {
	t.Helper()
	var files []*source.File
	for _, f := range txtar.Parse([]byte(archive)).Files {
		files = append(files, source.NewFile(f.Name, f.Data))
	}
	return LoadModules(files, opts)
}

// valueAt evaluates an archive and returns the value at path in the resource at address,
// failing the test on any diagnostic or when there is no such value.
func valueAt(t *testing.T, archive string, opts Options, address, path string) *graph.Value {
	t.Helper()
	rs, diags := loadArchive(t, archive, opts)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diagnostics(diags))
	}
	_, v := lookup(resourceAt(t, rs, address).Body, path)
	if v == nil {
		t.Fatalf("no value at %s", path)
	}
	return v
}

// resourceAt returns the resource with address, failing the test when there is none.
func resourceAt(t *testing.T, rs []*graph.Resource, address string) *graph.Resource {
	t.Helper()
	var have []string
	for _, r := range rs {
		if r.ID.Address == address {
			return r
		}
		have = append(have, r.ID.Address)
	}
	t.Fatalf("no resource %s; have %s", address, strings.Join(have, ", "))
	return nil
}

const sgModule = `
-- main.tf --
variable "cidr" {
  type    = string
  default = "0.0.0.0/0"
}

variable "ports" {
  type    = list(number)
  default = [22]
}

locals {
  open = var.cidr
  name = format("%s-%d", "web", 1)
  subnet = cidrsubnet("10.0.0.0/16", 8, 3)
  tags = merge({ a = "1" }, { b = lookup({ k = "v" }, "k", "d") })
}

resource "aws_security_group" "web" {
  name        = local.name
  description = aws_vpc.main.cidr_block
  tags        = local.tags
  ingress {
    from_port   = var.ports[0]
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.open, local.subnet]
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.9.0.0/16"
}
`

// TestValues asserts the value and the origin of evaluated attributes: variables from
// every source in Terraform's order, locals, functions and references to resources.
func TestValues(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	}
	varFile := source.NewFile("prod.tfvars", []byte("cidr = \"10.3.0.0/16\"\n"))
	tests := []struct {
		name       string
		archive    string
		opts       Options
		address    string
		path       string
		want       string
		wantOrigin string
	}{
		{"variable default", sgModule, Options{}, "aws_security_group.web", "ingress[0].cidr_blocks[0]",
			`string "0.0.0.0/0"`, "main.tf:3:13-3:24"},
		{"variable of a list type", sgModule, Options{}, "aws_security_group.web", "ingress[0].from_port",
			`number 22 "22"`, "main.tf:8:13-8:17"},
		{"TF_VAR_ over the default", sgModule, Options{Env: env(map[string]string{"TF_VAR_cidr": "10.1.0.0/16"})},
			"aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "10.1.0.0/16"`, "main.tf:1:1-1:16"},
		{"terraform.tfvars over TF_VAR_", sgModule + "-- terraform.tfvars --\ncidr = \"10.2.0.0/16\"\n",
			Options{Env: env(map[string]string{"TF_VAR_cidr": "10.1.0.0/16"})},
			"aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "10.2.0.0/16"`, "terraform.tfvars:1:1-1:21"},
		{"auto.tfvars.json over terraform.tfvars", sgModule + "-- terraform.tfvars --\ncidr = \"10.2.0.0/16\"\n-- a.auto.tfvars.json --\n{\"cidr\": \"10.4.0.0/16\"}\n",
			Options{}, "aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "10.4.0.0/16"`, "a.auto.tfvars.json:1:2-1:23"},
		{"--var-file over auto files", sgModule + "-- b.auto.tfvars --\ncidr = \"10.2.0.0/16\"\n", Options{VarFiles: []*source.File{varFile}},
			"aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "10.3.0.0/16"`, "prod.tfvars:1:1-1:21"},
		{"--var over --var-file", sgModule, Options{VarFiles: []*source.File{varFile}, Vars: map[string]string{"cidr": "10.5.0.0/16"}},
			"aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "10.5.0.0/16"`, "main.tf:1:1-1:16"},
		{"--var of a list type is an expression", sgModule, Options{Vars: map[string]string{"ports": "[3389]"}},
			"aws_security_group.web", "ingress[0].from_port", `number 3389 "3389"`, "main.tf:6:1-6:17"},
		{"format", sgModule, Options{}, "aws_security_group.web", "name", `string "web-1"`, "main.tf:13:10-13:35"},
		{"cidrsubnet", sgModule, Options{}, "aws_security_group.web", "ingress[0].cidr_blocks[1]",
			`string "10.0.3.0/24"`, "main.tf:14:12-14:43"},
		{"merge and lookup", sgModule, Options{}, "aws_security_group.web", "tags.b", `string "v"`, "main.tf:15:10-15:67"},
		{"attribute of another resource", sgModule, Options{}, "aws_security_group.web", "description",
			`string "10.9.0.0/16"`, "main.tf:31:16-31:29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, tc.archive, tc.opts, tc.address, tc.path)
			if got := describe(v); got != tc.want {
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			if got := at(v.Origin); got != tc.wantOrigin {
				t.Errorf("origin = %s, want %s", got, tc.wantOrigin)
			}
		})
	}
}

const instances = `
-- main.tf --
variable "names" {
  default = ["a", "b"]
}

resource "aws_s3_bucket" "none" {
  count = 0
  acl   = "public-read"
}

resource "aws_s3_bucket" "counted" {
  count  = length(var.names)
  bucket = "c-${var.names[count.index]}"
}

resource "aws_s3_bucket" "each" {
  for_each = toset(var.names)
  bucket   = "e-${each.key}"
}

resource "aws_s3_bucket_acl" "each" {
  for_each = aws_s3_bucket.each
  bucket   = aws_s3_bucket.each[each.key].id
  acl      = "private"
}

resource "aws_security_group" "dyn" {
  dynamic "ingress" {
    for_each = { ssh = 22 }
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value
    }
  }
}

module "web" {
  source   = "./modules/web"
  count    = 2
  name     = "web-${count.index}"
}
-- modules/web/main.tf --
variable "name" {}

locals {
  policy = templatefile("${path.module}/policy.json", { name = var.name })
  text   = file("modules/web/name.txt")
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  policy = local.policy
  tags   = { text = local.text }
}
`

// TestInstances asserts the addresses, values and origins count, for_each, dynamic
// blocks and module calls produce, and file()/templatefile() reading under the root.
func TestInstances(t *testing.T) {
	root := fstest.MapFS{
		"modules/web/policy.json": {Data: []byte(`{"Bucket": "${name}"}`)},
		"modules/web/name.txt":    {Data: []byte("hello")},
	}
	tests := []struct {
		name       string
		address    string
		path       string
		want       string
		wantOrigin string
	}{
		{"count index (the first symbol read: the list default)", "aws_s3_bucket.counted[1]", "bucket", `string "c-b"`, "main.tf:2:13-2:23"},
		{"for_each key", `aws_s3_bucket.each["b"]`, "bucket", `string "e-b"`, "main.tf:16:14-16:30"},
		{"dynamic block key", "aws_security_group.dyn", "ingress[0].description", `string "ssh"`, "main.tf:28:16-28:28"},
		{"dynamic block value", "aws_security_group.dyn", "ingress[0].from_port", `number 22 "22"`, "main.tf:28:16-28:28"},
		{"module input", "module.web[1].aws_s3_bucket.this", "bucket", `string "web-1"`, "main.tf:40:14-40:34"},
		{"templatefile", "module.web[0].aws_s3_bucket.this", "policy", `string "{\"Bucket\": \"web-0\"}"`, "modules/web/main.tf:4:12-4:75"},
		{"file", "module.web[0].aws_s3_bucket.this", "tags.text", `string "hello"`, "modules/web/main.tf:5:12-5:40"},
	}
	rs, diags := loadArchive(t, instances, Options{Root: root})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, v := lookup(resourceAt(t, rs, tc.address).Body, tc.path)
			if v == nil {
				t.Fatalf("no value at %s", tc.path)
			}
			if got := describe(v); got != tc.want {
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			if got := at(v.Origin); got != tc.wantOrigin {
				t.Errorf("origin = %s, want %s", got, tc.wantOrigin)
			}
		})
	}
	t.Run("addresses", func(t *testing.T) {
		var got []string
		for _, r := range rs {
			got = append(got, r.ID.Path+" "+r.ID.Address+" "+r.Scope)
		}
		want := []string{
			"main.tf aws_s3_bucket.counted[0] .", "main.tf aws_s3_bucket.counted[1] .",
			`main.tf aws_s3_bucket.each["a"] .`, `main.tf aws_s3_bucket.each["b"] .`,
			`main.tf aws_s3_bucket_acl.each["a"] .`, `main.tf aws_s3_bucket_acl.each["b"] .`,
			"main.tf aws_security_group.dyn .",
			"modules/web/main.tf module.web[0].aws_s3_bucket.this .", "modules/web/main.tf module.web[1].aws_s3_bucket.this .",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("reference to an instance", func(t *testing.T) {
		ref := resourceAt(t, rs, `aws_s3_bucket_acl.each["b"]`).Get("bucket").Value.Refs
		if len(ref) != 1 || ref[0].Address != `aws_s3_bucket.each["b"]` || ref[0].Attr != "id" {
			t.Fatalf("refs = %v", refs(resourceAt(t, rs, `aws_s3_bucket_acl.each["b"]`).Get("bucket").Value))
		}
	})
}

// TestDiagnostics asserts what evaluation reports: cycles among locals, remote modules
// that are not installed, a module that calls itself and a resource block without its
// two labels; an installed module is loaded from modules.json.
func TestDiagnostics(t *testing.T) {
	const archive = `
-- main.tf --
locals {
  a = local.b
  b = local.a
}

module "net" {
  source = "terraform-aws-modules/vpc/aws"
}

module "installed" {
  source = "example/sg/aws"
  cidr   = "0.0.0.0/0"
}
-- loop/main.tf --
module "self" {
  source = "../loop"
}

resource "aws_s3_bucket" {}
`
	root := fstest.MapFS{
		".terraform/modules/modules.json":   {Data: []byte(`{"Modules":[{"Key":"","Dir":"."},{"Key":"installed","Dir":".terraform/modules/installed"}]}`)},
		".terraform/modules/installed/x.tf": {Data: []byte("variable \"cidr\" {}\nresource \"aws_security_group\" \"this\" {\n  description = var.cidr\n}\n")},
	}
	rs, diags := loadArchive(t, archive, Options{Root: root})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s %s %s", at(d.Subject), d.Severity, d.Summary))
	}
	want := []string{
		"main.tf:2:3-2:4 error Cycle in locals",
		"main.tf:6:1-6:13 warning Module not installed",
		"loop/main.tf:5:1-5:25 error Invalid resource block",
		"loop/main.tf:1:1-1:14 error Module calls nest too deeply",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r := resourceAt(t, rs, "module.installed.aws_security_group.this")
	if v := r.Get("description").Value; describe(v) != `string "0.0.0.0/0"` || r.ID.Path != ".terraform/modules/installed/x.tf" {
		t.Errorf("installed module: %s %s", r.ID.Path, describe(v))
	}
}

// TestUnknown asserts that what depends on anything not in the configuration stays
// Unknown, each with the reference it makes, whatever the source of the unknown, and so
// does what would cost too much to evaluate.
func TestUnknown(t *testing.T) {
	const archive = `
-- main.tf --
variable "unset" {}

data "aws_vpc" "v" {}

resource "aws_vpc" "set" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "s" {
  a = var.unset
  b = data.aws_vpc.v.cidr_block
  c = aws_vpc.set.id
  d = uuid()
  e = module.m.out
  f = file("x.txt")
  g = "${var.unset}/32"
  h = [for a in [1] : [for b in [2] : [for c in [3] : c]]]
  i = range(100000)
}

resource "aws_s3_bucket" "n" {
  count = length(data.aws_vpc.v.ids)
  acl   = count.index
}
`
	rs, diags := loadArchive(t, archive, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	s := resourceAt(t, rs, "aws_security_group.s")
	tests := []struct {
		attr, refs string
	}{
		{"a", "var.unset[]@10:7#145-10:16#154"},
		{"b", "data.aws_vpc.v[cidr_block]@11:7#161-11:32#186"},
		{"c", "aws_vpc.set[id]@12:7#193-12:21#207"},
		{"d", ""},
		{"e", "module.m[out]@14:7#227-14:19#239"},
		{"f", ""},
		{"g", "var.unset[]@16:10#269-16:19#278"},
		{"h", ""}, // for expressions nested deeper than maxForDepth
		{"i", ""}, // a range longer than maxRange
	}
	for _, tc := range tests {
		t.Run(tc.attr, func(t *testing.T) {
			v := s.Get(tc.attr).Value
			if got := describe(v); got != "unknown" {
				t.Errorf("value = %s, want unknown", got)
			}
			if got := strings.Join(refs(v), " "); got != tc.refs {
				t.Errorf("refs = %q, want %q", got, tc.refs)
			}
		})
	}
	t.Run("count not known", func(t *testing.T) {
		if got := describe(resourceAt(t, rs, "aws_s3_bucket.n").Get("acl").Value); got != "unknown" {
			t.Errorf("acl = %s, want unknown", got)
		}
	})
}

// TestModuleReadOnceForAllRoots: roots that call the same module outside the scanned
// files share one parse of it, read from Root: each gets its resources, and the
// module's syntax error is reported once.
func TestModuleReadOnceForAllRoots(t *testing.T) {
	root := fstest.MapFS{
		"common/main.tf": {Data: []byte("variable \"name\" {}\n\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = var.name\n}\n\nlocals {\n  broken = \n}\n")},
	}
	var files []*source.File
	for _, r := range []string{"a", "b", "c"} {
		src := fmt.Sprintf("module \"m\" {\n  source = \"../common\"\n  name   = %q\n}\n", r)
		files = append(files, source.NewFile(r+"/main.tf", []byte(src)))
	}
	counted := &countingFS{FS: root, name: "common/main.tf"}
	rs, diags := LoadModules(files, Options{Root: counted})
	if n := counted.opened.Load(); n != 1 {
		t.Errorf("common/main.tf read %d times, want once", n)
	}
	var got []string
	for _, r := range rs {
		_, v := lookup(r.Body, "bucket")
		got = append(got, r.Scope+" "+r.ID.Address+" "+describe(v))
	}
	want := []string{
		`a module.m.aws_s3_bucket.this string "a"`,
		`b module.m.aws_s3_bucket.this string "b"`,
		`c module.m.aws_s3_bucket.this string "c"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("resources\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(diags) != 1 || diags[0].Subject == nil || diags[0].Subject.Path != "common/main.tf" {
		t.Errorf("diagnostics %v, want one syntax error in common/main.tf", diags)
	}
}

// countingFS counts the times name is opened.
type countingFS struct {
	fs.FS
	name   string
	opened atomic.Int32
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if name == c.name {
		c.opened.Add(1)
	}
	return c.FS.Open(name)
}

// TestDependsOn: in a module instance depends_on keeps its items' references, instance
// keys and module path included, without computing the resources they name (Terraform
// only orders by them), inside or outside a child module.
func TestDependsOn(t *testing.T) {
	files := []*source.File{
		source.NewFile("main.tf", []byte(`module "m" {
  source = "./m"
}

resource "aws_s3_bucket" "a" {
  bucket = "a"
}

resource "aws_s3_bucket" "b" {
  bucket     = "b"
  depends_on = [aws_s3_bucket.a, module.m]
}
`)),
		source.NewFile("m/main.tf", []byte(`resource "aws_sqs_queue" "q" {
  for_each = toset(["x", "y"])
  name     = each.key
}

resource "aws_sqs_queue" "r" {
  name       = "r"
  depends_on = [aws_sqs_queue.q["x"]]
}
`)),
	}
	rs, diags := LoadModules(files, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	for addr, want := range map[string][]string{
		"aws_s3_bucket.b":          {"aws_s3_bucket.a[]@11:17#148-11:32#163", "module.m[]@11:34#165-11:42#173"},
		"module.m.aws_sqs_queue.r": {`module.m.aws_sqs_queue.q["x"][]@8:17#153-8:37#173`},
	} {
		deps := resourceAt(t, rs, addr).Get("depends_on")
		if deps == nil || deps.Value.Type != graph.List {
			t.Fatalf("%s: depends_on %v", addr, deps)
		}
		var got []string
		for _, it := range deps.Value.Items {
			if it.Type != graph.Unknown || len(it.Refs) != 1 || !it.Refs[0].Whole {
				t.Errorf("%s: item %s with refs %v, want one whole reference, unknown", addr, describe(it), refs(it))
			}
			got = append(got, refs(it)...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: depends_on refs %q, want %q", addr, got, want)
		}
	}
}
