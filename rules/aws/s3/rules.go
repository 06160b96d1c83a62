// Package s3 holds the S3 bucket rules: public ACL grants, public bucket policies, Block
// Public Access, default encryption, versioning and access logging. Every rule reads the
// Bucket view, which joins a bucket with its settings whether they are declared inline
// (older Terraform style, CloudFormation properties) or in split resources (AWS provider
// v4+, AWS::S3::BucketPolicy), so each check is written once for every format.
package s3

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Rules is the family, in ID order.
var Rules = []*rules.Rule{
	PublicRead, PublicReadACP, PublicWrite, PublicWriteACP, PublicFullControl,
	AuthenticatedRead, AuthenticatedReadACP, AuthenticatedWrite, AuthenticatedWriteACP, AuthenticatedFullControl,
	NoAccessLogging, NoVersioning, PublicPolicy, NoDefaultEncryption, NoPublicAccessBlock,
}

// tags returns the family's tags followed by extra ones (topic, CWE).
func tags(extra ...string) []string {
	return append([]string{"security", "aws", "s3"}, extra...)
}

// ineffective is how a public grant that S3 ignores is reported: at low severity, saying
// why, with the setting that neutralises it as a related location.
func ineffective(at rules.Locatable, why, related string) (suffix string, opts []rules.ReportOption) {
	return "; ineffective: " + why, []rules.ReportOption{rules.WithSeverity(rules.Low), rules.WithRelated(at, related)}
}

type bucketsKey struct{}

// bucketsOf returns the bucket view of the scan, built once and shared by the S3 rules.
// The buckets whose properties are not statically known (`Properties: !If [...]`) are not
// in it: each is recorded as unresolved for the calling rule.
func bucketsOf(ctx *rules.Context) []*Bucket {
	for _, r := range ctx.Graph.OfKind(graph.S3Bucket) {
		if !r.Body.Known() {
			ctx.Unresolved(r, r.Body, "bucket properties are not known statically")
		}
	}
	return Shared(ctx)
}
