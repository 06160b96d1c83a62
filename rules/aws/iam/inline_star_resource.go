package iam

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// InlineStarResource is AWS-IAM-022: an inline policy of a group or user allows actions
// on every resource.
var InlineStarResource = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-022",
		Name:  "iam-inline-user-group-policy-star-resource",
		Title: "Inline group or user policy allows actions on every resource",
		Description: "An inline policy embedded in an IAM group or user (Terraform `aws_iam_group_policy`, `aws_iam_user_policy`; CloudFormation `Policies` of `AWS::IAM::Group`/`AWS::IAM::User`, " +
			"or an `AWS::IAM::Policy` naming `Groups` or `Users`) has an Allow statement on `Resource: \"*\"` (or a `NotResource`). " +
			"Inline policies are invisible in the account's list of policies, cannot be reused or versioned, and on people's identities they grant access that is hard to review; " +
			"on every resource, they reach data and infrastructure nobody meant to share.",
		Remediation: "Name the resources the statement applies to (their ARNs, or ARN patterns scoped to a project prefix), and prefer a managed policy attached to a group, " +
			"or a role people assume, to inline policies on users.",
		Severity: rules.Medium,
		Tags:     tags("policy", "least-privilege", "CWE-269"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkInlineStarResource,
}

func checkInlineStarResource(ctx *rules.Context) {
	var found hits
	for _, d := range policy.Of(ctx) {
		if !d.Inline || !slices.ContainsFunc(d.Holders, peopleHolder) {
			continue
		}
		policy.Record(ctx, d.Unresolved)
		for _, st := range d.Statements {
			resource, unknown := st.EveryResource()
			if resource != nil {
				found.add(d, st, resource)
				continue
			}
			policy.Record(ctx, unknown)
		}
	}
	for _, x := range found.order {
		what := "every resource (*)"
		if x.st.Resources.Not {
			what = "every resource but those its NotResource names"
		}
		actions := "its actions"
		if names := x.st.Actions.Names(); len(names) > 0 && !x.st.Actions.Not {
			actions = strings.Join(names, ", ")
		}
		msg := inlineName(x.doc, x.st) + ": statement " + x.st.Name() + " allows " + actions + " on " + what
		opts := append(x.options(), rules.WithFix(rules.FixSuggest,
			"narrow statement "+x.st.Name()+" to the ARNs of the resources it is for, and prefer a managed policy attached to a group"))
		ctx.Report(x.st.Resource, x.at, msg, opts...)
	}
}

// inlineName names an inline policy: `inline policy "audit" of user Auditor`, or
// "inline group policy aws_iam_group_policy.readers".
func inlineName(d *policy.Document, st *policy.Statement) string {
	name := "inline " + holders(d) + " policy " + owner(d, st)
	if _, ok := identityKinds[d.Owner.Kind]; ok && d.Name != "" {
		name = "inline " + d.Name + " of " + holders(d) + " " + d.Owner.ID.Address
		if st.Resource != d.Owner {
			name += " (" + st.Resource.ID.Address + ")"
		}
	}
	return name
}

func peopleHolder(h policy.Holder) bool { return h == policy.User || h == policy.Group }

// holders names the kinds of people identities an inline policy is in: "group", "user"
// or "group and user".
func holders(d *policy.Document) string {
	var names []string
	for _, h := range d.Holders {
		if peopleHolder(h) {
			names = append(names, h.String())
		}
	}
	return strings.Join(names, " and ")
}
