package sns

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// PublicPolicy is AWS-SNS-001: a topic policy statement allows any principal.
var PublicPolicy = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-SNS-001",
		Name:  "sns-topic-policy-any-principal",
		Title: "Topic policy open to any principal",
		Description: "An SNS topic policy statement with `Effect: Allow` and `Principal: \"*\"` (or `{\"AWS\": \"*\"}`, a `*` among the AWS principals, or a `NotPrincipal`) " +
			"lets anyone, in any account, publish to the topic, subscribe to it (and so read every message) or change it, " +
			"unless a condition pins the caller (aws:SourceOwner, aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:SourceVpce, ...). " +
			"Policies are read from Terraform `aws_sns_topic_policy` and `aws_sns_topic.policy` (JSON strings, `jsonencode`, `aws_iam_policy_document`) " +
			"and CloudFormation `AWS::SNS::TopicPolicy`. Deny statements are never reported.",
		Remediation: "Name the accounts, roles or services that publish or subscribe instead of `*`, " +
			"or pin the caller with a condition such as `aws:SourceOwner`/`aws:SourceAccount` (for AWS services publishing on the account's behalf) or `aws:PrincipalOrgID`.",
		Severity: rules.High,
		Tags:     []string{"security", "aws", "sns", "policy", "CWE-732"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkPublicPolicy,
}

func checkPublicPolicy(ctx *rules.Context) {
	seen := map[*policy.Statement]bool{}
	for _, d := range policy.Of(ctx) {
		if !slices.Contains(topicKinds, d.Owner.Kind) {
			continue
		}
		policy.Record(ctx, d.Unresolved)
		for _, st := range d.Statements {
			if seen[st] {
				continue
			}
			seen[st] = true
			if !st.Public() {
				policy.Record(ctx, st.PublicUnresolved())
				continue
			}
			ctx.Report(st.Resource, st.Principal, message(d, st), options(d, st)...)
		}
	}
}

func message(d *policy.Document, st *policy.Statement) string {
	who := "any principal (*)"
	if st.NotPrincipal {
		who = "every principal but those its NotPrincipal names"
	}
	msg := "topic policy statement " + st.Name() + " of " + d.Owner.ID.Address + " allows " + who
	if actions := st.Actions.Names(); len(actions) > 0 && !st.Actions.Not {
		msg += " to " + strings.Join(actions, ", ")
	}
	return msg
}

func options(d *policy.Document, st *policy.Statement) []rules.ReportOption {
	var opts []rules.ReportOption
	if d.Data != nil && d.Attr != nil {
		opts = append(opts, rules.WithRelated(d.Attr, "the policy document is attached to the topic here"))
	}
	fix := "replace the principal \"*\" of statement " + st.Name() + " with the accounts or services that use the topic, or add a condition on aws:SourceOwner, aws:SourceAccount or aws:PrincipalOrgID"
	return append(opts, rules.WithFix(rules.FixSuggest, fix))
}
