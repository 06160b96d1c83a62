package ec2

import (
	"slices"

	"github.com/iacscan/iacscan/rules"
)

// allowedPorts is the parameter holding the ports (tcp or udp) that may be open to the
// world without an AWS-EC2-034 finding: public web traffic by default.
const allowedPorts = "allowed-ports"

// UncommonPort is AWS-EC2-034: world ingress on ports no named rule covers.
var UncommonPort = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-034",
		Name:  "sg-open-uncommon-port",
		Title: "Security group allows an uncommon port from the internet",
		Description: "A tcp or udp security group rule allows from 0.0.0.0/0 or ::/0 a port that is neither a public web port (80, 443) nor the port of a named service rule. " +
			"Precisely, it fires when the security group rule's port range contains no port of any named port rule " +
			"(AWS-EC2-002..008, 038..045, 063..065, 074, 075, 101..104, enabled or not) and at least one port other than 80 and 443. " +
			"A named rule thus wins over this one, for a single port and for a range that also holds uncommon ports (AWS-EC2-001 reports the range itself); " +
			"rules opening every port are AWS-EC2-105's, and ICMP and other protocols without ports are out of scope. " +
			"Uncommon ports are typically admin consoles, debug endpoints and home-grown services that were never meant to face the internet." + escalationDoc,
		Remediation: "Allow the port only from the sources that need it, or put the service behind a load balancer on 80/443. " +
			"Terraform: replace `0.0.0.0/0` / `::/0` in `cidr_blocks` / `ipv6_cidr_blocks` (or `cidr_ipv4` / `cidr_ipv6` of `aws_vpc_security_group_ingress_rule`) with a specific range or use a security group reference. " +
			"CloudFormation: replace `CidrIp: 0.0.0.0/0` / `CidrIpv6: ::/0` with a specific range or `SourceSecurityGroupId`.",
		Severity: rules.High,
		Tags:     tags,
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
		Params: []rules.Param{{
			Name:        allowedPorts,
			Description: "Ports that may be open to the internet without a finding.",
			Value:       []int{80, 443},
		}},
	},
	Check: checkUncommonPort,
}

func checkUncommonPort(ctx *rules.Context) {
	// Sorted and without duplicates: uncommon counts the allowed ports in a range.
	allowList := slices.Compact(slices.Sorted(slices.Values(ctx.Ints(allowedPorts))))
	for _, p := range exposed(ctx, ingressOf(ctx), func(p *Permission) bool { return uncommon(p, allowList) }) {
		what := "uncommon port "
		if p.From != p.To {
			what = "uncommon ports "
		}
		reportWorld(ctx, p, "security group rule allows "+what+p.Ports()+" from",
			"the port may be meant to be public; allow it only from the sources that need it")
	}
}

// uncommon reports whether p is a tcp/udp permission short of all ports that opens no
// named service port and at least one port outside allowList.
func uncommon(p *Permission, allowList []int) bool {
	if !p.hasPorts() || p.AllPorts() || named(p) {
		return false
	}
	allowed := 0
	for _, n := range allowList {
		if p.From <= n && n <= p.To {
			allowed++
		}
	}
	return p.To-p.From+1 > allowed
}
