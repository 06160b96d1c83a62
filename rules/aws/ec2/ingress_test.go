package ec2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/source"
)

const viewTF = `variable "direction" {}

resource "aws_security_group" "web" {
  ingress {
    protocol    = "TCP"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "peer" {
  type                     = "ingress"
  security_group_id        = aws_security_group.web.id
  protocol                 = "udp"
  from_port                = 53
  to_port                  = 54
  source_security_group_id = aws_security_group.web.id
}

resource "aws_security_group_rule" "direction_unknown" {
  type              = var.direction
  security_group_id = aws_security_group.web.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "external" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "icmpv6"
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_egress_rule" "out" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = var.port
  to_port           = 443
  cidr_ipv4         = var.cidr
}
`

const viewYAML = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: 6
          FromPort: "80"
          ToPort: 80
          CidrIpv6: "::/0"
        - !If [Public, {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]
      SecurityGroupEgress:
        - IpProtocol: icmp
          FromPort: 8
          ToPort: 0
          CidrIp: 0.0.0.0/0
  ByRef:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Web
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      SourcePrefixListId: pl-0123456789abcdef0
  ByAtt:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt Web.GroupId
      IpProtocol: "-1"
      CidrIp: 0.0.0.0/0
  NoToPort:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: default
      IpProtocol: tcp
      FromPort: 22
      CidrIp: 0.0.0.0/0
`

func TestPermissions(t *testing.T) {
	tests := []struct {
		name, path, src string
		ingress, egress []string
	}{
		{
			name: "terraform", path: "main.tf", src: viewTF,
			ingress: []string{
				"aws_security_group.web group=aws_security_group.web tcp 22..22 world=[0.0.0.0/0@8:34] other=true unknown=false",
				"aws_security_group_rule.peer group=aws_security_group.web udp 53..54 world=[] other=true unknown=false",
				"aws_security_group_rule.direction_unknown group=aws_security_group.web tcp 22..22 world=[0.0.0.0/0@34:24] other=false unknown=true at 29:23 (security group rule type is not known statically)",
				"aws_vpc_security_group_ingress_rule.external group=- icmpv6 -1..-1 world=[::/0@40:23] other=false unknown=false",
			},
			egress: []string{
				"aws_security_group.web group=aws_security_group.web all 0..65535 world=[0.0.0.0/0@15:20] other=false unknown=false",
				"aws_security_group_rule.direction_unknown group=aws_security_group.web tcp 22..22 world=[0.0.0.0/0@34:24] other=false unknown=true at 29:23 (security group rule type is not known statically)",
				"aws_vpc_security_group_egress_rule.out group=aws_security_group.web tcp 0..443 world=[] other=true unknown=true at 46:23 (port is not known statically) unknown sources=[48:23]",
			},
		},
		{
			name: "cloudformation", path: "template.yaml", src: viewYAML,
			ingress: []string{
				"Web group=Web tcp 80..80 world=[::/0@10:21] other=false unknown=false",
				"Web group=Web other 0..0 world=[] other=false unknown=true at 11:11 (security group rule is not known statically) unknown sources=[11:11]",
				"ByRef group=Web tcp 443..443 world=[] other=true unknown=false",
				"NoToPort group=- tcp 22..0 world=[0.0.0.0/0@37:15] other=false unknown=true",
			},
			egress: []string{
				"Web group=Web icmp 8..8 world=[0.0.0.0/0@16:19] other=false unknown=false",
				"ByAtt group=Web all 0..65535 world=[0.0.0.0/0@30:15] other=false unknown=false",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := parse(t, tc.path, tc.src)
			assertLines(t, "Ingress", describe(ec2.Ingress(g)), tc.ingress)
			assertLines(t, "Egress", describe(ec2.Egress(g)), tc.egress)
		})
	}
}

func parse(t *testing.T, path, src string) *graph.Graph {
	t.Helper()
	f := source.NewFile(path, []byte(src))
	g, diags := parsers.Load([]parsers.Input{{File: f, Format: detect.Classify(path, f.Src)}})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return g
}

// describe renders each permission on one line, world sources with their line:column.
func describe(ps []*ec2.Permission) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		group := "-"
		if p.Group != nil {
			group = p.Group.ID.Address
		}
		world := make([]string, len(p.World))
		for j, w := range p.World {
			world[j] = fmt.Sprintf("%s@%d:%d", w.Str, w.Range.Start.Line, w.Range.Start.Column)
		}
		out[i] = fmt.Sprintf("%s group=%s %v %d..%d world=[%s] other=%t unknown=%t",
			p.Resource.ID.Address, group, p.Protocol, p.From, p.To, strings.Join(world, " "), p.OtherSources, p.Unknown)
		if p.UnknownAt != nil {
			out[i] += fmt.Sprintf(" at %s (%s)", at(p.UnknownAt), p.UnknownWhy)
		}
		if len(p.UnknownSources) > 0 {
			sources := make([]string, len(p.UnknownSources))
			for j, v := range p.UnknownSources {
				sources[j] = at(v)
			}
			out[i] += " unknown sources=[" + strings.Join(sources, " ") + "]"
		}
	}
	return out
}

// at renders where a value starts as line:column.
func at(v *graph.Value) string { return fmt.Sprintf("%d:%d", v.Range.Start.Line, v.Range.Start.Column) }

func assertLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseProtocol(t *testing.T) {
	tests := []struct {
		in   string
		want ec2.Protocol
	}{
		{"tcp", ec2.TCP}, {"TCP", ec2.TCP}, {" Tcp ", ec2.TCP}, {"6", ec2.TCP},
		{"udp", ec2.UDP}, {"17", ec2.UDP},
		{"icmp", ec2.ICMP}, {"1", ec2.ICMP},
		{"icmpv6", ec2.ICMPv6}, {"ICMPv6", ec2.ICMPv6}, {"58", ec2.ICMPv6},
		{"-1", ec2.All}, {"all", ec2.All}, {"ALL", ec2.All},
		{"50", ec2.Other}, {"gre", ec2.Other}, {"", ec2.Other},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := ec2.ParseProtocol(tc.in); got != tc.want {
				t.Fatalf("ParseProtocol(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestIsWorld(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0.0.0.0/0", true}, {"::/0", true}, {"0:0:0:0:0:0:0:0/0", true}, {"::0/0", true}, {" 0.0.0.0/0 ", true},
		{"0.0.0.0/1", false}, {"10.0.0.0/8", false}, {"::/128", false}, {"0.0.0.0", false}, {"", false}, {"any", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := ec2.IsWorld(tc.in); got != tc.want {
				t.Fatalf("IsWorld(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPorts(t *testing.T) {
	tests := []struct {
		name string
		p    ec2.Permission
		want string
	}{
		{"all", ec2.Permission{Protocol: ec2.All, From: 0, To: 65535}, "all protocols and ports"},
		{"single port", ec2.Permission{Protocol: ec2.TCP, From: 22, To: 22}, "tcp/22"},
		{"range", ec2.Permission{Protocol: ec2.UDP, From: 20, To: 25}, "udp/20-25"},
		{"every icmp type", ec2.Permission{Protocol: ec2.ICMP, From: -1, To: -1}, "icmp all types"},
		{"one icmpv6 type", ec2.Permission{Protocol: ec2.ICMPv6, From: 128, To: 128}, "icmpv6 type 128"},
		{"other protocol", ec2.Permission{Protocol: ec2.Other, ProtocolValue: &graph.Value{Type: graph.String, Str: "50"}}, "protocol 50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Ports(); got != tc.want {
				t.Fatalf("Ports() = %q, want %q", got, tc.want)
			}
		})
	}
}
