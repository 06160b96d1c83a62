package yamlpatch_test

import (
	"testing"

	"github.com/iacscan/iacscan/fixers/internal/patchtest"
)

// examples are the rules' example archives: Terraform, CloudFormation and serverless
// files in the layouts fixes meet.
const examples = "../../rules/aws/*/testdata/*.txtar"

// TestEveryChangeToTheExamples makes every kind of change to the example files (see
// patchtest.EveryChangeToTemplates).
func TestEveryChangeToTheExamples(t *testing.T) {
	patchtest.EveryChangeToTemplates(t, examples, ".yaml", ".yml")
}

// FuzzPatch makes one random change to a random element of a valid CloudFormation
// template or serverless.yml: the patcher must never panic, and the patched file must
// parse.
func FuzzPatch(f *testing.F) {
	seeds := []string{
		"Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName}\" # name\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          CidrIp: 0.0.0.0/0\n        - {IpProtocol: tcp, CidrIp: '10.0.0.0/8'}\n      Tags: [{Key: a, Value: b}]\n",
		"AWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  B: {Type: AWS::S3::Bucket, Properties: {AccessControl: PublicRead}}\r\n  C:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      Policy: |\r\n        text\r\n      Empty:",
		"service: api\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h.main\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n      Properties:\n        Tags:\n        - Key: a\n          Value: b\n",
	}
	for i, s := range seeds {
		for op := range uint(6) {
			f.Add([]byte(s), uint(5), op, i == 2)
		}
	}
	for _, e := range patchtest.Examples(f, examples, ".yaml", ".yml") {
		f.Add(e.Src, uint(7), uint(0), e.Name == "serverless.yml")
	}
	f.Fuzz(func(t *testing.T, src []byte, pick, op uint, serverless bool) {
		name := "template.yaml"
		if serverless {
			name = "serverless.yml"
		}
		patchtest.Check(t, name, src, pick, op)
	})
}
