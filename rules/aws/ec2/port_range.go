package ec2

import "github.com/iacscan/iacscan/rules"

// PortRange is AWS-EC2-001: a world-open range of ports.
var PortRange = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-001",
		Name:  "sg-open-port-range",
		Title: "Security group opens a port range to the internet",
		Description: "A tcp or udp security group rule with from_port different from to_port allows a range of ports from 0.0.0.0/0 or ::/0. " +
			"Ranges open more than the service needs, often forgotten debug or ephemeral ports, and hide what is really exposed. " +
			"The named port rules still report each service port inside the range; ranges covering every port are reported by AWS-EC2-105 instead." + escalationDoc,
		Remediation: "Replace the range with one rule per port the service needs, and keep world access only where it is intended. " +
			"Terraform: set `from_port` and `to_port` to the same port on the `ingress` block, `aws_security_group_rule` or `aws_vpc_security_group_ingress_rule`. " +
			"CloudFormation: set `FromPort` equal to `ToPort` on the `SecurityGroupIngress` item or `AWS::EC2::SecurityGroupIngress`. " +
			"Where a range is needed (passive FTP, media servers), allow it only from the client address ranges.",
		Severity: rules.Medium,
		Tags:     tags,
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkPortRange,
}

func checkPortRange(ctx *rules.Context) {
	for _, p := range exposed(ctx, ingressOf(ctx), isRange) {
		reportWorld(ctx, p, "security group rule allows port range "+p.Ports()+" from",
			"closing the world source closes every port of the range; replacing the range with the ports the service needs is a design decision")
	}
}

// isRange reports whether p opens a tcp or udp range short of every port.
func isRange(p *Permission) bool { return p.hasPorts() && p.From < p.To && !p.AllPorts() }
