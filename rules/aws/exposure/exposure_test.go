package exposure_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules/aws/exposure"
	"github.com/iacscan/iacscan/rules/ruletest"
)

const archive = `-- main.tf --
variable "groups" {
  type = list(string)
}

data "aws_subnet" "looked_up" {
  id = "subnet-0123456789abcdef0"
}

resource "aws_security_group" "a" {
  name = "a"
}

resource "aws_security_group" "b" {
  name = "b"
}

resource "aws_instance" "both" {
  subnet_id              = data.aws_subnet.looked_up.id
  vpc_security_group_ids = [aws_security_group.a.id]
  security_groups        = ["b"]
}

resource "aws_instance" "unknown" {
  vpc_security_group_ids = var.groups
  subnet_id              = aws_subnet.private.id
}

resource "aws_subnet" "private" {
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_lb" "internal" {
  internal        = true
  security_groups = [aws_security_group.a.id]
}

resource "aws_lb" "unknown_scheme" {
  internal        = var.internal
  security_groups = [aws_security_group.a.id]
}

resource "aws_redshift_cluster" "public" {
  publicly_accessible    = "true"
  vpc_security_group_ids = [aws_security_group.b.id]
}

resource "aws_rds_cluster" "aurora" {
  vpc_security_group_ids = [aws_security_group.c.id]
}

resource "aws_rds_cluster_instance" "public" {
  cluster_identifier  = aws_rds_cluster.aurora.id
  publicly_accessible = true
}

resource "aws_security_group" "c" {
  name = "c"
}

resource "aws_iam_user_group_membership" "not_a_group" {
  user   = "u"
  groups = ["a"]
}
-- template.yaml --
Parameters:
  Groups:
    Type: List<AWS::EC2::SecurityGroup::Id>
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      SecurityGroups: [!GetAtt Group.GroupId]
  Nic:
    Type: AWS::EC2::NetworkInterface
    Properties:
      GroupSet: !Ref Groups
`

func load(t *testing.T) *graph.Graph {
	t.Helper()
	return ruletest.Load(t, txtar.Parse([]byte(archive)))
}

func lookup(t *testing.T, g *graph.Graph, path, address string) *graph.Resource {
	t.Helper()
	i := slices.IndexFunc(g.Resources, func(r *graph.Resource) bool { return r.ID.Path == path && r.ID.Address == address })
	if i < 0 {
		t.Fatalf("no %s in %s", address, path)
	}
	return g.Resources[i]
}

// TestAttachments checks which resources each group is attached to: by reference, by
// literal name, through CloudFormation GetAtt, and never through an attribute that only
// looks like one (IAM groups).
func TestAttachments(t *testing.T) {
	g := load(t)
	v := exposure.Build(g)
	tests := []struct {
		path, group string
		want        string
	}{
		{"main.tf", "aws_security_group.a", "aws_instance.both, aws_lb.internal, aws_lb.unknown_scheme"},
		{"main.tf", "aws_security_group.b", "aws_instance.both, aws_redshift_cluster.public"},
		{"template.yaml", "Group", "Elb"},
	}
	for _, tc := range tests {
		t.Run(tc.group, func(t *testing.T) {
			var got []string
			for _, a := range v.Attachments(lookup(t, g, tc.path, tc.group)) {
				got = append(got, a.Resource.ID.Address)
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("attached to %q, want %q", strings.Join(got, ", "), tc.want)
			}
		})
	}
	// Terraform's var.groups may name any group of the module; a CloudFormation parameter
	// cannot name a group of its own template.
	if u := v.Unknown("."); len(u) != 1 || u[0].Range.Start.Line != 24 {
		for _, x := range u {
			t.Logf("unknown at %s:%d", x.Range.Path, x.Range.Start.Line)
		}
		t.Errorf("%d unknown attachments in main.tf, want var.groups at line 24", len(u))
	}
	if u := v.Unknown("template.yaml"); len(u) != 0 {
		t.Errorf("unknown attachments in template.yaml: %v, want none", u)
	}
	if !v.Attaching(".") || !v.Attaching("template.yaml") || v.Attaching("elsewhere") {
		t.Error("Attaching: want true for both files' scopes only")
	}
}

// TestReaches checks what the internet reaches: the internet-facing classic load balancer
// (Scheme omitted) and the public Redshift cluster; not the instance in a data-source
// subnet or a private subnet, nor an internal or unknown-scheme load balancer.
func TestReaches(t *testing.T) {
	g := load(t)
	v := exposure.Build(g)
	tests := []struct {
		path, address string
		want          string
	}{
		{"main.tf", "aws_instance.both", ""},
		{"main.tf", "aws_instance.unknown", ""},
		{"main.tf", "aws_lb.internal", ""},
		{"main.tf", "aws_lb.unknown_scheme", ""},
		{"main.tf", "aws_redshift_cluster.public", "main.tf:43: aws_redshift_cluster.public is publicly accessible (publicly_accessible)"},
		{"template.yaml", "Elb", "template.yaml:9: Elb is internet-facing (the default)"},
	}
	for _, tc := range tests {
		t.Run(tc.address, func(t *testing.T) {
			var got []string
			for _, r := range v.Reaches(lookup(t, g, tc.path, tc.address)) {
				for _, step := range r.Path {
					got = append(got, fmt.Sprintf("%s:%d: %s", step.Range.Path, step.Range.Start.Line, step.Message))
				}
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("reaches %q, want %q", strings.Join(got, "; "), tc.want)
			}
		})
	}
	reached, path, ok := v.Exposed(lookup(t, g, "main.tf", "aws_security_group.b"), func(int) bool { return true }, nil)
	if !ok || reached.ID.Address != "aws_redshift_cluster.public" || len(path) != 3 {
		t.Errorf("Exposed(b) = %v, %d steps, %v; want the Redshift cluster, group → attachment → public", reached, len(path), ok)
	}
	if reached, path, ok := v.Exposed(lookup(t, g, "main.tf", "aws_security_group.c"), func(int) bool { return true }, nil); !ok || reached.ID.Address != "aws_rds_cluster.aurora" || len(path) != 4 {
		t.Errorf("Exposed(c) = %v, %d steps, %v; want the Aurora cluster through its public instance", reached, len(path), ok)
	}
	if _, _, ok := v.Exposed(lookup(t, g, "main.tf", "aws_security_group.a"), func(int) bool { return true }, nil); ok {
		t.Error("Exposed(a): want false, nothing it is attached to is reached")
	}
	if _, _, ok := v.Exposed(lookup(t, g, "template.yaml", "Group"), func(int) bool { return true }, exposure.IsLoadBalancer); ok {
		t.Error("Exposed(Group) skipping load balancers: want false, only the load balancer is reached")
	}
}
