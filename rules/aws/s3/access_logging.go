package s3

import (
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// NoAccessLogging is AWS-S3-011: a bucket without server access logging.
var NoAccessLogging = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-S3-011",
		Name:  "s3-access-logging-disabled",
		Title: "Bucket server access logging is not enabled",
		Description: "Without server access logging there is no record of who read, wrote or deleted objects in the bucket, " +
			"which leaves incident response and access audits blind. " +
			"Buckets that receive other buckets' access logs (named as a logging target, or with the `log-delivery-write` canned ACL) are not reported: logging them would log the logs.",
		Remediation: "Send the bucket's access logs to a dedicated log bucket. " +
			"Terraform: add an `aws_s3_bucket_logging` resource with `bucket` set to this bucket and `target_bucket` set to the log bucket " +
			"(or the older inline `logging { target_bucket = ... }` block of `aws_s3_bucket`). " +
			"CloudFormation: add `LoggingConfiguration: {DestinationBucketName: !Ref LogBucket, LogFilePrefix: ...}` to the bucket's properties. " +
			"The log bucket must allow the S3 logging service to write to it.",
		Severity: rules.Low,
		Tags:     tags("logging", "CWE-778"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkAccessLogging,
}

func checkAccessLogging(ctx *rules.Context) {
	for _, b := range bucketsOf(ctx) {
		if !b.declared() || len(b.LoggedBy) > 0 || receivesLogs(b) {
			continue
		}
		if len(b.Logging) > 0 {
			recorded(ctx, loggingUnknown(b))
			continue
		}
		if !recorded(ctx, slices.Concat(mayReceiveLogs(b), b.strayUnknown("access logging", loggingSetting))) {
			ctx.Report(b.Resource, nil, "bucket has no server access logging", rules.Suggestion(loggingAdvice(b.Resource)))
		}
	}
}

// loggingUnknown returns the bucket's logging declarations when none is statically known
// (`dynamic "logging"` blocks, an `!If` on an unknown condition): each may declare nothing.
func loggingUnknown(b *Bucket) []unknown {
	var out []unknown
	for _, s := range b.Logging {
		u := unknownAt(s.Resource, s.Value(), "logging is not known statically")
		if u == nil {
			return nil
		}
		out = append(out, *u)
	}
	return out
}

// loggingAdvice is the fix of a bucket without logging, a suggestion only: it needs a log
// bucket, which only the author can choose (RULES.md 3.1).
func loggingAdvice(r *graph.Resource) string {
	if r.Format.IsTerraform() {
		return "add an aws_s3_bucket_logging resource with bucket = " + r.ID.Address + ".id and target_bucket set to your log bucket"
	}
	return "add LoggingConfiguration with DestinationBucketName set to your log bucket"
}

// receivesLogs reports whether a canned ACL lets the log delivery group write to the
// bucket, the older way of making a bucket a log target.
func receivesLogs(b *Bucket) bool {
	return slices.ContainsFunc(b.CannedACLs, func(s Setting) bool { return logDelivery(s.Value()) })
}

// logDelivery reports whether a canned ACL is log-delivery-write.
func logDelivery(acl *graph.Value) bool {
	name, _ := acl.AsString()
	return name == "log-delivery-write" || name == "LogDeliveryWrite"
}

// mayReceiveLogs returns what, not statically known, may make b a log target, which the
// rule exempts: each canned ACL of b that is not known, as it may be log-delivery-write; a
// canned ACL declared for a bucket that may be b and is or may be log-delivery-write; a
// logging configuration whose target may be b.
func mayReceiveLogs(b *Bucket) []unknown {
	var out []unknown
	for _, s := range b.CannedACLs {
		out = append(out, unknownIn(s.Resource, s.Value(), "acl is not known statically and may be log-delivery-write")...)
	}
	out = append(out, b.strayUnknown("a log-delivery-write acl", logDeliveryACLSetting)...)
	return append(out, b.strayTargetUnknown()...)
}

// logDeliveryACLs returns the canned ACLs of b that are or may be log-delivery-write.
func logDeliveryACLs(b *Bucket) []Setting {
	var out []Setting
	for _, s := range b.CannedACLs {
		if v := s.Value(); !v.Known() || logDelivery(v) {
			out = append(out, s)
		}
	}
	return out
}
