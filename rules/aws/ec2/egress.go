package ec2

import "github.com/iacscan/iacscan/rules"

// UnrestrictedEgress is AWS-EC2-033: outbound traffic to the whole internet.
var UnrestrictedEgress = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-033",
		Name:  "sg-unrestricted-egress",
		Title: "Security group allows egress to the internet",
		Description: "A security group egress rule allows traffic to 0.0.0.0/0 or ::/0, whatever its protocol and ports. " +
			"Unrestricted egress lets a compromised workload download tooling and exfiltrate data anywhere. " +
			"It is also the AWS default for new groups, so the rule is off by default (RULES.md decision 3); enable it where egress must be controlled.",
		Remediation: "Allow egress only to the destinations the workload needs: VPC endpoints (through their prefix lists), specific ranges or security groups. " +
			"Terraform: replace `0.0.0.0/0` / `::/0` in the `egress` block's or `aws_security_group_rule`'s `cidr_blocks` / `ipv6_cidr_blocks` (or `cidr_ipv4` / `cidr_ipv6` of `aws_vpc_security_group_egress_rule`) with specific ranges or `prefix_list_ids`. " +
			"CloudFormation: replace `CidrIp` / `CidrIpv6` of the `SecurityGroupEgress` item or `AWS::EC2::SecurityGroupEgress` with a specific range, `DestinationPrefixListId` or `DestinationSecurityGroupId`.",
		Severity:   rules.Medium,
		Tags:       tags,
		Formats:    rules.AllFormats,
		Fix:        rules.FixSuggest,
		DefaultOff: true,
	},
	Check: checkEgress,
}

func checkEgress(ctx *rules.Context) {
	for _, p := range exposed(ctx, egressOf(ctx), func(*Permission) bool { return true }) {
		reportWorld(ctx, p, "security group rule allows egress on "+p.Ports()+" to",
			"the workload may need to reach the internet; allow only the destinations it needs")
	}
}
