package iam

import (
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// FullAdmin is AWS-IAM-045: an identity policy statement allows every action on every
// resource.
var FullAdmin = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-045",
		Name:  "iam-policy-full-admin",
		Title: "Policy allows every action on every resource",
		Description: "An identity-based policy statement with `Effect: Allow`, `Action: \"*\"` (or `*:*`) and `Resource: \"*\"` gives whoever holds it full administrator access: " +
			"any user, group, role, Lambda function or serverless service it is attached to can do anything in the account, including granting itself more. " +
			"`NotAction` with Allow on every resource is as good as admin: it allows every action but those it names. " +
			"Every place a policy is written is read: Terraform `aws_iam_policy`, `aws_iam_{role,user,group}_policy`, `aws_iam_role.inline_policy`, " +
			"`data \"aws_iam_policy_document\"` (with its source and override documents), `jsonencode`, heredoc and `file()`/`templatefile()` JSON; " +
			"CloudFormation `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, the `Policies` of roles, users and groups, and the inline `Policies` of SAM functions; " +
			"serverless `provider.iam.role.statements`, the legacy `provider.iamRoleStatements` and per-function `iamRoleStatements`. " +
			"Resource-based policies (statements naming a principal) are the public-access rules' concern.",
		Remediation: "Grant the actions the identity needs on the resources it uses, for example from IAM Access Analyzer's policy generation or the service's documented minimum. " +
			"Replace `\"*\"` in `Action` (`actions`) with those actions and `\"*\"` in `Resource` (`resources`) with their ARNs; replace a `NotAction` with the list of allowed actions. " +
			"If full access is really intended, attach AWS's `AdministratorAccess` to a role assumed with MFA rather than writing it inline.",
		Severity: rules.High,
		Tags:     tags("policy", "least-privilege", "CWE-269"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkFullAdmin,
}

func checkFullAdmin(ctx *rules.Context) {
	var found hits
	for _, d := range policy.Of(ctx) {
		if d.Basis != policy.IdentityBased {
			continue
		}
		policy.Record(ctx, d.Unresolved)
		for _, st := range d.Statements {
			if st.HasPrincipal {
				continue
			}
			action, unknownAction := st.EveryAction()
			resource, unknownResource := st.EveryResource()
			switch {
			case action != nil && resource != nil:
				found.add(d, st, action)
			case (action != nil || len(unknownAction) > 0) && (resource != nil || len(unknownResource) > 0):
				policy.Record(ctx, append(unknownAction, unknownResource...))
			}
		}
	}
	for _, x := range found.order {
		what := "every action (*)"
		if x.st.Actions.Not {
			what = "every action but those its NotAction names"
		}
		msg := "policy statement " + x.st.Name() + " of " + owner(x.doc, x.st) + " allows " + what + " on every resource: full administrator access"
		opts := append(x.options(), rules.WithFix(rules.FixSuggest,
			"narrow statement "+x.st.Name()+": list the actions the identity needs instead of "+actionWord(x.st)+", on the resources it uses instead of *"))
		ctx.Report(x.st.Resource, x.at, msg, opts...)
	}
}

func actionWord(st *policy.Statement) string {
	if st.Actions.Not {
		return "NotAction"
	}
	return "*"
}
