package hclpatch_test

import (
	"testing"

	"github.com/iacscan/iacscan/fixers/internal/patchtest"
)

// examples are the rules' example archives: Terraform, CloudFormation and serverless
// files in the layouts fixes meet.
const examples = "../../rules/aws/*/testdata/*.txtar"

// TestEveryChangeToTheExamples makes every kind of change to the first elements of every
// example file: none may panic or leave a file that does not parse, and terraform fmt, when
// installed, must accept every patched file whose input it accepts. -short bounds the
// sweep and skips terraform (see patchtest.Sweep).
func TestEveryChangeToTheExamples(t *testing.T) {
	sweep, picks := patchtest.Sweep(patchtest.Examples(t, examples, ".tf"))
	dir, patched := patchtest.Corpus(t, sweep, picks)
	patchtest.TerraformFmt(t, dir, patched)
}

// FuzzPatch makes one random change to a random element of a valid Terraform file: the
// patcher must never panic, and the patched file must parse.
func FuzzPatch(f *testing.F) {
	seeds := []string{
		"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\" # legacy\n\n  versioning {\n    enabled = false\n  }\n}\n",
		"resource \"aws_security_group\" \"g\" {\r\n\tingress {\r\n\t\tcidr_blocks = [\r\n\t\t\t\"10.0.0.0/8\", // office\r\n\t\t\t\"0.0.0.0/0\",\r\n\t\t]\r\n\t}\r\n}",
		"# header\nresource \"aws_s3_bucket_policy\" \"p\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Principal = \"*\" }]\n  })\n  tags = { a = \"b\", c = 1 }\n}\n\nresource \"aws_s3_bucket\" \"x\" {}\n",
		"resource \"aws_instance\" \"i\" {\n  user_data = <<-EOT\n    a = b\n  EOT\n  dynamic \"ebs\" {\n    for_each = var.v\n    content {\n      size = ebs.value\n    }\n  }\n  count = 2 /* two */\n}\n",
	}
	for _, e := range patchtest.Examples(f, examples, ".tf") {
		seeds = append(seeds, string(e.Src))
	}
	for _, s := range seeds {
		for op := range uint(6) {
			f.Add([]byte(s), uint(3), op)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, pick, op uint) {
		patchtest.Check(t, "main.tf", src, pick, op)
	})
}
