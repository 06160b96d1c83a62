package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/rules"
)

// service is one row of the port table behind the named port rules (RULES.md 3.3): every
// such rule is the same check, parametrised by the service's ports.
type service struct {
	id, slug, name string
	ports          []port
	severity       rules.Severity
	defaultOff     bool
	web            bool   // public web traffic: not raised for an internet-facing load balancer
	risk           string // why exposing it matters: the rule's description
	advice         string // the service-specific half of the remediation
}

func tcp(n int) port { return port{TCP, n} }
func udp(n int) port { return port{UDP, n} }

const dbAdvice = "Databases belong in private subnets: allow only the application tier's security group (`referenced_security_group_id` / `source_security_group_id` in Terraform, `SourceSecurityGroupId` in CloudFormation)."

// services is the port table, in ID order.
var services = []service{
	{id: "AWS-EC2-002", slug: "ssh", name: "SSH", ports: []port{tcp(22)},
		risk:   "SSH reachable from anywhere is scanned and brute-forced around the clock; one weak key or unpatched daemon gives an attacker a shell.",
		advice: "For administration prefer AWS Systems Manager Session Manager, or allow only a VPN or bastion address range."},
	{id: "AWS-EC2-003", slug: "rdp", name: "RDP", ports: []port{tcp(3389)},
		risk:   "Remote Desktop reachable from anywhere is a leading ransomware entry point, through password spraying and RDP vulnerabilities such as BlueKeep.",
		advice: "Reach Windows hosts through Session Manager port forwarding or a VPN, or allow only the administrators' address range."},
	{id: "AWS-EC2-004", slug: "oracle", name: "Oracle DB", ports: []port{tcp(1521)},
		risk:   "An Oracle listener reachable from anywhere invites credential guessing and listener exploits against the database.",
		advice: dbAdvice},
	{id: "AWS-EC2-005", slug: "mysql", name: "MySQL", ports: []port{tcp(3306)},
		risk:   "MySQL reachable from anywhere invites password brute force and exploits of the server, and puts the data one leaked credential away from theft.",
		advice: dbAdvice},
	{id: "AWS-EC2-006", slug: "postgresql", name: "PostgreSQL", ports: []port{tcp(5432)},
		risk:   "PostgreSQL reachable from anywhere is mass-scanned for weak passwords; compromised servers are used for cryptomining through COPY ... PROGRAM.",
		advice: dbAdvice},
	{id: "AWS-EC2-007", slug: "dns", name: "DNS", ports: []port{tcp(53), udp(53)},
		risk:   "A DNS server open to the internet becomes an open resolver abused for amplification attacks, and can leak internal names through zone transfers.",
		advice: "Allow only the client ranges that resolve through this server; for VPC resolution use Route 53 Resolver endpoints."},
	{id: "AWS-EC2-008", slug: "mssql", name: "MS SQL Server", ports: []port{tcp(1433)},
		risk:   "SQL Server reachable from anywhere is brute-forced for the sa login, and a compromised server runs commands through xp_cmdshell.",
		advice: dbAdvice},
	{id: "AWS-EC2-038", slug: "telnet", name: "Telnet", ports: []port{tcp(23)},
		risk:   "Telnet sends credentials in clear text and is the first port botnets such as Mirai try.",
		advice: "Replace telnet with SSH through Session Manager and delete the rule."},
	{id: "AWS-EC2-039", slug: "smtp", name: "SMTP", ports: []port{tcp(25)},
		risk:   "An SMTP port open to the internet invites relay abuse and spam; servers that must receive internet mail are rare and deliberate.",
		advice: "Allow only the mail relays or address ranges that deliver to this host; send mail through Amazon SES."},
	{id: "AWS-EC2-040", slug: "rpc", name: "MS RPC", ports: []port{tcp(135)},
		risk:   "The Microsoft RPC endpoint mapper exposes Windows services to remote exploits; worms such as Blaster spread through it.",
		advice: "Windows management traffic belongs inside the VPC: allow only the security groups of the hosts that need it."},
	{id: "AWS-EC2-041", slug: "netbios", name: "NetBIOS", ports: []port{udp(137), udp(138), tcp(139)},
		risk:   "NetBIOS leaks host, domain and user names and opens the way to SMB attacks.",
		advice: "NetBIOS never needs to cross the internet: allow only the VPC's own ranges or security groups."},
	{id: "AWS-EC2-042", slug: "ftp", name: "FTP", ports: []port{tcp(20), tcp(21)},
		risk:   "FTP sends credentials and files in clear text, and anonymous or weak logins leak data.",
		advice: "Replace FTP with SFTP (AWS Transfer Family) or S3 presigned URLs, or allow only the partners' address ranges."},
	{id: "AWS-EC2-043", slug: "smb", name: "SMB", ports: []port{tcp(445), udp(445)},
		risk:   "SMB/CIFS open to the internet is how WannaCry and NotPetya spread (EternalBlue); file shares must never face the internet.",
		advice: "Allow only the VPC's ranges or security groups; reach file shares through a VPN or Amazon FSx inside the VPC."},
	{id: "AWS-EC2-044", slug: "icmp", name: "ICMP", ports: []port{{ICMP, -1}, {ICMPv6, -1}},
		risk:   "Allowing every ICMP type from anywhere lets anyone map the network with ping sweeps and traceroute and helps ICMP floods. Rules that allow only specific types (such as type 3 for path MTU discovery) are not reported.",
		advice: "Allow only the ICMP types you need (for example type 3, destination unreachable, for path MTU discovery) by setting the type in `from_port` / `FromPort`."},
	{id: "AWS-EC2-045", slug: "mongodb", name: "MongoDB", ports: []port{tcp(27017)},
		risk:   "MongoDB reachable from anywhere is mass-scanned, and exposed databases are routinely wiped and held for ransom.",
		advice: dbAdvice},
	{id: "AWS-EC2-063", slug: "elasticsearch", name: "Elasticsearch", ports: []port{tcp(9200)},
		risk:   "The Elasticsearch HTTP API reads and deletes indices without authentication unless security is enabled; open clusters are a top source of data leaks.",
		advice: "Allow only the application tier's security group, or use Amazon OpenSearch Service inside the VPC."},
	{id: "AWS-EC2-064", slug: "http", name: "HTTP", ports: []port{tcp(80)}, severity: rules.Low, defaultOff: true, web: true,
		risk:   "Plain HTTP from anywhere is normal for a public web tier, hence low severity and off by default; elsewhere it exposes an unencrypted service to the internet.",
		advice: "Put public web traffic behind a load balancer or CloudFront that redirects to HTTPS, and allow the instances only the load balancer's security group."},
	{id: "AWS-EC2-065", slug: "https", name: "HTTPS", ports: []port{tcp(443)}, severity: rules.Low, defaultOff: true, web: true,
		risk:   "HTTPS from anywhere is normal for a public web tier, hence low severity and off by default; on hosts that are not meant to be public it is exposure all the same.",
		advice: "Serve public traffic through a load balancer or CloudFront and allow the instances only the load balancer's security group."},
	{id: "AWS-EC2-074", slug: "redis", name: "Redis", ports: []port{tcp(6379)}, severity: rules.Critical,
		risk:   "Redis has no authentication by default; internet-reachable instances are taken over within hours, their data wiped and cryptominers planted through CONFIG SET.",
		advice: "Allow only the application tier's security group, or use Amazon ElastiCache inside the VPC with AUTH and in-transit encryption."},
	{id: "AWS-EC2-075", slug: "memcached", name: "Memcached", ports: []port{tcp(11211), udp(11211)}, severity: rules.Critical,
		risk:   "Memcached has no authentication, and its UDP port is abused for reflection attacks amplified up to 50,000 times.",
		advice: "Allow only the application tier's security group, over tcp; Amazon ElastiCache keeps the cache inside the VPC."},
	{id: "AWS-EC2-101", slug: "mssql-browser", name: "MS SQL Browser", ports: []port{udp(1434)},
		risk:   "The SQL Server Browser service reveals every instance and port on the host and was the way the Slammer worm spread.",
		advice: dbAdvice},
	{id: "AWS-EC2-102", slug: "vnc-listener", name: "VNC Listener", ports: []port{tcp(5500)},
		risk:   "A VNC listener reachable from anywhere accepts reverse desktop connections from any host; VNC authentication is weak and often unencrypted.",
		advice: "Tunnel VNC through SSH or Session Manager, or allow only the administrators' address range."},
	{id: "AWS-EC2-103", slug: "vnc-server", name: "VNC Server", ports: []port{tcp(5900)},
		risk:   "A VNC server reachable from anywhere is scanned for empty and weak passwords; VNC traffic is often unencrypted.",
		advice: "Tunnel VNC through SSH or Session Manager, or allow only the administrators' address range."},
	{id: "AWS-EC2-104", slug: "msql", name: "mSQL", ports: []port{tcp(4333)},
		risk:   "An mSQL database reachable from anywhere invites credential guessing and exploits of an unmaintained server.",
		advice: dbAdvice},
}

// serviceRules builds a rule from each row of the port table.
func serviceRules() []*rules.Rule {
	out := make([]*rules.Rule, len(services))
	for i, s := range services {
		out[i] = &rules.Rule{Meta: s.meta(), Check: s.check}
	}
	return out
}

func (s service) meta() rules.Meta {
	severity := s.severity
	if severity == 0 {
		severity = rules.Medium // every Conformity port rule is MEDIUM
	}
	// One concatenation a field: each is made once, at start-up, for every run.
	ports := s.portList()
	return rules.Meta{
		ID:    s.id,
		Name:  "sg-open-" + s.slug,
		Title: "Security group allows " + s.name + " (" + ports + ") from the internet",
		Description: "A security group rule allows " + s.name + " (" + ports + ") from 0.0.0.0/0 or ::/0. " + s.risk + " " +
			"A rule matches when its protocol is the service's and its port range contains a service port; " +
			"rules open to all protocols or all ports are reported by AWS-EC2-105 instead." + escalationDoc,
		Remediation: "Remove `0.0.0.0/0` and `::/0` from the rule and allow " + s.name + " (" + ports + ") only from the sources that need it. " +
			"Terraform: delete them from `cidr_blocks` / `ipv6_cidr_blocks` of the `ingress` block or `aws_security_group_rule` " +
			"(or set a narrow `cidr_ipv4` / `cidr_ipv6` on `aws_vpc_security_group_ingress_rule`). " +
			"CloudFormation: replace `CidrIp: 0.0.0.0/0` / `CidrIpv6: ::/0` with a specific range, or use `SourceSecurityGroupId` / `SourcePrefixListId`. " +
			s.advice,
		Severity:   severity,
		Tags:       tags,
		Formats:    rules.AllFormats,
		Fix:        rules.FixAuto,
		DefaultOff: s.defaultOff,
	}
}

// portList renders the service's ports: "tcp/20, tcp/21".
func (s service) portList() string { return joinPorts(s.ports) }

func joinPorts(ports []port) string {
	names := make([]string, len(ports))
	for i, pt := range ports {
		names[i] = pt.String()
	}
	return strings.Join(names, ", ")
}

// check reports each world source of each inbound permission that opens a service port.
// Closing the source is written by --fix only when the permission opens nothing but the
// service's ports: on a wider range it would close other ports too (RULES.md 2.2).
func (s service) check(ctx *rules.Context) {
	for _, p := range exposed(ctx, ingressOf(ctx), func(p *Permission) bool { return len(s.opened(p)) > 0 }) {
		ports := s.opened(p)
		wider := ""
		if !s.exactly(p) {
			wider = fmt.Sprintf("the rule opens %s, more than %s (%s), and splitting it is a design decision", p.Ports(), s.name, s.portList())
		}
		reportWorldWeb(ctx, p, fmt.Sprintf("security group rule allows %s (%s) from", s.name, joinPorts(ports)), wider, s.web)
	}
}

// exactly reports whether every port p opens is one of the service's.
func (s service) exactly(p *Permission) bool {
	for n := p.From; n <= p.To; n++ {
		if !slices.Contains(s.ports, port{p.Protocol, n}) {
			return false
		}
	}
	return true
}

// opened returns the service ports p opens. An all-ports permission opens them all but is
// AWS-EC2-105's alone (RULES.md decision 4).
func (s service) opened(p *Permission) []port {
	if p.AllPorts() {
		return nil
	}
	var out []port
	for _, pt := range s.ports {
		if pt.in(p) {
			out = append(out, pt)
		}
	}
	return out
}

// named reports whether any named port rule matches p, enabled or not.
func named(p *Permission) bool {
	for _, s := range services {
		if len(s.opened(p)) > 0 {
			return true
		}
	}
	return false
}
