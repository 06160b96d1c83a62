package terraform

import (
	"slices"
	"testing"

	"github.com/iacscan/iacscan/source"
)

func TestLocalModuleSources(t *testing.T) {
	for _, tc := range []struct {
		name, path, src string
		want            []string
	}{
		{"native", "main.tf", `
module "a" {
  source = "./a"
}
module "b" {
  source = "../b"
}
module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
module "git" {
  source = "git::https://example.com/m.git"
}
resource "aws_s3_bucket" "x" {
  source = "./not-a-module"
}
`, []string{"./a", "../b"}},
		{"a template with no variable is known", "main.tf", `module "a" { source = "${"../"}common" }`, []string{"../common"}},
		{"after a syntax error", "main.tf", "module \"a\" {\n  source = \"../a\"\n}\nresource \"x\" \"y\" {\n  a = \n}\nmodule \"b\" {\n  source = \"../b\"\n}\n", []string{"../a", "../b"}},
		{"no module", "main.tf", `resource "aws_s3_bucket" "x" {}`, nil},
		{"json", "main.tf.json", `{"module": {"a": {"source": "./a"}, "r": {"source": "hashicorp/consul/aws"}}}`, []string{"./a"}},
		{"other files", "terraform.tfvars", `source = "./a"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := LocalModuleSources(source.NewFile(tc.path, []byte(tc.src)))
			if !slices.Equal(got, tc.want) {
				t.Errorf("LocalModuleSources = %q, want %q", got, tc.want)
			}
		})
	}
}
