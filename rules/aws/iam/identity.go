package iam

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// Identity is one IAM user, group or role joined with what applies to it wherever it is
// declared: its inline documents, the managed policies attached to it, its group
// memberships and, for a user, its console login.
type Identity struct {
	Resource *graph.Resource
	Holder   policy.Holder
	// Login is a user's console password: the aws_iam_user_login_profile naming it, or
	// the LoginProfile property of AWS::IAM::User; nil when none.
	Login      rules.Locatable
	LoginOwner *graph.Resource // the resource declaring Login
	Groups     []*Identity     // a user's groups
	Members    []*Identity     // a group's users
	Documents  []*policy.Document
	Attached   []*Attachment
	// unresolved are the memberships and attachments that may apply to the identity but
	// name what is not statically known or not declared in the scan.
	unresolved []policy.Unknown
}

// Attachment is one managed policy attached to identities: an attachment resource, an
// item of managed_policy_arns / ManagedPolicyArns / managedPolicies, or a CloudFormation
// managed policy naming its holders.
type Attachment struct {
	Resource *graph.Resource // declares the attachment
	ARN      *graph.Value    // the policy's ARN as written
	// Policy is the aws_iam_policy of the scan the ARN reads, or nil.
	Policy *graph.Resource
	// Holders are the identities of the scan it attaches the policy to.
	Holders []*Identity
	// Names describes every holder for messages, those outside the scan included:
	// "role aws_iam_role.ci", `user "bot"`.
	Names []string
	// holdersAt is where a policy that names its holders names them (a CloudFormation
	// managed policy's Users, Groups or Roles), for an attachment without an ARN.
	holdersAt *graph.Attribute
}

// At is where a finding about the attachment goes: the ARN, the holders a managed policy
// names, or the attaching resource.
func (a *Attachment) At() rules.Locatable {
	switch {
	case a.ARN != nil:
		return a.ARN
	case a.holdersAt != nil:
		return a.holdersAt
	}
	return a.Resource
}

// Identities is the IAM identities of a scan.
type Identities struct {
	All         []*Identity
	Attachments []*Attachment
	byResource  map[*graph.Resource]*Identity
	byName      map[nameKey]*Identity
	documents   map[*graph.Resource][]*policy.Document // managed policies' documents
}

type nameKey struct {
	scope, name string
	holder      policy.Holder
}

var identityKinds = map[graph.Kind]policy.Holder{graph.IAMUser: policy.User, graph.IAMGroup: policy.Group, graph.IAMRole: policy.Role}

type identitiesKey struct{}

// identitiesOf returns the identities of the scan, built once and shared by the rules.
func identitiesOf(ctx *rules.Context) *Identities {
	return rules.Memo(ctx, identitiesKey{}, func() *Identities { return join(ctx.Graph, policy.Of(ctx)) })
}

// join builds the identities of g with the documents of the policy engine.
func join(g *graph.Graph, docs []*policy.Document) *Identities {
	ids := &Identities{byResource: map[*graph.Resource]*Identity{}, byName: map[nameKey]*Identity{}, documents: map[*graph.Resource][]*policy.Document{}}
	for _, r := range g.Resources {
		if h, ok := identityKinds[r.Kind]; ok && r.Body.Type == graph.Map {
			ids.declare(r, h)
		}
	}
	for _, d := range docs {
		ids.addDocument(d)
	}
	for _, r := range g.Resources {
		if join, ok := links[r.Kind]; ok && r.Body.Type == graph.Map {
			join(ids, r)
		}
	}
	return ids
}

// declare adds an identity, naming it by its literal name in its scope.
func (ids *Identities) declare(r *graph.Resource, h policy.Holder) {
	id := &Identity{Resource: r, Holder: h}
	ids.All = append(ids.All, id)
	ids.byResource[r] = id
	if name, ok := r.Body.Lookup(nameAttrs[h][0]).AsString(); ok {
		ids.byName[nameKey{r.Scope, name, h}] = id
	} else if name, ok := r.Body.Lookup(nameAttrs[h][1]).AsString(); ok {
		ids.byName[nameKey{r.Scope, name, h}] = id
	}
	if lp := r.Get("LoginProfile"); lp != nil {
		id.Login, id.LoginOwner = lp, r
	}
}

// nameAttrs are the attributes naming each kind of identity: Terraform, CloudFormation.
var nameAttrs = map[policy.Holder][2]string{
	policy.User: {"name", "UserName"}, policy.Group: {"name", "GroupName"}, policy.Role: {"name", "RoleName"},
}

// lookup resolves a value naming an identity of kind h: a reference to it (its name, id
// or arn, a CloudFormation Ref or GetAtt) or its literal name. known is false when the
// value is not statically known; a known name of no identity of the scan returns nil.
func (ids *Identities) lookup(scope string, v *graph.Value, h policy.Holder) (id *Identity, known bool) {
	if name, ok := v.AsString(); ok {
		return ids.byName[nameKey{scope, name, h}], true
	}
	for _, ref := range v.Refs {
		if ref.Target != nil && identityKinds[ref.Target.Kind] == h {
			return ids.byResource[ref.Target], true
		}
	}
	return nil, false
}

// holdersIn resolves the identities a list (or single value) names; what is not known
// or not declared in the scan is returned as unresolved parts, declared by r.
func (ids *Identities) holdersIn(r *graph.Resource, v *graph.Value, h policy.Holder) (out []*Identity, unresolved []policy.Unknown) {
	for _, it := range listItems(v) {
		id, known := ids.lookup(r.Scope, it, h)
		switch {
		case id != nil:
			out = append(out, id)
		case !known:
			unresolved = append(unresolved, policy.Unknown{Resource: r, At: it, Why: "the " + h.String() + " is not known statically"})
		}
	}
	return out, unresolved
}

// addDocument files a document under its holders: inline documents under the identities
// they are in, managed policies' documents under the policy.
func (ids *Identities) addDocument(d *policy.Document) {
	r := d.Owner
	switch r.Kind {
	case graph.IAMPolicy:
		ids.documents[r] = append(ids.documents[r], d)
		return
	case graph.IAMUser, graph.IAMGroup, graph.IAMRole:
		if id := ids.byResource[r]; id != nil {
			id.Documents = append(id.Documents, d)
		}
		return
	}
	for _, name := range inlineHolders {
		a := r.Get(name.attr)
		if a == nil || r.Kind != name.kind {
			continue
		}
		holders, _ := ids.holdersIn(r, a.Value, name.holder)
		for _, id := range holders {
			id.Documents = append(id.Documents, d)
		}
	}
}

// inlineHolders are the attributes of inline policy resources naming their holders.
var inlineHolders = []struct {
	kind   graph.Kind
	attr   string
	holder policy.Holder
}{
	{graph.IAMUserPolicy, "user", policy.User},
	{graph.IAMGroupPolicy, "group", policy.Group},
	{graph.IAMRolePolicy, "role", policy.Role},
	{graph.IAMInlinePolicy, "Users", policy.User},
	{graph.IAMInlinePolicy, "Groups", policy.Group},
	{graph.IAMInlinePolicy, "Roles", policy.Role},
}

// holderNames describes the holders v names, found or not, for messages.
func (ids *Identities) holderNames(r *graph.Resource, v *graph.Value, h policy.Holder) []string {
	var out []string
	for _, it := range listItems(v) {
		id, _ := ids.lookup(r.Scope, it, h)
		name, literal := it.AsString()
		switch {
		case id != nil:
			out = append(out, h.String()+" "+id.Resource.ID.Address)
		case literal:
			out = append(out, fmt.Sprintf("%s %q", h, name))
		default:
			out = append(out, "a "+h.String()+" not known statically")
		}
	}
	return out
}
