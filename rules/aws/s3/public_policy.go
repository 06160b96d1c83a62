package s3

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/fixers"
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
			"`--fix` grants a statement without a condition to the account root instead, unless a bucket of the policy has a website configuration or is declared elsewhere. " +
			"Terraform: in a `jsonencode` policy, `Principal = \"*\"` becomes `{ AWS = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\" }` " +
			"and a `*` AWS principal that ARN; in an `aws_iam_policy_document`, `principals { type = \"*\" identifiers = [\"*\"] }` becomes `type = \"AWS\"` with that ARN; " +
			"a module without an `aws_caller_identity` data source gets `data \"aws_caller_identity\" \"current\" {}`. " +
			"A policy written as a JSON string (a heredoc) needs the same change by hand. " +
			"CloudFormation: in the `AWS::S3::BucketPolicy` `PolicyDocument`, set `Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}` or add a `Condition`. " +
			"Public websites are better served through CloudFront with origin access control than through a public policy.",
		Severity: rules.Critical,
		Tags:     tags("policy", "CWE-732"),
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
	// inString is set when the statement is part of a JSON string: it has no positions of
	// its own to edit.
	inString bool
	// mayBePublic says why a bucket of the statement may be public on purpose, or "".
	mayBePublic string
}

func checkPublicPolicy(ctx *rules.Context) {
	var order []*publicStatement
	seen := map[*Statement]*publicStatement{}
	for _, b := range bucketsOf(ctx) {
		restricted := b.On(RestrictPublicBuckets)
		for _, p := range b.Policies {
			p.record(ctx)
			for _, st := range p.Statements {
				if !st.Public() {
					continue
				}
				ps := seen[st]
				if ps == nil {
					ps = &publicStatement{st: st, restricted: restricted, inString: p.inString}
					seen[st] = ps
					order = append(order, ps)
				} else if restricted == nil {
					ps.restricted = nil
				}
				if why := websiteOrUnknown(b); why != "" {
					ps.mayBePublic = why
				}
				if p.Document != nil {
					ps.attached = append(ps.attached, p.Attr)
				}
			}
		}
	}
	hosts := map[string]*graph.Resource{}
	for _, ps := range order {
		reportStatement(ctx, ps, hosts)
	}
}

// reportStatement reports a public statement with its fix. hosts is where the fixes of
// each Terraform module declare the aws_caller_identity data source they read.
func reportStatement(ctx *rules.Context, ps *publicStatement, hosts map[string]*graph.Resource) {
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
	ctx.Report(ps.st.Resource, ps.st.Principal, statementMessage(ps.st)+suffix, append(opts, principalFix(ctx.Graph, ps, hosts))...)
}

// principalFix grants the statement to the account root instead of anyone, Conformity's
// rewrite (RULES.md 3.1): identities of the account keep the access their IAM policies
// give them. It is written only when no condition is involved (it may be what makes the
// statement safe) and no bucket may be public on purpose.
func principalFix(g *graph.Graph, ps *publicStatement, hosts map[string]*graph.Resource) rules.ReportOption {
	if ps.st.NotPrincipal {
		// setting the NotPrincipal to the account root would allow everyone else
		return rules.Suggestion("replace NotPrincipal with a Principal naming who needs access, or pin the caller with a condition")
	}
	if ps.st.Resource.Format.IsTerraform() {
		return terraformFix(g, ps, hosts)
	}
	return cloudFormationFix(ps)
}

// websiteOrUnknown says why the fix of a public statement of b's policy is only a
// suggestion (RULES.md 3.1): a website may be public on purpose, and a bucket declared
// elsewhere may be a website. It returns "" when neither holds.
func websiteOrUnknown(b *Bucket) string {
	switch {
	case len(b.Website) > 0:
		return "the bucket has a website configuration and may be public on purpose"
	case b.Resource == nil:
		return "the bucket is declared elsewhere and may be a website"
	}
	return ""
}

// guard says why the statement's fix is only a suggestion (RULES.md 3.1), or "": a
// condition may be what makes the statement safe, and a bucket may be public on purpose.
func (ps *publicStatement) guard() string {
	if ps.st.Conditional {
		return "the statement has a condition, which may be what keeps it safe"
	}
	return ps.mayBePublic
}

// accountRoot is the CloudFormation ARN of the template's account root.
const accountRoot = "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"

// cloudFormationFix is principalFix in CloudFormation and serverless.yml, with the ARN
// Fn::Sub builds from the partition and account pseudo parameters.
func cloudFormationFix(ps *publicStatement) rules.ReportOption {
	st := ps.st
	star, _ := st.Principal.(*graph.Value)
	root := graph.MapValue(false, graph.Attr("Fn::Sub", graph.StringValue(accountRoot)))
	description := "set the principal to the account root, {\"Fn::Sub\": \"" + accountRoot + "\"}"
	if st.Bare {
		root = graph.MapValue(false, graph.Attr("AWS", root))
		description = "set Principal to the account root, {\"AWS\": {\"Fn::Sub\": \"" + accountRoot + "\"}}"
	}
	if ps.inString {
		return rules.Suggestion(description + " in the policy's JSON")
	}
	return offer{
		Description: description,
		Changes:     []fixers.Change{{Op: fixers.SetValue, Resource: st.Resource, Target: star, New: root}},
	}.Option(ps.guard())
}

func statementMessage(st *Statement) string {
	name := fmt.Sprint(st.Index)
	if st.Sid != "" {
		name = fmt.Sprintf("%q", st.Sid)
	}
	msg := "bucket policy statement " + name + " allows any principal (*)"
	if st.NotPrincipal {
		msg = "bucket policy statement " + name + " allows every principal but those its NotPrincipal names"
	}
	if actions := st.Actions.Names(); len(actions) > 0 && !st.Actions.Not {
		msg += " to " + strings.Join(actions, ", ")
	}
	return msg
}
