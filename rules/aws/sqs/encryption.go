package sqs

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Unencrypted is AWS-SQS-004: a queue that stores its messages unencrypted. Since October
// 2022 SQS encrypts new queues with SQS-owned keys (SSE-SQS) unless told not to, and the
// AWS provider follows the service default from v4.36.0 on (sqs_managed_sse_enabled became
// Computed: an absent argument is no longer sent as false). So only a queue that turns
// SSE-SQS off without naming a KMS key is unencrypted; one that leaves both out is not.
var Unencrypted = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-SQS-004",
	Name:  "sqs-queue-unencrypted",
	Title: "SQS queue stores its messages unencrypted",
	Description: "Messages of an unencrypted queue are stored in plain text until consumed or expired, readable by " +
		"anyone who reaches the storage or a copy of it. SQS encrypts queues with SQS-owned keys (SSE-SQS) by " +
		"default since October 2022, and the AWS provider follows that default from v4.36.0 on (an absent " +
		"sqs_managed_sse_enabled is no longer sent as false), which iacscan follows: a queue is reported when it " +
		"turns SSE-SQS off (sqs_managed_sse_enabled = false, SqsManagedSseEnabled: false) without a KMS key " +
		"(kms_master_key_id, KmsMasterKeyId). Queues created before October 2022 kept their setting, which a " +
		"template does not show.",
	Remediation: "Keep SSE-SQS on, or encrypt with a KMS key. Terraform: `sqs_managed_sse_enabled = true`, or `kms_master_key_id` set to a KMS key. " +
		"CloudFormation: `SqsManagedSseEnabled: true`, or `KmsMasterKeyId`.",
	Severity: rules.High,
	Tags:     []string{"security", "aws", "sqs", "encryption", "CWE-311"},
	Formats:  rules.AllFormats,
	Fix:      rules.FixAuto,
}, Check: checkEncryption}

// The queue's encryption settings: SSE-SQS, defaulting to on, and a KMS key for SSE-KMS.
var (
	sqsManaged = setting.Spec{Terraform: "sqs_managed_sse_enabled", CloudFormation: "SqsManagedSseEnabled"}
	kmsKey     = setting.Spec{Terraform: "kms_master_key_id", CloudFormation: "KmsMasterKeyId"}
	keySet     = setting.ReferencesResource(kmsKey.Terraform, kmsKey.CloudFormation)
)

func checkEncryption(ctx *rules.Context) {
	for _, q := range ctx.Graph.OfKind(graph.SQSQueue) {
		sse := setting.Lookup(q, sqsManaged.Path(q))
		if sse.Attr != nil && sse.Attr.Value.IsTrue() || sse.Attr == nil && sse.Unknown == nil {
			continue // SSE-SQS on, explicitly or by default
		}
		key := setting.Lookup(q, kmsKey.Path(q))
		switch {
		case key.Attr != nil && setting.NotEmpty(key.Attr.Value), keySet(q):
			continue // SSE-KMS
		case key.Unknown != nil:
			ctx.Unresolved(q, key.Unknown, kmsKey.Path(q)[0]+" is not known statically")
		case sse.Unknown != nil:
			ctx.Unresolved(q, sse.Unknown, sqsManaged.Path(q)[0]+" is not known statically")
		default:
			reportUnencrypted(ctx, q, sse.Attr)
		}
	}
}

func reportUnencrypted(ctx *rules.Context, q *graph.Resource, sse *graph.Attribute) {
	v := sse.Value
	keyName := kmsKey.Path(q)[0]
	msg := fmt.Sprintf("queue messages are not encrypted: %s is %s and %s is not set", sse.Name, setting.Render(v, q.Format), keyName)
	fixed := graph.BoolValue(true)
	ctx.Report(q, v, msg, rules.SetValue(q, sse.Name, v, fixed, setting.Render(fixed, q.Format)).Option(""))
}
