package ec2

import (
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// AllPorts is AWS-EC2-105: every protocol, or every tcp/udp port, open to the internet.
var AllPorts = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-105",
		Name:  "sg-open-all-ports",
		Title: "Security group allows all traffic from the internet",
		Description: "A security group rule allows all protocols (`-1`), or every tcp or udp port (0-65535; 1-65535 counts too, port 0 carries no service), from 0.0.0.0/0 or ::/0. " +
			"Every service on the attached resources, including ones started later, is reachable by anyone. " +
			"Such a rule is reported once, here, not once per named service port, port range or uncommon port." + escalationDoc,
		Remediation: "Delete the all-traffic rule and allow only the ports the workload serves, each from the sources that need it. " +
			"Terraform: remove the `ingress` block or `aws_security_group_rule` with `protocol = \"-1\"` (or `from_port = 0`, `to_port = 65535`) and `cidr_blocks = [\"0.0.0.0/0\"]`, or the `aws_vpc_security_group_ingress_rule` with `ip_protocol = \"-1\"`. " +
			"CloudFormation: remove the `SecurityGroupIngress` item or `AWS::EC2::SecurityGroupIngress` with `IpProtocol: -1` and `CidrIp: 0.0.0.0/0`. " +
			"When the group has no other rule, add the specific rules first so that required access is not cut.",
		Severity: rules.High,
		Tags:     tags,
		Formats:  rules.AllFormats,
		Fix:      rules.FixGuarded,
	},
	Check: checkAllPorts,
}

// checkAllPorts reports all-traffic permissions. Closing one is written by --fix only when
// its group also has specific rules (RULES.md 3.3): otherwise the fix may cut access the
// workload needs, and it is a suggestion.
func checkAllPorts(ctx *rules.Context) {
	all := ingressOf(ctx)
	for _, p := range exposed(ctx, all, (*Permission).AllPorts) {
		guard := ""
		if !slices.ContainsFunc(all, func(q *Permission) bool { return q.specificIn(p.Group) }) {
			guard = "the group has no specific ingress rule besides it, so closing it may cut access the workload needs"
		}
		what := "all protocols and ports"
		if p.Protocol != All {
			what = "all ports (" + p.Ports() + ")"
		}
		reportWorld(ctx, p, "security group rule allows "+what+" from", guard)
	}
}

// specificIn reports whether p is a statically known permission of group that opens less
// than every port.
func (p *Permission) specificIn(group *graph.Resource) bool {
	return group != nil && p.Group == group && !p.Unknown && !p.AllPorts()
}
