package iam

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// AdminAttached is AWS-IAM-036: AWS's AdministratorAccess policy is attached to a user,
// group or role.
var AdminAttached = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-036",
		Name:  "iam-administrator-access-attached",
		Title: "AdministratorAccess attached to a user, group or role",
		Description: "The AWS-managed `AdministratorAccess` policy (`arn:aws:iam::aws:policy/AdministratorAccess`, any partition) allows every action on every resource. " +
			"Attached to an identity it makes it a full administrator of the account: a leaked access key, a compromised function or a confused CI job can then do anything. " +
			"Attachments are read from Terraform `aws_iam_{user,group,role}_policy_attachment`, `aws_iam_policy_attachment` and `aws_iam_role.managed_policy_arns`, " +
			"CloudFormation `ManagedPolicyArns` of `AWS::IAM::Role`/`User`/`Group`, SAM function `Policies` (names or ARNs), and serverless `provider.iam.role.managedPolicies`. " +
			"A policy of the scan allowing every action on every resource counts as AdministratorAccess where it is attached (attachments, `ManagedPolicyArns`, " +
			"an `AWS::IAM::ManagedPolicy` naming its `Users`, `Groups` or `Roles`). " +
			"The finding is critical when the policy reaches a user with a console password, directly or through a group.",
		Remediation: "Attach a policy scoped to the job (AWS job-function policies such as `PowerUserAccess`, `ReadOnlyAccess`, or your own least-privilege policy). " +
			"Keep administrator access on a role that people assume with MFA, not on users, groups of users or workload roles.",
		Severity: rules.High,
		Tags:     tags("least-privilege", "CWE-269"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkAdminAttached,
}

// managedARN is the ARN of an AWS-managed policy in any partition (aws, aws-cn,
// aws-us-gov), written or read from the template (`arn:${AWS::Partition}:...`,
// `arn:${data.aws_partition.current.partition}:...`), with the policy's path and name.
var managedARN = lazyregexp.New(`^arn:(?:aws[a-z-]*|\$\{[^}]*\}):iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$`)

// customerARN is the ARN of a customer-managed policy, whose account is known or read from
// the template: never AWS's AdministratorAccess.
var customerARN = lazyregexp.New(`^arn:(?:aws[a-z-]*|\$\{[^}]*\}):iam::(?:\d{12}|\$\{[^}]*\}):policy/`)

// managedName returns the name of the AWS-managed policy an ARN names, when it is one:
// the ARN is known, or only its partition is not.
func managedName(arn *graph.Value) (name string, ok bool) {
	if arn == nil {
		return "", false
	}
	s, known := arn.AsString()
	if !known {
		s = arn.Template
	}
	m := managedARN.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func checkAdminAttached(ctx *rules.Context) {
	ids := identitiesOf(ctx)
	for _, a := range ids.Attachments {
		what, at := adminPolicy(ctx, ids, a)
		if what == "" {
			continue
		}
		msg := what + " is attached to " + attachedTo(a)
		opts := []rules.ReportOption{rules.WithFix(rules.FixSuggest, "attach a policy scoped to what "+attachedTo(a)+" needs instead of "+what)}
		if login := consoleLogin(a); login != nil {
			msg += "; " + login.Resource.ID.Address + " signs in to the console"
			opts = append(opts, rules.WithSeverity(rules.Critical), rules.WithRelated(login.Login, "the user's console password"))
		}
		ctx.Report(a.Resource, at, msg, opts...)
	}
}

// adminPolicy says whether an attachment attaches full administrator access: AWS's
// AdministratorAccess, or a policy of the scan with a statement allowing every action on
// every resource (AWS-IAM-045 reports the statement itself). It returns how to name the
// policy and where the finding goes, or "" after recording what is not known.
func adminPolicy(ctx *rules.Context, ids *Identities, a *Attachment) (what string, at rules.Locatable) {
	at = a.At()
	if a.Policy != nil {
		if adminDocuments(ids.documents[a.Policy]) {
			return "administrator-equivalent policy " + a.Policy.ID.Address, at
		}
		return "", nil
	}
	if a.ARN == nil {
		return "", nil
	}
	name, ok := managedName(a.ARN)
	switch {
	case ok && name == "AdministratorAccess":
		return "AdministratorAccess", at
	case !ok && !a.ARN.Known() && !customerARN.MatchString(a.ARN.Template):
		ctx.Unresolved(a.Resource, a.ARN, "attached policy ARN is not known statically")
	}
	return "", nil
}

// adminDocuments reports whether a statement of the documents is known to allow every
// action on every resource.
func adminDocuments(docs []*policy.Document) bool {
	for _, d := range docs {
		for _, st := range d.Statements {
			action, _ := st.EveryAction()
			resource, _ := st.EveryResource()
			if action != nil && resource != nil && !st.HasPrincipal {
				return true
			}
		}
	}
	return false
}

// attachedTo names the identities of an attachment, or its resource when it names none.
func attachedTo(a *Attachment) string {
	if len(a.Names) == 0 {
		return a.Resource.ID.Address
	}
	return strings.Join(a.Names, ", ")
}

// consoleLogin returns the first user with a console password the attachment reaches,
// directly or as a member of a group, or nil.
func consoleLogin(a *Attachment) *Identity {
	for _, h := range a.Holders {
		if h.Login != nil {
			return h
		}
		for _, m := range h.Members {
			if m.Login != nil {
				return m
			}
		}
	}
	return nil
}
