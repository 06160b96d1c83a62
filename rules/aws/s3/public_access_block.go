package s3

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
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
		Formats:  rules.AllFormats,
		Fix:      rules.FixGuarded,
	},
	Check: checkPublicAccessBlock,
}

// blockPublicAccess adds a public access block with all four settings on.
var blockPublicAccess = missingSetting{
	splitWhat: "all four settings true",
	cfnWhat:   "all four settings true",
	split:     graph.S3BucketPublicAccessBlock,
	cfn:       "PublicAccessBlockConfiguration",
	splitBody: sync.OnceValue(func() []*graph.Attribute {
		return allFlags(func(f Flag) string { return flagNames[f].tf })
	}),
	cfnBody: sync.OnceValue(func() *graph.Value {
		return graph.MapValue(false, allFlags(func(f Flag) string { return flagNames[f].cfn })...)
	}),
}

// allFlags returns the four flags set to true, named by name.
func allFlags(name func(Flag) string) []*graph.Attribute {
	out := make([]*graph.Attribute, len(flags))
	for i, f := range flags {
		out[i] = graph.Attr(name(f), graph.BoolValue(true))
	}
	return out
}

func checkPublicAccessBlock(ctx *rules.Context) {
	for _, b := range bucketsOf(ctx) {
		var off []Flag // neither on nor possibly on
		for _, f := range flags {
			if b.On(f) != nil {
				continue
			}
			undecided := b.undecided(f)
			if len(undecided) == 0 {
				off = append(off, f)
			} else if b.Resource != nil || len(b.PublicAccessBlocks) > 0 { // else nothing is reported
				for _, u := range undecided {
					u.record(ctx)
				}
			}
		}
		switch {
		case len(off) == 0:
		case len(b.PublicAccessBlocks) > 0:
			guard := meantPublic(b)
			for _, s := range b.PublicAccessBlocks {
				reportFlags(ctx, s, off, guard)
			}
		case b.declared():
			reportMissingBlock(ctx, b, off)
		}
	}
}

// reportMissingBlock reports declared bucket b, which has no public access block of its
// own and so leaves off on, unless a public access block declared for a bucket not known
// statically may be its own.
func reportMissingBlock(ctx *rules.Context, b *Bucket, off []Flag) {
	if recorded(ctx, b.strayUnknown("public access block", publicAccessBlockSetting)) {
		return
	}
	msg := "bucket has no public access block"
	if len(b.AccountPublicAccessBlocks) > 0 {
		msg += ", and the account-level block does not turn on " + flagList(b.AccountPublicAccessBlocks[0], off)
	}
	ctx.Report(b.Resource, nil, msg, blockPublicAccess.add(ctx, b.Resource).Option(meantPublic(b)))
}

// meantPublic is the guard of the fix (RULES.md 3.1): a bucket with a website configuration
// or a policy statement open to anyone may be public on purpose, and blocking public access
// would take it offline; so may a bucket to which such a setting, declared for a bucket not
// known statically, may belong. It says why, or returns "".
func meantPublic(b *Bucket) string {
	if len(b.Website) > 0 {
		return "the bucket has a website configuration and may be public on purpose"
	}
	if len(publicPolicies(b)) > 0 {
		return "the bucket policy allows any principal, so the bucket may be public on purpose"
	}
	if why := b.stray(websiteSetting); why != "" {
		return "the bucket may have a website configuration (" + why + ") and may be public on purpose"
	}
	if why := b.stray(publicPolicySetting); why != "" {
		return "the bucket may have a policy allowing any principal (" + why + ") and may be public on purpose"
	}
	return ""
}

// publicPolicies returns the policies of b with a statement open to anyone.
func publicPolicies(b *Bucket) []Setting {
	var out []Setting
	for _, p := range b.Policies {
		if slices.ContainsFunc(p.Statements, (*Statement).Public) {
			out = append(out, p.Setting)
		}
	}
	return out
}

// reportFlags reports each flag of off that s sets to something other than true, and the
// flags s leaves unset (they default to false) in one finding at s.
func reportFlags(ctx *rules.Context, s Setting, off []Flag, guard string) {
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
		fix := setValue(s.Resource, a.Name, a.Value, graph.BoolValue(true), "true")
		ctx.Report(s.Resource, a.Value, fmt.Sprintf("public access block sets %s to %s", a.Name, value), fix.Option(guard))
	}
	if len(unset) > 0 {
		ctx.Report(s.Resource, s, "public access block does not set "+flagList(s, unset)+" (default false)", addFlags(s, unset).Option(guard))
	}
}

// addFlags sets the flags a public access block leaves unset.
func addFlags(s Setting, fs []Flag) offer {
	o := offer{Description: "add " + flagList(s, fs) + ", each set to true"}
	for _, f := range fs {
		o.Changes = append(o.Changes, fixers.Change{Op: fixers.AddAttribute, Resource: s.Resource, Parent: s.Value(), Name: f.NameIn(s), New: graph.BoolValue(true)})
	}
	return o
}

// flagList names flags as s's format spells them.
func flagList(s Setting, fs []Flag) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.NameIn(s)
	}
	return strings.Join(names, ", ")
}
