// Package ec2 holds the security-group rules: world-open service ports, port ranges, all
// ports, uncommon ports and unrestricted egress. Every rule reads the Permission view
// (Ingress, Egress), which makes Terraform inline blocks, rule resources and the
// CloudFormation shapes look alike, so each check is written once for every format.
package ec2

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/rules"
)

// Rules is the family of rules over security-group permissions, in ID order.
var Rules = byID(append(serviceRules(), PortRange, UnrestrictedEgress, UncommonPort, AllPorts))

// GraphRules are the rules over the exposure view rather than permissions, in ID order:
// unused groups and public IPs. They are kept apart so that the permission rules can be
// run over examples without every example group being reported as unused.
var GraphRules = []*rules.Rule{UnusedGroup, PublicIP}

// tags are shared by every rule of the family: all are about network access control.
var tags = []string{"security", "aws", "ec2", "network", "CWE-284"}

func byID(rs []*rules.Rule) []*rules.Rule {
	slices.SortFunc(rs, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return rs
}

// exposed returns the permissions of ps the rule can judge and that matches accepts:
// known protocol and ports, and at least one world source. The view is shared by every
// rule, so it is filtered into a new slice.
//
// What is not known is recorded as unresolved for the rule, never guessed (RULES.md
// decision 5): a permission with a world or unknown source but an unknown protocol, port
// or shape, at that value (whether the rule would match is unknown too); and, in a
// permission the rule matches, each source that is not known, as it may be the world.
func exposed(ctx *rules.Context, ps []*Permission, matches func(*Permission) bool) []*Permission {
	var out []*Permission
	for _, p := range ps {
		switch {
		case p.Unknown:
			if p.UnknownAt != nil && (len(p.World) > 0 || len(p.UnknownSources) > 0) && mayMatch(p, matches) {
				ctx.Unresolved(p.Resource, p.UnknownAt, p.UnknownWhy)
			}
		case matches(p):
			for _, v := range p.UnknownSources {
				ctx.Unresolved(p.Resource, v, "source cidr is not known statically")
			}
			if len(p.World) > 0 {
				out = append(out, p)
			}
		}
	}
	return out
}

// mayMatch reports whether matches may accept the Unknown permission p once what is not
// known is: always when its protocol is not known, else for some port range of its
// protocol when its ports are not known (a tcp rule never concerns the ICMP rule), else
// for its own ports (a rule resource whose `type` alone is not known).
func mayMatch(p *Permission, matches func(*Permission) bool) bool {
	if !p.ProtocolValue.Known() {
		return true
	}
	probe := *p
	probe.Unknown = false
	ranges := [][2]int{{p.From, p.To}}
	if p.UnknownAt == p.FromValue || p.UnknownAt == p.ToValue {
		ranges = probeRanges
	}
	for _, r := range ranges {
		probe.From, probe.To = r[0], r[1]
		if matches(&probe) {
			return true
		}
	}
	return false
}

// probeRanges are port ranges that, between them, every rule of the family matches for
// each protocol it concerns: every service port, every ICMP type, all ports, and a range
// of uncommon ports.
var probeRanges = func() [][2]int {
	out := [][2]int{{-1, -1}, {0, 65535}, {1024, 1025}}
	for _, s := range services {
		for _, pt := range s.ports {
			out = append(out, [2]int{pt.number, pt.number})
		}
	}
	return out
}()

// reportWorld reports one finding per world source of p, at that source, with the message
// prefix followed by the CIDR as written. Each finding's fix closes its source; it is only
// a suggestion, for the reason suggest gives, when suggest is not "".
//
// An inbound finding is raised one severity level, with the path as related locations,
// when the internet reaches a resource the permission's group is attached to.
func reportWorld(ctx *rules.Context, p *Permission, prefix, suggest string) {
	reportWorldWeb(ctx, p, prefix, suggest, false)
}

// reportWorldWeb is reportWorld for the web port rules when web is set: their findings
// are not raised for an internet-facing load balancer.
func reportWorldWeb(ctx *rules.Context, p *Permission, prefix, suggest string, web bool) {
	raised, escalate := escalation(ctx, p, web)
	for _, w := range p.World {
		opts := slices.Clone(escalate)
		if c, ok := closeWorld(ctx.Graph, p, w); ok {
			opts = append(opts, c.option(suggest))
		}
		ctx.Report(p.Resource, w, prefix+" "+w.Str+raised, opts...)
	}
}

type ingressKey struct{}
type egressKey struct{}

// ingressOf and egressOf return the permission views of the scan, built once and shared by
// the security-group rules.
func ingressOf(ctx *rules.Context) []*Permission {
	return rules.Memo(ctx, ingressKey{}, func() []*Permission { return Ingress(ctx.Graph) })
}

func egressOf(ctx *rules.Context) []*Permission {
	return rules.Memo(ctx, egressKey{}, func() []*Permission { return Egress(ctx.Graph) })
}
