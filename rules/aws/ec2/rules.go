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

// Rules is the family, in ID order.
var Rules = byID(append(serviceRules(), PortRange, UnrestrictedEgress, UncommonPort, AllPorts))

// tags are shared by every rule of the family: all are about network access control.
var tags = []string{"security", "aws", "ec2", "network", "CWE-284"}

func byID(rs []*rules.Rule) []*rules.Rule {
	slices.SortFunc(rs, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return rs
}

// exposed keeps the permissions a rule can judge: known protocol and ports, and at least
// one world source. The view is shared by every rule, so it is filtered into a new slice.
func exposed(ps []*Permission) []*Permission {
	var out []*Permission
	for _, p := range ps {
		if !p.Unknown && len(p.World) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// reportWorld reports one finding per world source of p, at that source, with the message
// prefix followed by the CIDR as written. Each finding's fix closes its source; it is only
// a suggestion, for the reason suggest gives, when suggest is not "".
func reportWorld(ctx *rules.Context, p *Permission, prefix, suggest string) {
	for _, w := range p.World {
		var opts []rules.ReportOption
		if c, ok := closeWorld(ctx.Graph, p, w); ok {
			opts = append(opts, c.option(suggest))
		}
		ctx.Report(p.Resource, w, prefix+" "+w.Str, opts...)
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
