package iam

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules/policy"
)

// links joins the resources that link identities: login profiles, group memberships and
// policy attachments, in each format.
var links = map[graph.Kind]func(*Identities, *graph.Resource){
	graph.IAMUserLoginProfile: func(ids *Identities, r *graph.Resource) {
		// a login profile of a user not known statically has no user to join
		users, _ := ids.holdersIn(r, attrValue(r, "user"), policy.User)
		for _, u := range users {
			u.Login, u.LoginOwner = r, r
		}
	},
	graph.IAMUserGroupMembership: func(ids *Identities, r *graph.Resource) {
		ids.members(r, attrValue(r, "user"), attrValue(r, "groups"))
	},
	graph.IAMGroupMembership: func(ids *Identities, r *graph.Resource) {
		ids.members(r, attrValue(r, "users", "Users"), attrValue(r, "group", "GroupName"))
	},
	graph.IAMUser: func(ids *Identities, r *graph.Resource) {
		if groups := attrValue(r, "Groups"); groups != nil {
			ids.members(r, nil, groups, ids.byResource[r])
		}
		ids.managedArns(r)
	},
	graph.IAMGroup:                 (*Identities).managedArns,
	graph.IAMRole:                  (*Identities).managedArns,
	graph.IAMUserPolicyAttachment:  attachment("user", policy.User),
	graph.IAMGroupPolicyAttachment: attachment("group", policy.Group),
	graph.IAMRolePolicyAttachment:  attachment("role", policy.Role),
	graph.IAMPolicyAttachment: func(ids *Identities, r *graph.Resource) {
		ids.attach(r, attrValue(r, "policy_arn"), r.Body, "users", "groups", "roles")
	},
	graph.IAMPolicy: func(ids *Identities, r *graph.Resource) {
		// a CloudFormation managed policy names the identities it is attached to
		if r.Get("Users", "Groups", "Roles") != nil {
			ids.attachSelf(r)
		}
	},
}

// attrValue returns the value of r's first attribute named by any of names, or nil.
func attrValue(r *graph.Resource, names ...string) *graph.Value {
	if a := r.Get(names...); a != nil {
		return a.Value
	}
	return nil
}

// listItems returns the items of a list, or the value itself when it is not one.
func listItems(v *graph.Value) []*graph.Value {
	switch {
	case v == nil:
		return nil
	case v.Type == graph.List:
		return v.Items
	}
	return []*graph.Value{v}
}

// members joins users and groups: the users named by users (or the given user) become
// members of the groups named by groups. A name that is not statically known, or names
// no identity of the scan, leaves the membership of the known side unresolved.
func (ids *Identities) members(r *graph.Resource, users, groups *graph.Value, given ...*Identity) {
	us, uu := given, []policy.Unknown(nil)
	if users != nil {
		us, uu = ids.holdersIn(r, users, policy.User)
	}
	gs, gu := ids.holdersIn(r, groups, policy.Group)
	gu = append(gu, ids.external(r, groups, policy.Group)...)
	for _, u := range us {
		u.unresolved = append(u.unresolved, gu...)
		for _, g := range gs {
			u.Groups = append(u.Groups, g)
			g.Members = append(g.Members, u)
		}
	}
	for _, g := range gs {
		g.unresolved = append(g.unresolved, uu...)
	}
}

// external returns the names in v that are statically known but name no identity of the
// scan: declared elsewhere, whatever they hold is not known.
func (ids *Identities) external(r *graph.Resource, v *graph.Value, h policy.Holder) []policy.Unknown {
	var out []policy.Unknown
	for _, it := range listItems(v) {
		if id, known := ids.lookup(r.Scope, it, h); id == nil && known {
			out = append(out, policy.Unknown{Resource: r, At: it, Why: "the " + h.String() + " is declared outside the scan"})
		}
	}
	return out
}

// attachment joins a Terraform policy attachment of one holder named by attr.
func attachment(attr string, h policy.Holder) func(*Identities, *graph.Resource) {
	return func(ids *Identities, r *graph.Resource) {
		holders, _ := ids.holdersIn(r, attrValue(r, attr), h)
		arn := attrValue(r, "policy_arn")
		ids.add(&Attachment{Resource: r, ARN: arn, Policy: policyRef(arn), Holders: holders, Names: ids.holderNames(r, attrValue(r, attr), h)})
	}
}

// attach joins an attachment to the holders its body lists under users, groups and roles.
func (ids *Identities) attach(r *graph.Resource, arn, body *graph.Value, names ...string) {
	a := &Attachment{Resource: r, ARN: arn, Policy: policyRef(arn)}
	for i, h := range []policy.Holder{policy.User, policy.Group, policy.Role} {
		if v := body.Lookup(names[i]); v != nil {
			holders, _ := ids.holdersIn(r, v, h)
			a.Holders = append(a.Holders, holders...)
			a.Names = append(a.Names, ids.holderNames(r, v, h)...)
		}
	}
	ids.add(a)
}

// attachSelf joins a CloudFormation managed policy to the Users, Groups and Roles it names.
func (ids *Identities) attachSelf(r *graph.Resource) {
	a := &Attachment{Resource: r, Policy: r, holdersAt: r.Get("Users", "Groups", "Roles")}
	for i, name := range []string{"Users", "Groups", "Roles"} {
		if v := attrValue(r, name); v != nil {
			h := []policy.Holder{policy.User, policy.Group, policy.Role}[i]
			holders, _ := ids.holdersIn(r, v, h)
			a.Holders = append(a.Holders, holders...)
			a.Names = append(a.Names, ids.holderNames(r, v, h)...)
		}
	}
	ids.add(a)
}

// managedArns joins each item of an identity's managed_policy_arns / ManagedPolicyArns.
func (ids *Identities) managedArns(r *graph.Resource) {
	id := ids.byResource[r]
	for _, arn := range listItems(attrValue(r, "managed_policy_arns", "ManagedPolicyArns")) {
		ids.add(&Attachment{Resource: r, ARN: arn, Policy: policyRef(arn), Holders: []*Identity{id}, Names: []string{id.Holder.String() + " " + r.ID.Address}})
	}
}

// add records an attachment and files it under its holders, whose MFA check cannot be
// made when the policy is neither AWS-managed nor declared in the scan.
func (ids *Identities) add(a *Attachment) {
	ids.Attachments = append(ids.Attachments, a)
	for _, h := range a.Holders {
		h.Attached = append(h.Attached, a)
		if a.Policy == nil && !awsManaged(a.ARN) {
			h.unresolved = append(h.unresolved, policy.Unknown{Resource: a.Resource, At: a.ARN, Why: "the attached policy is not in the scan"})
		}
	}
}

// policyRef returns the aws_iam_policy of the scan whose ARN (or id) a value reads, or nil.
func policyRef(v *graph.Value) *graph.Resource {
	if v == nil {
		return nil
	}
	for _, ref := range v.Refs {
		if ref.Target != nil && ref.Target.Kind == graph.IAMPolicy && ref.Whole {
			return ref.Target
		}
	}
	return nil
}

// awsManaged reports whether v is the ARN of an AWS-managed policy, in any partition.
func awsManaged(v *graph.Value) bool {
	_, ok := managedName(v)
	return ok
}
