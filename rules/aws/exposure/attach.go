// Package exposure answers the graph's network questions: which resources each security
// group is attached to, and which resources the internet can reach (a public IP, an
// internet-facing load balancer and the targets behind it, a publicly accessible
// database). The security-group rules raise a finding on a group attached to a reachable
// resource, and the unused-group rule asks whether anything attaches a group at all.
//
// What is not statically known is never guessed: a Terraform attachment naming a group
// through a variable, a data source or a module output attaches no group the scan knows,
// and makes every group of its scope possibly used (in CloudFormation, a parameter or an
// import cannot name a group of the template itself); a subnet that is a data source gives
// no public IP.
package exposure

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/iacscan/iacscan/graph"
)

// Attachment is a security group attached to a resource, at the value naming it.
type Attachment struct {
	Group    *graph.Resource
	Resource *graph.Resource
	At       *graph.Value // the list item (or single value) naming the group
}

// groupKinds are the security groups attachments name.
var groupKinds = []graph.Kind{graph.SecurityGroup, graph.DefaultSecurityGroup}

// ruleKinds are the resources that hold a group's own rules: naming the group there does
// not attach it to anything.
var ruleKinds = []graph.Kind{graph.SecurityGroupRule, graph.VPCSecurityGroupIngressRule, graph.VPCSecurityGroupEgressRule}

// IsLoadBalancer reports whether r is a load balancer.
func IsLoadBalancer(r *graph.Resource) bool {
	return r.Kind == graph.LoadBalancer || r.Kind == graph.ClassicLoadBalancer
}

// IsGroup reports whether r is a security group.
func IsGroup(r *graph.Resource) bool { return r != nil && slices.Contains(groupKinds, r.Kind) }

// attachNames are the attribute names, lower case without underscores, that attach
// security groups across resource types and formats: vpc_security_group_ids,
// SecurityGroupIds, VPCSecurityGroups, GroupSet (ENIs), Groups (launch template network
// interfaces), securityGroupIds (serverless), security_group_id_list (Glue), ...
var attachNames = []string{
	"securitygroups", "securitygroupids", "vpcsecuritygroupids", "vpcsecuritygroups",
	"securitygroupnames", "securitygroupidlist", "securitygroupid", "groupset", "groups",
}

// isAttachName reports whether an attribute name attaches security groups. "groups" is
// generic (IAM has groups too), so it attaches only what resolves to a group.
func isAttachName(name string) (ok, generic bool) {
	for i := range len(name) {
		if name[i] >= utf8.RuneSelf { // Unicode lower-casing: U+212A (Kelvin) becomes k
			n := strings.ToLower(strings.ReplaceAll(name, "_", ""))
			return slices.Contains(attachNames, n), n == "groups"
		}
	}
	// Every attribute of every resource is asked: compared in place, without the two
	// strings the conversion above makes.
	for _, want := range attachNames {
		if asciiNameIs(name, want) {
			return true, want == "groups"
		}
	}
	return false, false
}

// asciiNameIs reports whether the ASCII name, less its underscores and lower-cased, is
// want.
func asciiNameIs(name, want string) bool {
	j := 0
	for i := range len(name) {
		c := name[i]
		switch {
		case c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if j == len(want) || c != want[j] {
			return false
		}
		j++
	}
	return j == len(want)
}

// attachments reads r's attachments: every value under an attaching attribute, at any
// depth, that names a group of the scan by reference or by its literal name. The others
// that are not statically known are returned as unknown: they may name any group.
//
// attaching is set when r has an attribute that attaches security groups at all, whatever
// it names.
func attachments(r *graph.Resource, byName map[string]*graph.Resource) (out []Attachment, unknown []*graph.Value, attaching bool) {
	if IsGroup(r) || slices.Contains(ruleKinds, r.Kind) {
		return nil, nil, false
	}
	var walk func(v *graph.Value)
	walk = func(v *graph.Value) {
		if v == nil {
			return
		}
		for _, it := range v.Items {
			walk(it)
		}
		for _, a := range v.Attrs {
			ok, generic := isAttachName(a.Name)
			if !ok {
				walk(a.Value)
				continue
			}
			attaching = attaching || !generic
			names := byName
			if generic {
				names = nil // only a reference makes `groups` name a security group
			}
			for _, it := range items(a.Value) {
				switch g := named(it, r.Scope, names); {
				case g != nil:
					out = append(out, Attachment{Group: g, Resource: r, At: it})
				case !it.Known() && !generic && !it.ReadsOnlyResources() && r.Format.IsTerraform():
					// In CloudFormation (and serverless.yml) a value that is not a Ref or
					// GetAtt of the template's own group (a parameter, an import, another
					// stack's output) cannot name one: only Terraform's data sources and
					// module plumbing can hide a group of the same scope.
					unknown = append(unknown, it)
				}
			}
		}
	}
	walk(r.Body)
	return out, unknown, attaching || len(out) > 0
}

// items returns the items of a list, or the value itself.
func items(v *graph.Value) []*graph.Value {
	if v.Type == graph.List {
		return v.Items
	}
	return []*graph.Value{v}
}

// named returns the group a value names: by a reference to it (its id, name or a
// CloudFormation Ref/GetAtt), or by a literal name of a group in scope.
func named(v *graph.Value, scope string, byName map[string]*graph.Resource) *graph.Resource {
	if s, ok := v.AsString(); ok {
		return byName[scope+"\x00"+s]
	}
	for _, ref := range v.Refs {
		if IsGroup(ref.Target) {
			return ref.Target
		}
	}
	return nil
}

// groupNames indexes the groups of g by scope and literal name.
func groupNames(g *graph.Graph) map[string]*graph.Resource {
	out := map[string]*graph.Resource{}
	for _, r := range g.OfKind(graph.SecurityGroup) {
		if s, ok := r.Body.Lookup("name").AsString(); ok {
			out[r.Scope+"\x00"+s] = r
		} else if s, ok := r.Body.Lookup("GroupName").AsString(); ok {
			out[r.Scope+"\x00"+s] = r
		}
	}
	return out
}
