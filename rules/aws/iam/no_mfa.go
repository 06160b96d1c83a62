package iam

import (
	"strings"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// NoMFA is AWS-IAM-013: a user with a console password has no policy that denies access
// without MFA.
var NoMFA = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-013",
		Name:  "iam-console-user-without-mfa-policy",
		Title: "Console user without an MFA-enforcing policy",
		Description: "An IAM user with a console password (Terraform `aws_iam_user_login_profile`, CloudFormation `AWS::IAM::User` `LoginProfile`) " +
			"has no policy, of its own or of a group it is in, that denies actions when the request was not authenticated with MFA " +
			"(a Deny statement of every action, or of every action but MFA self-management, conditioned on `aws:MultiFactorAuthPresent` being false, with `Bool`/`BoolIfExists`, or null, with `Null`; " +
			"a Deny of a few actions without MFA protects those actions, not the account). " +
			"IAM cannot require MFA for a user otherwise: a stolen password alone then signs in. " +
			"Policies attached from outside the scan (a group declared elsewhere, a customer-managed policy ARN) are not known: the check is then unresolved, not a finding. " +
			"Root-account MFA and MFA devices themselves are runtime matters no template shows.",
		Remediation: "Attach to the user, or better to a group every console user is in, a policy denying everything but MFA self-management " +
			"when `aws:MultiFactorAuthPresent` is false (AWS's \"Allows MFA-authenticated IAM users to manage their own credentials\" example), " +
			"or give people SSO (IAM Identity Center) instead of IAM users.",
		Severity: rules.High,
		Tags:     tags("authentication", "mfa", "CWE-308"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkNoMFA,
}

func checkNoMFA(ctx *rules.Context) {
	ids := identitiesOf(ctx)
	for _, u := range ids.All {
		if u.Login == nil {
			continue
		}
		if enforcesMFA(ids, u) || enforcesMFAInGroups(ids, u) {
			continue
		}
		if unresolved := append(append([]policy.Unknown(nil), u.unresolved...), groupUnresolved(u)...); len(unresolved) > 0 {
			policy.Record(ctx, unresolved)
			continue
		}
		ctx.Report(u.LoginOwner, u.Login, "user "+u.Resource.ID.Address+" has a console password but no policy of its own or of its groups denies access without MFA",
			rules.WithFix(rules.FixSuggest, "attach to the user or its group a policy that denies every action but MFA self-management when aws:MultiFactorAuthPresent is false"))
	}
}

func enforcesMFAInGroups(ids *Identities, u *Identity) bool {
	for _, g := range u.Groups {
		if enforcesMFA(ids, g) {
			return true
		}
	}
	return false
}

func groupUnresolved(u *Identity) []policy.Unknown {
	var out []policy.Unknown
	for _, g := range u.Groups {
		out = append(out, g.unresolved...)
	}
	return out
}

// enforcesMFA reports whether a document of the identity, inline or attached, denies
// without MFA.
func enforcesMFA(ids *Identities, id *Identity) bool {
	docs := id.Documents
	for _, a := range id.Attached {
		if a.Policy != nil {
			docs = append(docs, ids.documents[a.Policy]...)
		}
	}
	for _, d := range docs {
		for _, st := range d.Statements {
			if deniesWithoutMFA(st) {
				return true
			}
		}
	}
	return false
}

// probeAction is an action any MFA-enforcing Deny must cover: AWS's example denies every
// action but managing one's own MFA device, while a Deny of a few actions (deleting
// objects without MFA) protects those, not the account.
const probeAction = "ec2:RunInstances"

// deniesWithoutMFA reports whether a statement is a Deny of (nearly) every action
// conditioned on the request lacking MFA: aws:MultiFactorAuthPresent false (Bool,
// BoolIfExists) or absent (Null true).
func deniesWithoutMFA(st *policy.Statement) bool {
	if !strings.EqualFold(st.Effect, "Deny") {
		return false
	}
	if at, _ := st.Actions.Covers(st.Resource, probeAction, ""); at == nil {
		return false
	}
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Key, "aws:MultiFactorAuthPresent") {
			continue
		}
		want := "false"
		if strings.EqualFold(c.Operator, "Null") {
			want = "true"
		}
		for _, v := range listItems(c.Values) {
			if s, ok := v.AsString(); ok && strings.EqualFold(s, want) {
				return true
			}
		}
	}
	return false
}
