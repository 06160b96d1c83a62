package ec2

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/exposure"
)

// escalationDoc documents the graph escalation in the description of every inbound rule
// of the family (RULES.md 1.2 and section 4).
const escalationDoc = " The finding is raised one severity level (critical stays critical) when the group is attached to a resource the internet reaches: " +
	"an instance, launch template or launch configuration with a public IP (`associate_public_ip_address`, a subnet with `map_public_ip_on_launch`, including the subnets an auto scaling group launches the template into, an Elastic IP or EIP association), " +
	"an internet-facing load balancer, an instance or auto scaling group behind one when the rule opens the target group's port, or a database with `publicly_accessible` (an Aurora cluster through a publicly accessible instance). " +
	"The path (group, attachment, public IP or load balancer) is given as related locations. " +
	"A group attached to nothing reachable, or only through values not statically known (a data-source subnet, a variable), keeps the base severity; " +
	"HTTP and HTTPS (AWS-EC2-064/065) are not raised for an internet-facing load balancer, which exists to serve them."

// escalation returns the options raising a finding on the inbound permission p when the
// internet reaches a resource its group is attached to, and the message suffix saying so.
// With web set (the HTTP and HTTPS rules) load balancers do not count: serving the web to
// the internet is what an internet-facing load balancer is for.
func escalation(ctx *rules.Context, p *Permission, web bool) (string, []rules.ReportOption) {
	if p.Group == nil || p.outbound {
		return "", nil
	}
	var skip func(*graph.Resource) bool
	if web {
		skip = exposure.IsLoadBalancer
	}
	reached, path, ok := exposure.Of(ctx).Exposed(p.Group, p.Opens, skip)
	if !ok {
		return "", nil
	}
	opts := []rules.ReportOption{rules.WithRaisedSeverity(), rules.WithPath(path...)}
	return "; severity raised: the group is attached to " + reached.ID.Address + ", which the internet reaches", opts
}

// Opens reports whether the permission lets traffic in on the tcp or udp port: an
// all-protocols permission opens every port.
func (p *Permission) Opens(port int) bool {
	return p.Protocol == All || p.hasPorts() && p.From <= port && port <= p.To
}

// WorldOpenOnPort reports whether a security group attached to r (a database, an
// instance, ...) allows the port from the whole internet, so that a rule about r can
// escalate (AWS-RDS-008 raises a publicly accessible database to critical when its group
// is also world-open on the database port). The related locations are the path: the
// group, where it is attached to r, and the world source of the permission. Permissions
// whose protocol or ports are not statically known never match.
func WorldOpenOnPort(ctx *rules.Context, r *graph.Resource, port int) ([]rules.Related, bool) {
	view := exposure.Of(ctx)
	for _, p := range ingressOf(ctx) {
		if p.Unknown || p.Group == nil || len(p.World) == 0 || !p.Opens(port) {
			continue
		}
		for _, a := range view.Attachments(p.Group) {
			if a.Resource != r {
				continue
			}
			return []rules.Related{
				{Range: p.Group.Header, Message: "security group " + p.Group.ID.Address},
				{Range: a.At.Range, Message: "attached to " + r.ID.Address + " here"},
				{Range: p.World[0].Range, Message: fmt.Sprintf("allows %s from %s", p.Ports(), p.World[0].Str)},
			}, true
		}
	}
	return nil, false
}
