package vpc

import (
	"fmt"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
)

// NACLIngress is AWS-VPC-017: a network ACL lets the whole internet in to an admin port,
// or lets all traffic in.
var NACLIngress = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-VPC-017",
		Name:  "nacl-open-admin-or-all",
		Title: "Network ACL allows SSH, RDP or all traffic from the internet",
		Description: "A network ACL inbound entry allows SSH (tcp/22), RDP (tcp/3389), or all traffic (protocol `-1`, or every tcp or udp port) from 0.0.0.0/0 or ::/0. " +
			"Network ACLs are the subnet-wide layer under security groups: an open entry leaves the instances of every subnet using the ACL one security-group mistake away from the internet. " +
			"Entries are evaluated as AWS does, in rule-number order, so an allow that a lower-numbered deny of the same traffic from the same world range precedes is not reported. " +
			"Web and ephemeral ports, which public subnets legitimately open, are out of scope. " +
			"Entries that are not statically known (a variable rule number, action or CIDR) are listed as unresolved, never guessed.",
		Remediation: "Allow SSH and RDP only from the address ranges of your administrators or VPN, and replace an all-traffic allow with entries for the ports the subnet serves. " +
			"Terraform: change `cidr_block` / `ipv6_cidr_block` of the `ingress` block of `aws_network_acl` or of the `aws_network_acl_rule`, or add a lower-numbered `deny` entry. " +
			"CloudFormation: change `CidrBlock` / `Ipv6CidrBlock` of the `AWS::EC2::NetworkAclEntry`, or add one with a lower `RuleNumber` and `RuleAction: deny`. " +
			"For administration prefer AWS Systems Manager Session Manager, which needs no inbound port at all.",
		Severity: rules.High,
		Tags:     tags("nacl", "CWE-284"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkNACLIngress,
}

// adminPorts are the tcp ports VPC-017 reports besides all traffic (Conformity VPC-017).
var adminPorts = []struct {
	port int
	name string
}{{22, "SSH"}, {3389, "RDP"}}

func checkNACLIngress(ctx *rules.Context) {
	entries := Entries(ctx.Graph)
	groups := byACL(entries)
	for _, e := range entries {
		if e.Egress || e.ActionKnown && !e.Allow {
			continue
		}
		if e.Unknown != nil {
			if e.World || e.Source == nil || !e.Source.Known() {
				ctx.Unresolved(e.Resource, e.Unknown, "network ACL entry is not known statically")
			}
			continue
		}
		if !e.World {
			continue
		}
		checkEntry(ctx, e, groups[e.ACL])
	}
}

// checkEntry reports a world allow: as all traffic, else once for each admin port it
// opens, unless an entry evaluated before it denies that traffic from the same range.
func checkEntry(ctx *rules.Context, e *Entry, acl []*Entry) {
	if e.allTraffic() {
		what := "all traffic"
		if e.Protocol != ec2.All {
			what = fmt.Sprintf("every %s port", e.Protocol)
		}
		covers := func(d *Entry) bool {
			return d.Protocol == ec2.All || d.Protocol == e.Protocol && d.From <= e.From && d.To >= e.To
		}
		if before, ok := decided(ctx, e, acl, covers); ok && before == nil {
			report(ctx, e, what)
		}
		return
	}
	if e.ephemeral() {
		return
	}
	for _, p := range adminPorts {
		if !e.opens(p.port) {
			continue
		}
		if before, ok := decided(ctx, e, acl, func(d *Entry) bool { return d.opens(p.port) }); ok && before == nil {
			report(ctx, e, fmt.Sprintf("%s (tcp/%d)", p.name, p.port))
		}
	}
}

// decided looks at the entries AWS evaluates before e, for a deny of the traffic covers
// accepts from a range containing e's world range. It returns the deny, or nil; ok is false
// when an entry that is not statically known may be such a deny (it is then recorded as
// unresolved for e).
func decided(ctx *rules.Context, e *Entry, acl []*Entry, covers func(*Entry) bool) (deny *Entry, ok bool) {
	for _, d := range acl {
		if d == e || d.NumberKnown && d.Number >= e.Number || d.ActionKnown && d.Allow {
			continue
		}
		if d.Unknown != nil {
			ctx.Unresolved(e.Resource, d.Unknown, "an entry that may be evaluated first is not known statically")
			return nil, false
		}
		if !d.Allow && d.World && d.IPv6 == e.IPv6 && covers(d) {
			return d, true
		}
	}
	return nil, true
}

func report(ctx *rules.Context, e *Entry, what string) {
	msg := fmt.Sprintf("network ACL rule %d allows %s from %s", e.Number, what, e.Source.Str)
	ctx.Report(e.Resource, e.Source, msg, rules.WithFix(rules.FixSuggest,
		fmt.Sprintf("remove the network ACL entry (rule %d); a suggestion because the subnets may need the traffic: allow it only from the ranges that need it", e.Number),
		e.Remove))
}

// ephemeral reports whether the entry is the return-traffic range AWS documents for
// public subnets (1024-65535, or a part of it reaching its top): network ACLs are
// stateless, so such an entry is how responses get back in, and the admin ports it
// happens to contain are not what it opens.
func (e *Entry) ephemeral() bool { return e.From >= 1024 && e.To == 65535 }
