package s3

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Group is a grantee group an ACL can give permissions to.
type Group string

const (
	// AllUsers is everyone, anonymous requests included.
	AllUsers Group = "AllUsers"
	// AuthenticatedUsers is anyone with AWS credentials, in any account.
	AuthenticatedUsers Group = "AuthenticatedUsers"
)

// groupURI is the grantee URI of a group without its scheme: http://acs.amazonaws.com/...
const groupURI = "acs.amazonaws.com/groups/global/"

// The permissions an ACL grant gives.
const (
	Read        = "READ"
	ReadACP     = "READ_ACP"
	Write       = "WRITE"
	WriteACP    = "WRITE_ACP"
	FullControl = "FULL_CONTROL"
)

// Grant is one permission an ACL gives a public grantee group.
type Grant struct {
	// Resource declares the grant: the bucket or an aws_s3_bucket_acl.
	Resource *graph.Resource
	// At is the canned ACL value, or the explicit grant's block (or list item): what a fix
	// replaces or removes.
	At rules.Locatable
	// Holder holds At: the map of the canned ACL attribute or of the grant block, or the
	// list of the grant item.
	Holder *graph.Value
	// Canned is the canned ACL as written ("public-read"); "" for an explicit grant.
	Canned     string
	Group      Group
	Permission string
}

type groupPermission struct {
	group      Group
	permission string
}

// cannedACLs are the public canned ACLs, in the Terraform and CloudFormation spellings,
// with what each grants. log-delivery-write grants only the log delivery group: it is not
// public.
var cannedACLs = []struct {
	tf, cfn string
	grants  []groupPermission
}{
	{"public-read", "PublicRead", []groupPermission{{AllUsers, Read}}},
	{"public-read-write", "PublicReadWrite", []groupPermission{{AllUsers, Read}, {AllUsers, Write}}},
	{"authenticated-read", "AuthenticatedRead", []groupPermission{{AuthenticatedUsers, Read}}},
}

// unknownGrant is an ACL grant that may give a public group a permission, but is not
// statically known: a canned ACL, or an explicit grant whose grantee or permission is not.
type unknownGrant struct {
	unknown
	grant      rules.Locatable // the canned ACL value, or the explicit grant's block or item
	canned     bool
	group      Group  // "" when the grantee is not known
	permission string // "" when the permission is not known
}

// may reports whether the grant may give group the permission.
func (u unknownGrant) may(group Group, permission string) bool {
	if u.canned {
		tf, _ := cannedFor(group, permission)
		return len(tf) > 0
	}
	return (u.group == "" || u.group == group) && (u.permission == "" || u.permission == permission)
}

// cannedGrants returns what the canned ACL named acl grants the public groups.
func cannedGrants(acl string) []groupPermission {
	for _, c := range cannedACLs {
		if acl == c.tf || acl == c.cfn {
			return c.grants
		}
	}
	return nil
}

// addCannedACLs adds the canned ACLs among v's attributes and what they grant.
func (b *Bucket) addCannedACLs(r *graph.Resource, v *graph.Value) {
	for _, s := range settings(r, v, "acl", "AccessControl") {
		b.CannedACLs = append(b.CannedACLs, s)
		acl := s.Value()
		for _, u := range unknownIn(r, acl, "acl is not known statically") {
			b.unknownGrants = append(b.unknownGrants, unknownGrant{unknown: u, grant: acl, canned: true})
		}
		if acl.Type != graph.String {
			continue
		}
		for _, gp := range cannedGrants(acl.Str) {
			b.Grants = append(b.Grants, Grant{Resource: r, At: acl, Holder: v, Canned: acl.Str, Group: gp.group, Permission: gp.permission})
		}
	}
}

// addExplicitGrants adds the public grants among v's `grant` elements: the older inline
// form (`grant { type, uri, permissions = [...] }`) and the access control policy form
// (`grant { grantee { type, uri } permission }`).
func (b *Bucket) addExplicitGrants(r *graph.Resource, v *graph.Value) {
	for _, el := range v.ElementsAt("grant") {
		grantee := el.Value
		if g := el.Value.Get("grantee"); g != nil {
			grantee = g.Value
		}
		uri := grantee.Lookup("uri")
		group, ok := groupOf(uri)
		unknownGroup := unknownIn(r, uri, "acl grantee is not known statically")
		perms := el.Value.Get("permission", "permissions")
		if !ok && unknownGroup == nil || perms == nil {
			continue
		}
		for _, p := range perms.Value.Strings() {
			if ok {
				b.Grants = append(b.Grants, Grant{Resource: r, At: el.At, Holder: el.Holder, Group: group, Permission: p.Str})
			}
			for _, u := range unknownGroup {
				b.unknownGrants = append(b.unknownGrants, unknownGrant{unknown: u, grant: el.At, permission: p.Str})
			}
		}
		for _, u := range unknownItems(r, perms.Value, "acl grant permission is not known statically") {
			b.unknownGrants = append(b.unknownGrants, unknownGrant{unknown: u, grant: el.At, group: group})
		}
	}
	for _, dyn := range v.UnexpandedBlocks("grant") {
		b.unknownGrants = append(b.unknownGrants, unknownGrant{unknown: unknown{resource: r, at: dyn, why: "acl grant is not known statically"}, grant: dyn})
	}
}

// groupOf returns the public group a grantee URI names.
func groupOf(uri *graph.Value) (Group, bool) {
	s, ok := uri.AsString()
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "http://"), "https://")
	rest, found := strings.CutPrefix(s, groupURI)
	if g := Group(rest); found && (g == AllUsers || g == AuthenticatedUsers) {
		return g, true
	}
	return "", false
}
