package ec2

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// Permission is one security-group rule, whatever shape declared it: an inline
// `ingress`/`egress` block (or `ingress = [{...}]` item) of aws_security_group or
// aws_default_security_group, an aws_security_group_rule, an
// aws_vpc_security_group_ingress_rule/egress_rule, a SecurityGroupIngress/Egress item of
// AWS::EC2::SecurityGroup, or a standalone AWS::EC2::SecurityGroupIngress/Egress.
type Permission struct {
	// Resource declares the permission: the group for inline rules, else the rule resource.
	Resource *graph.Resource
	// Group is the security group the permission belongs to, or nil when it is not in the
	// scan (a literal ID, a data source, an Unknown value).
	Group *graph.Resource
	// Element is the inline block or list item, or the rule resource's body: what a fix
	// deletes when the permission goes as a whole.
	Element *graph.Value

	Protocol      Protocol
	ProtocolValue *graph.Value // nil when absent
	// From and To are the port range for tcp and udp, 0-65535 for all protocols. For icmp
	// and icmpv6 both hold the ICMP type, -1 for every type.
	From, To           int
	FromValue, ToValue *graph.Value // nil when absent

	// World holds each world source (0.0.0.0/0, ::/0) as its own value: the list item
	// itself, so that a finding and its fix point at exactly that CIDR.
	World []*graph.Value
	// OtherSources is set when sources besides World exist: other CIDRs, security groups,
	// prefix lists, self, or sources that are not statically known. Removing the world
	// sources then leaves the permission in place.
	OtherSources bool
	// UnknownSources are the CIDR lists and items that are not statically known: any of
	// them may be the world.
	UnknownSources []*graph.Value
	// Unknown is set when the protocol or a port is not statically known, or missing where
	// AWS requires it: no rule matches such a permission (RULES.md decision 5).
	Unknown bool
	// UnknownAt is the value that makes the permission Unknown when it is not statically
	// known (a missing port is not), with why: the protocol, a port, a rule's `type`, or
	// the whole permission (`ingress = var.rules`, an `!If` on an unknown condition).
	UnknownAt  *graph.Value
	UnknownWhy string

	outbound bool // an egress permission: the internet reaching its group changes nothing
}

// direction names where the permissions of one direction are declared.
type direction struct {
	inline   []string   // the group's blocks or lists, TF and CFN spellings
	ruleType string     // aws_security_group_rule `type`
	kind     graph.Kind // the one-rule resources
}

var (
	ingress = direction{[]string{"ingress", "SecurityGroupIngress"}, "ingress", graph.VPCSecurityGroupIngressRule}
	egress  = direction{[]string{"egress", "SecurityGroupEgress"}, "egress", graph.VPCSecurityGroupEgressRule}
)

// Attribute names of the sources, Terraform and CloudFormation spellings.
var (
	cidrAttrs = []string{"cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6", "CidrIp", "CidrIpv6"}
	peerAttrs = []string{
		"security_groups", "source_security_group_id", "referenced_security_group_id",
		"prefix_list_ids", "prefix_list_id",
		"SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId",
		"DestinationSecurityGroupId", "DestinationPrefixListId",
	}
)

// Ingress returns every inbound permission of the graph, in graph order.
func Ingress(g *graph.Graph) []*Permission { return ingress.permissions(g) }

// Egress returns every outbound permission of the graph, in graph order.
func Egress(g *graph.Graph) []*Permission { return egress.permissions(g) }

func (d direction) permissions(g *graph.Graph) []*Permission {
	var out []*Permission
	for _, r := range g.OfKind(graph.SecurityGroup, graph.DefaultSecurityGroup, graph.SecurityGroupRule, d.kind) {
		group := groupOf(r)
		for _, el := range d.elements(r) {
			p := newPermission(r, group, el)
			p.outbound = d.ruleType == "egress"
			if r.Kind == graph.SecurityGroupRule {
				p.unknownType(r.Body.Lookup("type"))
			}
			out = append(out, p)
		}
		if isGroup(r) {
			for _, dyn := range r.Body.DynamicBlocks(d.inline...) {
				p := dynamicPermission(r, group, dyn)
				p.outbound = d.ruleType == "egress"
				out = append(out, p)
			}
		}
	}
	return out
}

// dynamicPermission is what an unexpanded `dynamic` block may generate: the permission its
// content describes, Unknown as the block may generate none, or several from other values.
// Its known protocol and ports still tell which rules it may concern.
func dynamicPermission(r, group *graph.Resource, dyn *graph.Attribute) *Permission {
	blockUnknown := &graph.Value{Type: graph.Unknown, Range: dyn.Range}
	content := dyn.Value.Lookup("content")
	if content == nil || content.Type != graph.Map {
		content = blockUnknown
	}
	p := newPermission(r, group, content)
	if p.UnknownAt == nil {
		forEach := dyn.Value.Lookup("for_each")
		if forEach.Known() || forEach == nil {
			forEach = blockUnknown
		}
		p.Unknown, p.UnknownAt, p.UnknownWhy = true, forEach, "dynamic block for_each is not known statically"
	}
	return p
}

// elements returns the values of r that each hold one permission of direction d: for an
// aws_security_group_rule whose `type` is not statically known, of either direction.
func (d direction) elements(r *graph.Resource) []*graph.Value {
	switch r.Kind {
	case graph.SecurityGroup, graph.DefaultSecurityGroup:
		// Other values than maps are null or not statically known (`ingress = var.rules`,
		// an `!If` on an unknown condition): the latter become Unknown permissions.
		return slices.DeleteFunc(r.Body.Elements(d.inline...), func(v *graph.Value) bool { return v.Type != graph.Map && v.Known() })
	case graph.SecurityGroupRule:
		typ := r.Body.Lookup("type")
		if t, ok := typ.AsString(); typ.Known() && (!ok || !strings.EqualFold(t, d.ruleType)) {
			return nil
		}
	}
	return []*graph.Value{r.Body}
}

// groupOf returns the group a resource's permissions belong to: the resource itself for
// a group, else the group its security_group_id / GroupId references.
func groupOf(r *graph.Resource) *graph.Resource {
	if isGroup(r) {
		return r
	}
	id := r.Get("security_group_id", "GroupId")
	if id == nil {
		return nil
	}
	for _, ref := range id.Value.Refs {
		if isGroup(ref.Target) {
			return ref.Target
		}
	}
	return nil
}

func isGroup(r *graph.Resource) bool {
	return r != nil && (r.Kind == graph.SecurityGroup || r.Kind == graph.DefaultSecurityGroup)
}

func newPermission(r, group *graph.Resource, el *graph.Value) *Permission {
	p := &Permission{Resource: r, Group: group, Element: el}
	if !el.Known() {
		p.Unknown, p.UnknownAt, p.UnknownWhy = true, el, "security group rule is not known statically"
		p.UnknownSources = []*graph.Value{el}
		return p
	}
	p.ProtocolValue = valueOf(el, "protocol", "ip_protocol", "IpProtocol")
	p.FromValue = valueOf(el, "from_port", "FromPort")
	p.ToValue = valueOf(el, "to_port", "ToPort")
	p.resolvePorts()
	for _, a := range el.Attrs {
		p.addSource(a)
	}
	return p
}

// unknownType makes a rule resource whose `type` is not statically known Unknown: it is
// listed in both directions, and in neither may it be judged. A permission already
// Unknown keeps the value it is Unknown at.
func (p *Permission) unknownType(typ *graph.Value) {
	if typ != nil && !typ.Known() && !p.Unknown {
		p.Unknown, p.UnknownAt, p.UnknownWhy = true, typ, "security group rule type is not known statically"
	}
}

func valueOf(el *graph.Value, names ...string) *graph.Value {
	if a := el.Get(names...); a != nil {
		return a.Value
	}
	return nil
}

// resolvePorts normalises the protocol and the port range.
func (p *Permission) resolvePorts() {
	name, ok := p.ProtocolValue.AsString()
	if !ok {
		p.unknown("protocol is not known statically", p.ProtocolValue)
		return
	}
	p.Protocol = ParseProtocol(name)
	switch p.Protocol {
	case All:
		// Ports are ignored: Terraform writes 0/0, CloudFormation -1 or nothing.
		p.From, p.To = 0, 65535
	case TCP, UDP:
		from, fromOK := p.FromValue.AsInt()
		to, toOK := p.ToValue.AsInt()
		p.From, p.To = from, to
		if !fromOK || !toOK {
			p.unknown("port is not known statically", p.FromValue, p.ToValue)
		}
	case ICMP, ICMPv6:
		p.From = -1 // an omitted type means every type
		if p.FromValue != nil && p.FromValue.Type != graph.Null {
			if p.From, ok = p.FromValue.AsInt(); !ok {
				p.unknown("icmp type is not known statically", p.FromValue)
			}
		}
		p.To = p.From
	}
}

// unknown marks the permission Unknown, at the first of values that is not statically
// known, if any: the others are missing or malformed, which is no unresolved check.
func (p *Permission) unknown(why string, values ...*graph.Value) {
	p.Unknown = true
	for _, v := range values {
		if v != nil && !v.Known() {
			p.UnknownAt, p.UnknownWhy = v, why
			return
		}
	}
}

// addSource files the values of a source attribute under World or OtherSources.
func (p *Permission) addSource(a *graph.Attribute) {
	v := a.Value
	switch {
	case slices.Contains(cidrAttrs, a.Name):
		items := []*graph.Value{v}
		if v.Type == graph.List {
			items = v.Items
		}
		for _, it := range items {
			switch {
			case it.Type == graph.String && IsWorld(it.Str):
				p.World = append(p.World, it)
			case !it.Known():
				p.UnknownSources = append(p.UnknownSources, it)
				p.OtherSources = true
			case it.Type != graph.Null:
				p.OtherSources = true
			}
		}
	case slices.Contains(peerAttrs, a.Name):
		p.OtherSources = p.OtherSources || present(v)
	case a.Name == "self":
		p.OtherSources = p.OtherSources || present(v) && !v.IsFalse()
	}
}

// present reports whether v sets something: not null, not an empty list.
func present(v *graph.Value) bool {
	return v.Type != graph.Null && (v.Type != graph.List || len(v.Items) > 0)
}

// IsWorld reports whether cidr is the whole address space: 0.0.0.0/0, ::/0 or any other
// spelling of a zero-length prefix (such as 0:0:0:0:0:0:0:0/0).
func IsWorld(cidr string) bool {
	prefix, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	return err == nil && prefix.Bits() == 0
}

// AllPorts reports whether the permission opens every port: all protocols, or tcp/udp
// over 0-65535 (1-65535 too: port 0 is reserved and carries no service).
func (p *Permission) AllPorts() bool {
	return p.Protocol == All || p.hasPorts() && p.From <= 1 && p.To >= 65535
}

// hasPorts reports whether the protocol has ports (tcp or udp).
func (p *Permission) hasPorts() bool { return p.Protocol == TCP || p.Protocol == UDP }

// Ports describes protocol and ports for messages: "tcp/22", "udp/20-25", "icmp all
// types", "all protocols and ports", "protocol 50".
func (p *Permission) Ports() string {
	switch {
	case p.Protocol == All:
		return "all protocols and ports"
	case p.Protocol == Other:
		name, _ := p.ProtocolValue.AsString()
		return "protocol " + name
	case p.hasPorts() && p.From != p.To:
		return fmt.Sprintf("%s/%d-%d", p.Protocol, p.From, p.To)
	}
	return port{p.Protocol, p.From}.String()
}
