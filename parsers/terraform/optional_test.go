package terraform

import (
	"testing"

	"github.com/iacscan/iacscan/source"
)

// optionalModule declares object variables whose type gives optional(type, default)
// attributes, at the top level, in a nested object and in list elements; the root and
// a module both read them.
const optionalModule = `
-- main.tf --
variable "bucket" {
  type = object({
    name       = string
    acl        = optional(string, "public-read")
    versioning = optional(object({
      enabled    = optional(bool, false)
      mfa_delete = optional(bool)
    }), {})
    tags       = optional(map(string), { team = "core" })
  })
  default = { name = "logs" }
}

variable "rules" {
  type = list(object({
    port = number
    cidr = optional(string, "0.0.0.0/0")
  }))
  default = [{ port = 22 }, { port = 443, cidr = "10.0.0.0/8" }]
}

variable "maybe" {
  type    = object({ acl = optional(string, "private") })
  default = null
}

resource "aws_s3_bucket" "b" {
  bucket = var.bucket.name
  acl    = var.bucket.acl
  tags   = var.bucket.tags
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = var.bucket.name
  versioning_configuration {
    status     = var.bucket.versioning.enabled ? "Enabled" : "Suspended"
    mfa_delete = var.bucket.versioning.mfa_delete == null ? "unset" : "set"
  }
}

resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      cidr_blocks = [ingress.value.cidr]
    }
  }
}

resource "aws_s3_bucket" "maybe" {
  bucket = var.maybe == null ? "null" : "not null"
}

module "site" {
  source = "./site"
  site   = { name = "www", index = null }
}
-- site/main.tf --
variable "site" {
  type = object({
    name  = string
    index = optional(string, "index.html")
    acl   = optional(string, "public-read")
  })
}

resource "aws_s3_bucket" "site" {
  bucket = var.site.name
  acl    = var.site.acl
  website {
    index_document = var.site.index
  }
}
`

// TestOptionalDefaults checks that the defaults of optional(type, default) attributes are
// filled in wherever a variable's value comes from, as Terraform does: the variable's own
// default, a module call (where an explicit null also takes the default), tfvars and --var;
// a null variable stays null.
func TestOptionalDefaults(t *testing.T) {
	tfvars := source.NewFile("prod.tfvars", []byte(`bucket = { name = "prod", versioning = { enabled = true } }`+"\n"))
	tests := []struct {
		name    string
		opts    Options
		address string
		path    string
		want    string
	}{
		{"top-level default", Options{}, "aws_s3_bucket.b", "acl", `string "public-read"`},
		{"given attribute kept", Options{}, "aws_s3_bucket.b", "bucket", `string "logs"`},
		{"collection default", Options{}, "aws_s3_bucket.b", "tags.team", `string "core"`},
		{"nested object default", Options{}, "aws_s3_bucket_versioning.b", "versioning_configuration[0].status", `string "Suspended"`},
		{"optional without default is null", Options{}, "aws_s3_bucket_versioning.b", "versioning_configuration[0].mfa_delete", `string "unset"`},
		{"list element default", Options{}, "aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "0.0.0.0/0"`},
		{"list element given", Options{}, "aws_security_group.web", "ingress[1].cidr_blocks[0]", `string "10.0.0.0/8"`},
		{"null variable stays null", Options{}, "aws_s3_bucket.maybe", "bucket", `string "null"`},
		{"module argument", Options{}, "module.site.aws_s3_bucket.site", "acl", `string "public-read"`},
		{"module argument null attribute", Options{}, "module.site.aws_s3_bucket.site", "website[0].index_document", `string "index.html"`},
		{"var file, nested", Options{VarFiles: []*source.File{tfvars}}, "aws_s3_bucket_versioning.b", "versioning_configuration[0].status", `string "Enabled"`},
		{"var file, top level", Options{VarFiles: []*source.File{tfvars}}, "aws_s3_bucket.b", "acl", `string "public-read"`},
		{"--var expression", Options{Vars: map[string]string{"rules": `[{port = 80}]`}}, "aws_security_group.web", "ingress[0].cidr_blocks[0]", `string "0.0.0.0/0"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, optionalModule, tc.opts, tc.address, tc.path)
			if got := describe(v); got != tc.want {
				t.Errorf("%s %s = %s, want %s", tc.address, tc.path, got, tc.want)
			}
		})
	}
}
