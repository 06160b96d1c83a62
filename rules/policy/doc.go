// Package policy is the policy-document engine every policy rule shares: it reads IAM
// policy documents wherever they are declared (Terraform JSON strings, heredocs,
// jsonencode objects, file() and templatefile() results, aws_iam_policy_document data
// sources with their source and override documents, CloudFormation PolicyDocument
// mappings, serverless IAM statements, Lambda permissions) into normalised statements
// whose every element keeps its source range, and answers the questions rules ask of
// them: does a statement allow any principal, does it cover every action or every
// resource, does a condition pin the caller. What is not statically known stays unknown:
// the questions then return the parts that keep them from being answered, which rules
// record as unresolved checks, never as findings (RULES.md decision 5).
package policy

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Basis says whom a document's statements are about; 0 when that is not known.
type Basis uint8

const (
	// IdentityBased documents are attached to users, groups and roles: their statements
	// name no principal.
	IdentityBased Basis = iota + 1
	// ResourceBased documents are attached to a resource (bucket, topic, queue, function):
	// their statements name the principals they allow.
	ResourceBased
)

// Holder is the kind of identity an inline identity policy is embedded in.
type Holder uint8

const (
	NoHolder Holder = iota // a managed policy or a resource policy
	User
	Group
	Role
)

var holderNames = [...]string{"", "user", "group", "role"}

func (h Holder) String() string { return holderNames[h] }

// Document is one policy document: where it is declared, whom it is about, and its
// statements.
type Document struct {
	// Owner is the resource the document is declared on: the policy, role, bucket policy,
	// Lambda permission or serverless provider.
	Owner *graph.Resource
	// Attr is the attribute holding the document (`policy`, `PolicyDocument`,
	// `statements`), or nil when the owner's body is the document (a Lambda permission).
	Attr *graph.Attribute
	// Name tells the document apart among its owner's: an embedded policy's name, the
	// path of serverless statements; "" when the owner has one document.
	Name  string
	Basis Basis
	// Inline is set for a policy embedded in one identity (aws_iam_role_policy, a role's
	// Policies, AWS::IAM::Policy, serverless statements); Holders says which kinds.
	Inline  bool
	Holders []Holder
	// Data is the aws_iam_policy_document the document reads, or nil.
	Data *graph.Resource
	// InString is set when the document is a JSON string or template: its parts have no
	// positions of their own and span the attribute, and no fix may edit them.
	InString   bool
	Statements []*Statement
	// Unresolved is the document itself when it is not statically known.
	Unresolved []Unknown
}

// Describe names the document for messages: "aws_iam_role_policy.admin",
// `AdminRole policy "root"`, "provider iam.role.statements".
func (d *Document) Describe() string {
	if d.Name == "" {
		return d.Owner.ID.Address
	}
	return d.Owner.ID.Address + " " + d.Name
}

// Statement is one statement of a document, normalised across formats.
type Statement struct {
	// Resource declares the statement: the document's owner, or the data source.
	Resource *graph.Resource
	// At is the statement itself: its mapping or block.
	At    *graph.Value
	Index int // position among the statements of where it is declared, from 1
	Sid   string
	// Effect is as written; statements of aws_iam_policy_document default to "Allow".
	Effect string
	// Principal is the wildcard principal ("*", {"AWS": "*"}, a "*" in the AWS list, a
	// principals block of type "*"), or the NotPrincipal element of an Allow (everyone
	// but those named): where a public finding goes. Nil when there is none.
	Principal rules.Locatable
	// Bare is set when Principal is the wildcard itself ("*"), not {"AWS": "*"} or an item.
	Bare bool
	// Principals is the aws_iam_policy_document `principals` block Principal is in, or nil.
	Principals *graph.Value
	// NotPrincipal is set when Principal is a NotPrincipal element (not_principals).
	NotPrincipal bool
	// HasPrincipal is set when the statement names principals at all (Principal,
	// NotPrincipal, principals blocks): it belongs to a resource-based document.
	HasPrincipal bool
	Actions      Elements // Action / NotAction / actions / not_actions
	Resources    Elements // Resource / NotResource / resources / not_resources
	Conditions   []Condition
	// PinnedBy is the condition key that restricts the caller (aws:SourceVpce, ...), or "".
	PinnedBy string
	// Conditional is set when the statement has a condition, pinning or not.
	Conditional bool
	// Unknown is set when the effect or a condition is not statically known, or when no
	// wildcard was found among principals that are not all statically known.
	Unknown bool
	// effectUnknown is the effect when it is not statically known.
	effectUnknown []Unknown
	// public is what keeps a statement that may allow anyone from being judged.
	public []Unknown
}

// Elements is a statement's actions or resources.
type Elements struct {
	// Not is set for NotAction / NotResource (not_actions, not_resources).
	Not bool
	// At is the element's value as written (a string or a list), nil when absent.
	At *graph.Value
	// Known are the statically known strings, each at its own range.
	Known []*graph.Value
	// Unknown are the items (or the whole value) not statically known.
	Unknown []*graph.Value
}

// Names returns the known strings, as written.
func (e Elements) Names() []string {
	out := make([]string, len(e.Known))
	for i, v := range e.Known {
		out[i] = v.Str
	}
	return out
}

// Condition is one condition key test: {Operator: {Key: Values}} in JSON, a `condition`
// block's test, variable and values in aws_iam_policy_document.
type Condition struct {
	Operator string // "" when not statically known
	Key      string
	Values   *graph.Value
}

// Name names the statement in messages: its Sid quoted, or its position.
func (s *Statement) Name() string {
	if s.Sid != "" {
		return fmt.Sprintf("%q", s.Sid)
	}
	return fmt.Sprint(s.Index)
}
