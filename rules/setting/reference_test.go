package setting_test

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules/ruletest"
	"github.com/iacscan/iacscan/rules/setting"
)

func TestReferencesResource(t *testing.T) {
	g := ruletest.Load(t, txtar.Parse([]byte(`-- main.tf --
variable "key" {
  type = string
}

resource "aws_kms_key" "k" {}

data "aws_kms_key" "existing" {
  key_id = "alias/existing"
}

resource "aws_sqs_queue" "resource" {
  kms_master_key_id = aws_kms_key.k.arn
}

resource "aws_sqs_queue" "interpolated" {
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/${aws_kms_key.k.key_id}"
}

resource "aws_sqs_queue" "data" {
  kms_master_key_id = data.aws_kms_key.existing.arn
}

resource "aws_sqs_queue" "variable" {
  kms_master_key_id = var.key
}

resource "aws_sqs_queue" "literal" {
  kms_master_key_id = "alias/aws/sqs"
}

resource "aws_sqs_queue" "absent" {}
-- template.yaml --
Parameters:
  KeyArn:
    Type: String
Resources:
  Key:
    Type: AWS::KMS::Key
  Resource:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !GetAtt Key.Arn
  Parameter:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref KeyArn
`)))
	set := setting.ReferencesResource("kms_master_key_id", "KmsMasterKeyId")
	want := map[string]bool{
		// a resource of the scan, whole or inside a string, or a data source: set
		"aws_sqs_queue.resource": true, "aws_sqs_queue.interpolated": true, "aws_sqs_queue.data": true,
		// a variable may be empty; a literal is known, so the spec's matcher decides
		"aws_sqs_queue.variable": false, "aws_sqs_queue.literal": false, "aws_sqs_queue.absent": false,
		"Resource": true, "Parameter": false,
	}
	queues := g.OfKind(graph.SQSQueue)
	if len(queues) != len(want) {
		t.Fatalf("%d queues, want %d", len(queues), len(want))
	}
	for _, r := range queues {
		if got := set(r); got != want[r.ID.Address] {
			t.Errorf("%s: ReferencesResource = %v, want %v", r.ID, got, want[r.ID.Address])
		}
	}
}
