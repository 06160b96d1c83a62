package cloudtrail

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/s3"
)

// TrailBucketPublic is AWS-CT-003: the bucket a trail writes to is public.
var TrailBucketPublic = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-CT-003",
		Name:  "cloudtrail-bucket-public",
		Title: "CloudTrail log bucket is publicly accessible",
		Description: "A trail's `s3_bucket_name` / `S3BucketName` names a bucket of the scan, by reference or by its literal name, and that bucket is public: " +
			"a public ACL grant or a bucket policy statement allowing any principal that no Block Public Access setting or `BucketOwnerEnforced` ownership neutralises " +
			"(the evaluation of the AWS-S3 rules, RULES.md 2.3). " +
			"CloudTrail logs record every API call of the account, with resource names, IP addresses and identities: a public log bucket hands attackers a map of the account, " +
			"and a writable one lets them erase their tracks. " +
			"The finding is at the public grant or statement, with the trail as a related location. " +
			"A bucket named by a value not statically known is unresolved; a bucket the scan does not declare is not judged.",
		Remediation: "Make the trail's bucket private and turn on all four Block Public Access settings. " +
			"Terraform: `acl = \"private\"` (or remove the public grant), remove the `*` principal from the bucket policy, and add an `aws_s3_bucket_public_access_block` with every flag true. " +
			"CloudFormation: `AccessControl: Private`, no `*` principal in the `AWS::S3::BucketPolicy`, and `PublicAccessBlockConfiguration` with every flag true. " +
			"The AWS-S3 findings at the same place carry the rewrites `--fix` writes.",
		Severity: rules.Critical,
		Tags:     []string{"security", "aws", "cloudtrail", "s3", "logging", "CWE-732"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkTrailBucket,
}

// trailBucket is a public bucket with the trails writing to it, in graph order.
type trailBucket struct {
	bucket *s3.Bucket
	trails []*graph.Attribute
}

func checkTrailBucket(ctx *rules.Context) {
	buckets := s3.Shared(ctx)
	var order []*trailBucket
	seen := map[*s3.Bucket]*trailBucket{}
	for _, trail := range ctx.Graph.OfKind(graph.CloudTrail) {
		name := trail.Get("s3_bucket_name", "S3BucketName")
		if name == nil {
			continue
		}
		b := s3.Named(buckets, trail.Scope, name.Value)
		if b == nil {
			if !name.Value.Known() && !namesOther(name.Value) {
				ctx.Unresolved(trail, name.Value, "trail bucket name is not known statically")
			}
			continue
		}
		tb := seen[b]
		if tb == nil {
			tb = &trailBucket{bucket: b}
			seen[b] = tb
			order = append(order, tb)
		}
		tb.trails = append(tb.trails, name)
	}
	for _, tb := range order {
		for _, e := range tb.bucket.Public() {
			var opts []rules.ReportOption
			for _, t := range tb.trails {
				opts = append(opts, rules.WithRelated(t, "a CloudTrail trail writes its logs to this bucket"))
			}
			opts = append(opts, rules.WithFix(rules.FixSuggest, "make the trail's bucket private: remove the public grant or principal and turn on Block Public Access"))
			ctx.Report(e.Resource, e.At, "CloudTrail log bucket is public: "+e.What, opts...)
		}
	}
}

// namesOther reports whether an unknown bucket name only reads resources of the scan that
// are not buckets the view knows (a computed name): it names no bucket to judge.
func namesOther(v *graph.Value) bool {
	if len(v.Refs) == 0 {
		return false
	}
	for _, ref := range v.Refs {
		if ref.Target == nil {
			return false
		}
	}
	return true
}
