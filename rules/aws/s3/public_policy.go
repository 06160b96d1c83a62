package s3

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// PublicPolicy is AWS-S3-014: a bucket policy statement allows any principal.
var PublicPolicy = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-S3-014",
		Name:  "s3-policy-any-principal",
		Title: "Bucket policy allows any principal",
		Description: "A bucket policy statement with `Effect: Allow` and `Principal: \"*\"` (or `{\"AWS\": \"*\"}`, or a `*` among the AWS principals) " +
			"lets anyone, in any account or anonymous, perform its actions on the bucket, unless a condition pins the caller " +
			"(aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:PrincipalAccount, aws:PrincipalArn, ...). " +
			"Deny statements with `*`, such as TLS-only or encryption-enforcing denies, protect the bucket and are never reported. " +
			"The finding is lowered to low (ineffective) when `restrict_public_buckets` limits the bucket to its own account and AWS services.",
		Remediation: "Name the principals that need access instead of `*`, or pin the caller with a condition such as `aws:PrincipalOrgID` or `aws:SourceVpce`. " +
			"Terraform: in the `aws_s3_bucket_policy` JSON (or the older inline `policy`) replace `\"Principal\": \"*\"` with the account root, " +
			"`arn:aws:iam::${data.aws_caller_identity.current.account_id}:root`; in an `aws_iam_policy_document`, use `principals { type = \"AWS\" identifiers = [...] }` " +
			"with the account or role ARNs, or add a `condition` block. " +
			"CloudFormation: in the `AWS::S3::BucketPolicy` `PolicyDocument`, set `Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}` or add a `Condition`. " +
			"Public websites are better served through CloudFront with origin access control than through a public policy.",
		Severity: rules.Critical,
		Tags:     tags("policy", "CWE-732"),
		Aliases:  []string{"S3-014", "CKV_AWS_70"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixGuarded,
	},
	Check: checkPublicPolicy,
}

// publicStatement is a public statement with what the buckets it applies to say about it:
// a document shared by several buckets is reported once, as ineffective only when every
// bucket restricts public policies.
type publicStatement struct {
	st         *Statement
	restricted *graph.Attribute   // the setting restricting every bucket so far, or nil
	attached   []*graph.Attribute // where a data source document is attached to a bucket
}

func checkPublicPolicy(ctx *rules.Context) {
	var order []*publicStatement
	seen := map[*Statement]*publicStatement{}
	for _, b := range Buckets(ctx.Graph) {
		restricted := b.On(RestrictPublicBuckets)
		for _, p := range b.Policies {
			for _, st := range p.Statements {
				if !st.Public() {
					continue
				}
				ps := seen[st]
				if ps == nil {
					ps = &publicStatement{st: st, restricted: restricted}
					seen[st] = ps
					order = append(order, ps)
				} else if restricted == nil {
					ps.restricted = nil
				}
				if p.Document != nil {
					ps.attached = append(ps.attached, p.Attr)
				}
			}
		}
	}
	for _, ps := range order {
		reportStatement(ctx, ps)
	}
}

func reportStatement(ctx *rules.Context, ps *publicStatement) {
	var (
		suffix string
		opts   []rules.ReportOption
	)
	if ps.restricted != nil {
		suffix, opts = ineffective(ps.restricted, ps.restricted.Name+" is true", "S3 restricts public policies because of this setting")
	}
	for _, at := range ps.attached {
		opts = append(opts, rules.WithRelated(at, "the policy document is attached to the bucket here"))
	}
	ctx.Report(ps.st.Resource, ps.st.Principal, statementMessage(ps.st)+suffix, opts...)
}

func statementMessage(st *Statement) string {
	name := fmt.Sprint(st.Index)
	if st.Sid != "" {
		name = fmt.Sprintf("%q", st.Sid)
	}
	msg := "bucket policy statement " + name + " allows any principal (*)"
	if len(st.Actions) > 0 {
		msg += " to " + strings.Join(st.Actions, ", ")
	}
	return msg
}
