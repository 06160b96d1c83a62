package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/source"
)

// benchUnit is five resources as a typical module writes them: a split-style bucket with
// its ACL and public access block, a security group with inline rules, and a rule.
const benchUnit = `# unit %[1]d
resource "aws_s3_bucket" "b%[1]d" {
  bucket = "bucket-%[1]d"
  tags = {
    Name = "bucket-%[1]d"
    Team = var.team
  }
}

resource "aws_s3_bucket_acl" "b%[1]d" {
  bucket = aws_s3_bucket.b%[1]d.id
  acl    = "private"
}

resource "aws_s3_bucket_public_access_block" "b%[1]d" {
  bucket                  = aws_s3_bucket.b%[1]d.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_security_group" "sg%[1]d" {
  name   = "sg-${var.env}-%[1]d"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", var.office_cidr]
  }
}

resource "aws_security_group_rule" "r%[1]d" {
  type              = "ingress"
  security_group_id = aws_security_group.sg%[1]d.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["10.1.0.0/16"]
}

`

// BenchmarkParse parses a 200-resource file. The product scans 10,000 resources in under
// a second on two cores, parsing included.
func BenchmarkParse(b *testing.B) {
	var src strings.Builder
	const units = 40
	for i := range units {
		fmt.Fprintf(&src, benchUnit, i)
	}
	f := source.NewFile("modules/app/main.tf", []byte(src.String()))
	if rs, diags := Parse(f); len(rs) != 5*units || len(diags) > 0 {
		b.Fatalf("parsed %d resources with %v, want %d", len(rs), diags, 5*units)
	}
	b.SetBytes(int64(len(f.Src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(f)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(5*units), "ns/resource")
}

// jsonBench is 200 security groups in JSON, pretty-printed.
func jsonBench(units int) string {
	resources := make([]string, units)
	for i := range resources {
		resources[i] = fmt.Sprintf(`"b%d": {"bucket": "bucket-%d", "acl": "private", "tags": {"Name": "x", "Team": "${var.team}"},
"ingress": [{"from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0", "10.0.0.0/8"]}]}`, i, i)
	}
	return `{"resource": {"aws_security_group": {
` + strings.Join(resources, ",\n") + "\n}}}\n"
}

// BenchmarkParseJSON parses 200 resources in JSON, pretty-printed and minified onto one
// line: positions must cost the same on a long line as on short ones.
func BenchmarkParseJSON(b *testing.B) {
	const units = 200
	pretty := jsonBench(units)
	for _, tc := range []struct{ name, src string }{
		{"pretty", pretty},
		{"minified", strings.ReplaceAll(pretty, "\n", "")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			f := source.NewFile("main.tf.json", []byte(tc.src))
			if rs, diags := ParseJSON(f); len(rs) != units || len(diags) > 0 {
				b.Fatalf("parsed %d resources with %v, want %d", len(rs), diags, units)
			}
			b.SetBytes(int64(len(f.Src)))
			b.ReportAllocs()
			for b.Loop() {
				ParseJSON(f)
			}
		})
	}
}

// BenchmarkLoadModulesJSON evaluates the resources of BenchmarkParseJSON as a module
// with the variable they read, declared in JSON too.
func BenchmarkLoadModulesJSON(b *testing.B) {
	const units = 200
	files := []*source.File{
		source.NewFile("app/main.tf.json", []byte(jsonBench(units))),
		source.NewFile("app/variables.tf.json", []byte(`{"variable": {"team": {"default": "platform"}}}`)),
	}
	if rs, diags := LoadModules(files, Options{}); len(rs) != units || len(diags) > 0 {
		b.Fatalf("loaded %d resources with %v, want %d", len(rs), diags, units)
	}
	b.SetBytes(int64(len(files[0].Src)))
	b.ReportAllocs()
	for b.Loop() {
		LoadModules(files, Options{})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/units, "ns/resource")
}

// BenchmarkLoadModules evaluates the same 200 resources as BenchmarkParse as a module
// with its variable: the difference between the two is what evaluation costs.
func BenchmarkLoadModules(b *testing.B) {
	var src strings.Builder
	const units = 40
	src.WriteString("variable \"team\" {\n  default = \"platform\"\n}\n\n")
	for i := range units {
		fmt.Fprintf(&src, benchUnit, i)
	}
	files := []*source.File{source.NewFile("modules/app/main.tf", []byte(src.String()))}
	if rs, diags := LoadModules(files, Options{}); len(rs) != 5*units || len(diags) > 0 {
		b.Fatalf("loaded %d resources with %v, want %d", len(rs), diags, 5*units)
	}
	b.SetBytes(int64(len(files[0].Src)))
	b.ReportAllocs()
	for b.Loop() {
		LoadModules(files, Options{})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(5*units), "ns/resource")
}
