package vpc

import (
	"cmp"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules/aws/ec2"
)

// Entry is one network ACL entry, whatever shape declared it: an inline `ingress`/`egress`
// block (or list item) of aws_network_acl or aws_default_network_acl, an
// aws_network_acl_rule, or an AWS::EC2::NetworkAclEntry.
type Entry struct {
	// Resource declares the entry: the ACL for inline entries, else the rule resource.
	Resource *graph.Resource
	// ACL names the network ACL the entry belongs to: the ACL resource's ID, or the
	// network_acl_id / NetworkAclId as written when the ACL is not in the scan.
	ACL string
	// Remove is the change deleting the entry: its block or item, or its resource.
	Remove fixers.Change

	Egress bool
	Allow  bool
	Number int
	// Protocol and the port range; every port for all protocols. ICMP entries have no
	// ports and concern no rule of the family.
	Protocol ec2.Protocol
	From, To int
	// Source is the CIDR, IPv4 or IPv6; World is set when it is the whole address space.
	Source *graph.Value
	IPv6   bool
	World  bool
	// Unknown is the first value that is not statically known among those the evaluation
	// needs (number, action, direction, protocol, ports, source), or nil.
	Unknown *graph.Value
	// NumberKnown and ActionKnown say whether the rule number and the action are known,
	// even when something else is not: they decide the evaluation order and whether the
	// entry can allow anything.
	NumberKnown, ActionKnown bool
}

// Entries returns every network ACL entry of g, in graph order.
func Entries(g *graph.Graph) []*Entry {
	var out []*Entry
	for _, r := range g.OfKind(graph.NetworkACL, graph.DefaultNetworkACL) {
		for _, a := range r.Body.Attrs {
			if a.Name != "ingress" && a.Name != "egress" {
				continue
			}
			if a.Value.Type == graph.List {
				for _, it := range a.Value.Items {
					remove := fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: a.Value, Target: it}
					out = append(out, newEntry(r, r.ID.String(), it, a.Name == "egress", remove))
				}
				continue
			}
			remove := fixers.Change{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: a}
			out = append(out, newEntry(r, r.ID.String(), a.Value, a.Name == "egress", remove))
		}
	}
	for _, r := range g.OfKind(graph.NetworkACLRule) {
		egress := r.Body.Lookup("egress")
		if egress == nil {
			egress = r.Body.Lookup("Egress")
		}
		e := newEntry(r, aclOf(r), r.Body, egress.IsTrue(), fixers.Change{Op: fixers.RemoveResource, Resource: r})
		if egress != nil && !egress.Known() && e.Unknown == nil {
			e.Unknown = egress
		}
		out = append(out, e)
	}
	return out
}

// aclOf names the ACL a rule resource belongs to: the resource it references, or the
// network_acl_id / NetworkAclId as written.
func aclOf(r *graph.Resource) string {
	a := r.Get("network_acl_id", "NetworkAclId")
	if a == nil {
		return ""
	}
	for _, ref := range a.Value.Refs {
		if ref.Target != nil && (ref.Target.Kind == graph.NetworkACL || ref.Target.Kind == graph.DefaultNetworkACL) {
			return ref.Target.ID.String()
		}
	}
	if s, ok := a.Value.AsString(); ok {
		return r.Scope + ":" + s
	}
	var refs []string
	for _, ref := range a.Value.Refs {
		refs = append(refs, ref.Address+"."+ref.Attr)
	}
	return r.Scope + ":" + strings.Join(refs, ",")
}

// newEntry reads one entry in either spelling: Terraform's inline (rule_no, action) or
// rule resource (rule_number, rule_action) names, or CloudFormation's.
func newEntry(r *graph.Resource, acl string, el *graph.Value, egress bool, remove fixers.Change) *Entry {
	e := &Entry{Resource: r, ACL: acl, Remove: remove, Egress: egress}
	if !el.Known() {
		e.Unknown = el
		return e
	}
	number := value(el, "rule_no", "rule_number", "RuleNumber")
	action := value(el, "action", "rule_action", "RuleAction")
	protocol := value(el, "protocol", "Protocol")
	e.Number, e.NumberKnown = number.AsInt()
	act, known := action.AsString()
	e.Allow, e.ActionKnown = strings.EqualFold(act, "allow"), known
	name, _ := protocol.AsString()
	e.Protocol = ec2.ParseProtocol(name)
	e.need(number, action, protocol)
	e.readPorts(el)
	e.readSource(el)
	return e
}

// readPorts reads the port range of a tcp or udp entry: from_port/to_port, or
// CloudFormation's PortRange.
func (e *Entry) readPorts(el *graph.Value) {
	switch e.Protocol {
	case ec2.All:
		e.From, e.To = 0, 65535
		return
	case ec2.TCP, ec2.UDP:
	default:
		return
	}
	from, to := value(el, "from_port"), value(el, "to_port")
	if pr := el.Lookup("PortRange"); pr != nil {
		from, to = pr.Lookup("From"), pr.Lookup("To")
	}
	e.From, _ = from.AsInt()
	e.To, _ = to.AsInt()
	e.need(from, to)
	// Terraform allows from_port = 0, to_port = 0 with a port protocol to mean every port.
	if from.Known() && to.Known() && e.From == 0 && e.To == 0 {
		e.To = 65535
	}
}

// readSource reads the CIDR, IPv4 or IPv6.
func (e *Entry) readSource(el *graph.Value) {
	if v := value(el, "ipv6_cidr_block", "Ipv6CidrBlock"); v != nil && v.Type != graph.Null && !(v.Type == graph.String && v.Str == "") {
		e.Source, e.IPv6 = v, true
	} else {
		e.Source = value(el, "cidr_block", "CidrBlock")
	}
	e.need(e.Source)
	s, _ := e.Source.AsString()
	e.World = ec2.IsWorld(s)
}

// need marks the entry Unknown at the first of values that is present but not statically
// known.
func (e *Entry) need(values ...*graph.Value) {
	for _, v := range values {
		if e.Unknown == nil && v != nil && !v.Known() {
			e.Unknown = v
		}
	}
}

func value(el *graph.Value, names ...string) *graph.Value {
	if a := el.Get(names...); a != nil {
		return a.Value
	}
	return nil
}

// opens reports whether the entry's protocol and ports contain tcp port p.
func (e *Entry) opens(p int) bool {
	return e.Protocol == ec2.All || e.Protocol == ec2.TCP && e.From <= p && p <= e.To
}

// allTraffic reports whether the entry concerns every protocol, or every tcp or udp port.
func (e *Entry) allTraffic() bool {
	return e.Protocol == ec2.All || (e.Protocol == ec2.TCP || e.Protocol == ec2.UDP) && e.From <= 1 && e.To >= 65535
}

// byACL groups the inbound entries by ACL, each group sorted by rule number: the order
// AWS evaluates them in.
func byACL(entries []*Entry) map[string][]*Entry {
	out := map[string][]*Entry{}
	for _, e := range entries {
		if !e.Egress {
			out[e.ACL] = append(out[e.ACL], e)
		}
	}
	for _, es := range out {
		slices.SortStableFunc(es, func(a, b *Entry) int { return cmp.Compare(a.Number, b.Number) })
	}
	return out
}
