package hostile

import (
	"fmt"
	"strings"
)

// neighbour is the ordinary file every hostile case is scanned beside: its finding must
// still be reported, whatever the hostile file does to the scan.
const (
	neighbourPath = "neighbour.tf"
	neighbourSrc  = "resource \"aws_s3_bucket\" \"neighbour\" {\n  acl = \"public-read\"\n}\n"
	neighbourRule = "AWS-S3-001"
)

// A hostile case is a tree of files, generated at a size: bytes for the long-line shapes,
// a count for the bombs.
type hostileCase struct {
	name  string
	files func(size int) map[string]string
	// small and issue are the sizes the suite runs and the sizes the issue reported.
	small, issue int
}

// cases are the shapes of issue 20.
var cases = []hostileCase{
	{"cfn-json-line", func(n int) map[string]string { return one("template.json", cfnJSONLine(n, "")) }, 100_000, 250_000},
	{"cfn-json-line-utf8", func(n int) map[string]string { return one("template.json", cfnJSONLine(n, "é")) }, 100_000, 500_000},
	{"cfn-yaml-flow-line", func(n int) map[string]string { return one("template.yaml", cfnYAMLFlowLine(n)) }, 100_000, 1_000_000},
	{"tf-list-line", func(n int) map[string]string { return one("list.tf", tfListLine(n)) }, 100_000, 1_000_000},
	{"tf-json-line", func(n int) map[string]string { return one("main.tf.json", tfJSONLine(n)) }, 100_000, 1_000_000},
	{"setproduct", func(n int) map[string]string { return one("bomb.tf", setproduct(n)) }, 64, 1024},
	{"doubling-locals", func(n int) map[string]string { return one("bomb.tf", doubling(n)) }, 40, 40},
	{"nested-count", nestedCount, 100, 10_000},
	{"sls-fanout", func(n int) map[string]string { return one("serverless.yml", slsFanout(n)) }, 2, 10},
	{"foreach-nested", func(n int) map[string]string { return one("template.yaml", forEachNested(n)) }, 100, 1000},
	{"cfn-sub-doubling", func(n int) map[string]string { return one("template.json", subDoubling(n)) }, 40, 40},
	{"big-tf", func(n int) map[string]string { return one("big.tf", bigTF(n)) }, 1_000_000, 100_000_000},
	{"big-cfn-json", func(n int) map[string]string { return one("big.json", bigCFNJSON(n)) }, 1_000_000, 100_000_000},
	{"many-files", manyFiles, 500, 50_000},
	// The sizes the issue's closing note left open: 10 MB single lines and a 10 MB file of
	// buckets, each with findings whose fixes the JSON and SARIF reports carry.
	{"cfn-yaml-flow-10mb", func(n int) map[string]string { return one("template.yaml", cfnYAMLFlowLine(n)) }, 100_000, 10_000_000},
	{"cfn-json-line-10mb", func(n int) map[string]string { return one("template.json", cfnJSONLine(n, "")) }, 100_000, 10_000_000},
	{"tf-buckets-10mb", func(n int) map[string]string { return one("buckets.tf", bigTF(n)) }, 20_000, 10_000_000},
}

func one(name, src string) map[string]string { return map[string]string{name: src} }

// cfnJSONLine is a CloudFormation JSON template of about n bytes on one line: topics, and
// every tenth resource a bucket with findings. prefix goes into the first description, so
// that the line is not ASCII when it is.
func cfnJSONLine(n int, prefix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"AWSTemplateFormatVersion":"2010-09-09","Description":"%sminified","Resources":{`, prefix)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, `"B%d":{"Type":"AWS::S3::Bucket","Properties":{"AccessControl":"PublicRead"}}`, i)
		} else {
			fmt.Fprintf(&b, `"T%d":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"t%d"}}`, i, i)
		}
	}
	b.WriteString("}}")
	return b.String()
}

// cfnYAMLFlowLine is a YAML template whose resources are one flow mapping of about n bytes.
func cfnYAMLFlowLine(n int) string {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {")
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, "B%d: {Type: AWS::S3::Bucket, Properties: {AccessControl: PublicRead}}", i)
		} else {
			fmt.Fprintf(&b, "T%d: {Type: AWS::SNS::Topic, Properties: {TopicName: t%d}}", i, i)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// tfListLine is a security group whose CIDR list, about n bytes, is on one line.
func tfListLine(n int) string {
	var b strings.Builder
	b.WriteString("resource \"aws_security_group\" \"wide\" {\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = \"tcp\"\n    cidr_blocks = [")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "\"10.%d.%d.0/24\", ", i/256%256, i%256)
	}
	b.WriteString("\"0.0.0.0/0\"]\n  }\n}\n")
	return b.String()
}

// tfJSONLine is a Terraform JSON file of about n bytes on one line: topics whose names are
// templates, and every tenth resource a bucket.
func tfJSONLine(n int) string {
	var b strings.Builder
	b.WriteString(`{"variable":{"env":{"default":"prod"}},"resource":{"aws_sns_topic":{`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"t%d":{"name":"t%d-${var.env}"}`, i, i)
	}
	b.WriteString(`},"aws_s3_bucket":{`)
	for i := 0; i < n/500; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"b%d":{"bucket":"b%d-${var.env}","acl":"private"}`, i, i)
	}
	b.WriteString("}}}")
	return b.String()
}

// setproduct is the product of three ranges of n numbers, used by a resource.
func setproduct(n int) string {
	return fmt.Sprintf("locals {\n  bomb = setproduct(range(%d), range(%d), range(%d))\n}\n\nresource \"aws_s3_bucket\" \"bomb\" {\n  bucket = \"b-${length(local.bomb)}\"\n}\n", n, n, n)
}

// doubling is n locals, each the previous one twice, the last used by a resource.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  s0 = \"ab\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "}\n\nresource \"aws_s3_bucket\" \"bomb\" {\n  bucket = local.s%d\n}\n", n)
	return b.String()
}

// nestedCount calls a module n times that calls another module n times that declares a
// bucket.
func nestedCount(n int) map[string]string {
	return map[string]string{
		"main.tf":         fmt.Sprintf("module \"outer\" {\n  source = \"./outer\"\n  count  = %d\n}\n", n),
		"outer/main.tf":   fmt.Sprintf("module \"inner\" {\n  source = \"../inner\"\n  count  = %d\n}\n", n),
		"inner/main.tf":   "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
		"outer/.keep.txt": "",
	}
}

// slsFanout is a serverless.yml whose custom variables are lists holding the previous one
// n times, 25 levels deep: each level multiplies the value the next one copies.
func slsFanout(n int) string {
	var b strings.Builder
	b.WriteString("service: fanout\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  tags:\n    BOMB: ${self:custom.v25}\ncustom:\n  v0: abcd\n")
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&b, "  v%d:\n", i)
		for range n {
			fmt.Fprintf(&b, "    - ${self:custom.v%d}\n", i-1)
		}
	}
	return b.String()
}

// forEachNested is a template with two Fn::ForEach loops over n items, one inside the
// other.
func forEachNested(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("i%d", i)
	}
	list := "[" + strings.Join(items, ", ") + "]"
	return "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::LanguageExtensions\nResources:\n" +
		"  Fn::ForEach::Outer:\n    - X\n    - " + list + "\n" +
		"    - Fn::ForEach::Inner:\n        - Y\n        - " + list + "\n" +
		"        - Topic${X}${Y}:\n            Type: AWS::SNS::Topic\n            Properties:\n              TopicName: !Sub t-${X}-${Y}\n"
}

// bigTF is an ordinary Terraform file of about n bytes: buckets, one per block.
func bigTF(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"bucket-%d\"\n  tags = {\n    Name = \"b%d\"\n  }\n}\n\n", i, i, i)
	}
	return b.String()
}

// bigCFNJSON is an ordinary, indented CloudFormation JSON template of about n bytes.
func bigCFNJSON(n int) string {
	var b strings.Builder
	b.WriteString("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n")
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"Topic%d\": {\n      \"Type\": \"AWS::SNS::Topic\",\n      \"Properties\": {\n        \"TopicName\": \"t%d\"\n      }\n    }", i, i)
	}
	b.WriteString("\n  }\n}\n")
	return b.String()
}

// manyFiles is n small Terraform files in directories of a hundred.
func manyFiles(n int) map[string]string {
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("d%d/f%d.tf", i/100, i)] = fmt.Sprintf("resource \"aws_sns_topic\" \"t%d\" {\n  name = \"t%d\"\n}\n", i, i)
	}
	return files
}

// subDoubling is a template whose bucket name is n Fn::Sub nested, each using the one
// inside twice: a few hundred bytes that double at every level.
func subDoubling(n int) string {
	v := `"ab"`
	for range n {
		v = `{"Fn::Sub": ["${X}${X}", {"X": ` + v + `}]}`
	}
	return `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": ` + v + `}}}}`
}
