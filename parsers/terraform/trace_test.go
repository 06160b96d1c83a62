package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// chain formats a trace as "what@path:line:col → …", "none" when empty.
func chain(trace []graph.Step) string {
	if len(trace) == 0 {
		return "none"
	}
	steps := make([]string, len(trace))
	for i, s := range trace {
		steps[i] = fmt.Sprintf("%s@%s:%d:%d", s.What, s.Range.Path, s.Range.Start.Line, s.Range.Start.Column)
	}
	return strings.Join(steps, " → ")
}

const traced = `
-- main.tf --
variable "admin_cidr" {
  default = "0.0.0.0/0"
}

variable "port" {
  default = 22
}

locals {
  admin = var.admin_cidr
  both  = "${local.admin}-${var.port}"
  rules = { ssh = var.port }
}

resource "aws_security_group" "sg" {
  description = local.both
  ingress {
    from_port   = var.port
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.admin, "10.0.0.0/8"]
  }
  dynamic "egress" {
    for_each = local.rules
    content {
      from_port = egress.value
    }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = { logs = var.admin_cidr }
  bucket   = each.value
}

resource "aws_s3_bucket" "c" {
  count  = var.port
  bucket = aws_security_group.sg.description
}

resource "aws_instance" "web" {
  ami = "ami-1"
  provisioner "local-exec" {
    command = "echo ${self.ami}"
  }
}

module "web" {
  source = "./web"
  cidr   = local.admin
}
-- web/main.tf --
variable "cidr" {}

resource "aws_security_group" "this" {
  ingress {
    cidr_blocks = [var.cidr]
  }
}
`

// TestTraces asserts the chain that produced each computed value: where it started (a
// variable's default, a variables file, --var, TF_VAR_), each local, iterator, module
// argument and resource attribute it passed through, in order.
func TestTraces(t *testing.T) {
	tfvars := "-- terraform.tfvars --\nadmin_cidr = \"10.1.0.0/16\"\n"
	env := func(name string) (string, bool) { return "10.2.0.0/16", name == "TF_VAR_admin_cidr" }
	tests := []struct {
		name, archive string
		opts          Options
		address, path string
		want          string
	}{
		{"variable default through a local", traced, Options{}, "aws_security_group.sg", "ingress[0].cidr_blocks[0]",
			"var.admin_cidr default@main.tf:2:13 → local.admin@main.tf:10:11"},
		{"a literal has no trace", traced, Options{}, "aws_security_group.sg", "ingress[0].cidr_blocks[1]", "none"},
		{"variable default used directly", traced, Options{}, "aws_security_group.sg", "ingress[0].from_port",
			"var.port default@main.tf:6:13"},
		{"every symbol a template reads", traced, Options{}, "aws_security_group.sg", "description",
			"var.admin_cidr default@main.tf:2:13 → local.admin@main.tf:10:11 → var.port default@main.tf:6:13 → local.both@main.tf:11:11"},
		{"terraform.tfvars", traced + tfvars, Options{}, "aws_security_group.sg", "ingress[0].cidr_blocks[0]",
			"var.admin_cidr in terraform.tfvars@terraform.tfvars:1:1 → local.admin@main.tf:10:11"},
		{"TF_VAR_", traced, Options{Env: env}, "aws_security_group.sg", "ingress[0].cidr_blocks[0]",
			"var.admin_cidr from TF_VAR_admin_cidr@main.tf:1:1 → local.admin@main.tf:10:11"},
		{"--var", traced, Options{Vars: map[string]string{"admin_cidr": "10.3.0.0/16"}}, "aws_security_group.sg", "ingress[0].cidr_blocks[0]",
			"var.admin_cidr from --var@main.tf:1:1 → local.admin@main.tf:10:11"},
		{"dynamic block iterator", traced, Options{}, "aws_security_group.sg", "egress[0].from_port",
			"var.port default@main.tf:6:13 → local.rules@main.tf:12:11 → dynamic \"egress\" for_each@main.tf:24:16"},
		{"for_each value", traced, Options{}, `aws_s3_bucket.b["logs"]`, "bucket",
			"var.admin_cidr default@main.tf:2:13 → for_each@main.tf:32:14"},
		{"attribute of another resource", traced, Options{}, "aws_s3_bucket.c[0]", "bucket",
			"aws_security_group.sg.description@main.tf:16:17"},
		{"self in a provisioner", traced, Options{}, "aws_instance.web", "provisioner.command",
			"self.ami@main.tf:42:9"},
		{"module argument", traced, Options{}, "module.web.aws_security_group.this", "ingress[0].cidr_blocks[0]",
			"var.admin_cidr default@main.tf:2:13 → local.admin@main.tf:10:11 → module.web argument cidr@main.tf:50:12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, tc.archive, tc.opts, tc.address, tc.path)
			if got := chain(v.Trace); got != tc.want {
				t.Errorf("trace = %s\nwant    %s", got, tc.want)
			}
		})
	}
}

// TestSelf asserts that self reads the instance it is written in, and nothing outside a
// resource: a data source has no self.
func TestSelf(t *testing.T) {
	rs, diags := LoadModules([]*source.File{source.NewFile("main.tf", []byte(`
resource "aws_instance" "web" {
  count = 2
  ami   = "ami-${count.index}"
  provisioner "local-exec" {
    command = self.ami
  }
}

data "aws_ami" "x" {
  owners = [self.ami]
}
`))}, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	for address, want := range map[string]string{
		"aws_instance.web[0]": `string "ami-0"`, "aws_instance.web[1]": `string "ami-1"`,
	} {
		if _, v := lookup(resourceAt(t, rs, address).Body, "provisioner.command"); describe(v) != want {
			t.Errorf("%s: self.ami = %s, want %s", address, describe(v), want)
		}
	}
	if _, v := lookup(resourceAt(t, rs, "data.aws_ami.x").Body, "owners[0]"); v.Known() {
		t.Errorf("self in a data source = %s, want unknown", describe(v))
	}
}

// TestHugeNumber asserts that a computed number beyond float64's range is Unknown rather
// than written out digit by digit.
func TestHugeNumber(t *testing.T) {
	for _, text := range []string{"1e99999999", "1e-99999999"} {
		rs, _ := LoadModules([]*source.File{source.NewFile("main.tf", []byte(
			`resource "a" "b" { n = jsondecode("`+text+`") }`))}, Options{})
		if _, v := lookup(resourceAt(t, rs, "a.b").Body, "n"); v.Known() {
			t.Errorf("jsondecode(%q) = %s, want unknown", text, describe(v))
		}
	}
}
