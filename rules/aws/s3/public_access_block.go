package s3

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/rules"
)

// NoPublicAccessBlock is AWS-S3-026: Block Public Access missing or not fully on.
var NoPublicAccessBlock = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-S3-026",
		Name:  "s3-public-access-block-disabled",
		Title: "Bucket Block Public Access is missing or not fully enabled",
		Description: "Block Public Access is the guard rail that keeps a mistaken ACL or policy from making the bucket public: " +
			"`block_public_acls` and `block_public_policy` reject new public grants, `ignore_public_acls` and `restrict_public_buckets` neutralise existing ones. " +
			"The bucket is reported when it has no public access block, or when one of the four settings is not true. " +
			"An account-level `aws_s3_account_public_access_block` turning a setting on covers every bucket in the scan.",
		Remediation: "Turn all four settings on. " +
			"Terraform: add an `aws_s3_bucket_public_access_block` with `bucket` set to this bucket and " +
			"`block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all `true` " +
			"(or set them once in `aws_s3_account_public_access_block`). " +
			"CloudFormation: set `PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}` on the bucket. " +
			"A bucket that must be public (a website) is better served through CloudFront with origin access control.",
		Severity: rules.Medium,
		Tags:     tags("public-access", "CWE-284"),
		Aliases: []string{
			"S3-026", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6",
			"AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094",
		},
		Formats: rules.AllFormats,
		Fix:     rules.FixGuarded,
	},
	Check: checkPublicAccessBlock,
}

func checkPublicAccessBlock(ctx *rules.Context) {
	for _, b := range Buckets(ctx.Graph) {
		var off []Flag // neither on nor possibly on
		for _, f := range flags {
			if b.On(f) == nil && !b.Undecided(f) {
				off = append(off, f)
			}
		}
		switch {
		case len(off) == 0:
		case len(b.PublicAccessBlocks) > 0:
			for _, s := range b.PublicAccessBlocks {
				reportFlags(ctx, s, off)
			}
		case b.Resource == nil:
		case len(b.AccountPublicAccessBlocks) > 0:
			ctx.Report(b.Resource, nil, "bucket has no public access block, and the account-level block does not turn on "+flagList(b.AccountPublicAccessBlocks[0], off))
		default:
			ctx.Report(b.Resource, nil, "bucket has no public access block")
		}
	}
}

// reportFlags reports each flag of off that s sets to something other than true, and the
// flags s leaves unset (they default to false) in one finding at s.
func reportFlags(ctx *rules.Context, s Setting, off []Flag) {
	var unset []Flag
	for _, f := range off {
		a := f.In(s)
		if a == nil {
			unset = append(unset, f)
			continue
		}
		value, ok := a.Value.AsString()
		if !ok {
			value = a.Value.Type.String()
		}
		ctx.Report(s.Resource, a.Value, fmt.Sprintf("public access block sets %s to %s", a.Name, value))
	}
	if len(unset) > 0 {
		ctx.Report(s.Resource, s, "public access block does not set "+flagList(s, unset)+" (default false)")
	}
}

// flagList names flags as s's format spells them.
func flagList(s Setting, fs []Flag) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.NameIn(s)
	}
	return strings.Join(names, ", ")
}
