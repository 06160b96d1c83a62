package jsonpatch_test

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/fixers/internal/patchtest"
)

// examples are the rules' example archives: Terraform, CloudFormation and serverless
// files in the layouts fixes meet.
const examples = "../../rules/aws/*/testdata/*.txtar"

// TestEveryChangeToTheExamples makes every kind of change to the example files (see
// patchtest.EveryChangeToTemplates).
func TestEveryChangeToTheExamples(t *testing.T) {
	patchtest.EveryChangeToTemplates(t, examples, ".json")
}

// FuzzPatch makes one random change to a random element of a valid CloudFormation JSON
// template or Terraform JSON file: the patcher must never panic, and the patched file
// must parse.
func FuzzPatch(f *testing.F) {
	seeds := []string{
		"{\n    \"Resources\": {\n        \"G\": {\n            \"Type\": \"AWS::EC2::SecurityGroup\",\n            \"Properties\": {\n                \"SecurityGroupIngress\": [\n                    {\"CidrIp\": \"0.0.0.0/0\"},\n                    {\"CidrIp\": \"10.0.0.0/8\"}\n                ],\n                \"Tags\": []\n            }\n        }\n    }\n}",
		"{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{\"AccessControl\":\"PublicRead\",\"X\":{}}},\"C\":{\"Type\":\"AWS::S3::Bucket\"}}}",
		"{\r\n  \"resource\": {\r\n    \"aws_s3_bucket\": {\r\n      \"b\": {\r\n        \"bucket\": \"${var.x}\",\r\n        \"tags\": {\"a\": \"b\"}\r\n      }\r\n    }\r\n  }\r\n}\r\n",
	}
	for i, s := range seeds {
		for op := range uint(6) {
			f.Add([]byte(s), uint(2), op, i == 2)
		}
	}
	for _, e := range patchtest.Examples(f, examples, ".json") {
		f.Add(e.Src, uint(7), uint(0), strings.HasSuffix(e.Name, ".tf.json"))
	}
	f.Fuzz(func(t *testing.T, src []byte, pick, op uint, terraform bool) {
		name := "template.json"
		if terraform {
			name = "main.tf.json"
		}
		patchtest.Check(t, name, src, pick, op)
	})
}
