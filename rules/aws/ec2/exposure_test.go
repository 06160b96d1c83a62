package ec2_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/ruletest"
	"github.com/iacscan/iacscan/sarif"
	"github.com/iacscan/iacscan/scan"
)

var updateReports = flag.Bool("update-reports", false, "rewrite testdata/exposure/*.golden")

// TestEscalation checks the severity and the path of escalated findings, which the want
// sections do not show, and that findings on unreached groups keep the base severity.
func TestEscalation(t *testing.T) {
	tests := []struct {
		archive, path string
		line          int
		id            string
		severity      rules.Severity
		related       string
	}{
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 16, "AWS-EC2-002", rules.High,
			"main.tf:11:1-11:42 security group aws_security_group.public_ip; " +
				"main.tf:24:34-24:65 attached to aws_instance.public_ip here; " +
				"main.tf:23:3-23:37 aws_instance.public_ip gets a public IP (associate_public_ip_address)"},
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 32, "AWS-EC2-002", rules.High,
			"main.tf:27:1-27:39 security group aws_security_group.subnet; " +
				"main.tf:40:29-40:57 attached to aws_instance.subnet here; " +
				"main.tf:39:3-39:48 aws_instance.subnet is launched in aws_subnet.public; " +
				"main.tf:8:3-8:33 aws_subnet.public gives a public IP to what is launched in it (map_public_ip_on_launch)"},
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 88, "AWS-EC2-002", rules.High,
			"main.tf:83:1-83:48 security group aws_security_group.launch_template; " +
				"main.tf:97:36-97:73 attached to aws_launch_template.web here; " +
				"main.tf:96:5-96:39 aws_launch_template.web gets a public IP (associate_public_ip_address)"},
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 150, "AWS-EC2-105", rules.Critical,
			"main.tf:138:1-138:42 security group aws_security_group.behind_lb; " +
				"main.tf:157:29-157:60 attached to aws_instance.behind_lb here; " +
				"main.tf:133:1-133:48 aws_instance.behind_lb is a target of aws_lb_target_group.web (port 80); " +
				"main.tf:116:1-116:34 aws_lb_listener.http forwards traffic from aws_lb.public; " +
				"main.tf:110:1-110:27 aws_lb.public is internet-facing (the default)"},
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 143, "AWS-EC2-002", rules.Medium, ""},
		{"sg-open-ssh.exposure-terraform.txtar", "main.tf", 181, "AWS-EC2-002", rules.Medium, ""},
		{"sg-open-ssh.exposure-cloudformation.txtar", "template.yaml", 43, "AWS-EC2-002", rules.High,
			"template.yaml:38:3-38:11 security group EipGroup; " +
				"template.yaml:48:26-48:39 attached to EipInstance here; " +
				"template.yaml:52:7-52:35 Eip associates an Elastic IP with EipInstance"},
		{"sg-open-ssh.exposure-cloudformation.txtar", "serverless.yml", 20, "AWS-EC2-002", rules.Medium, ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s:%s:%d", tc.archive, tc.path, tc.line), func(t *testing.T) {
			ar, err := txtar.ParseFile(filepath.Join("testdata", tc.archive))
			if err != nil {
				t.Fatal(err)
			}
			findings, _ := ruletest.Scan(t, ar, ec2.Rules...)
			if got := ruletest.Related(t, findings, tc.path, tc.line, tc.id); got != tc.related {
				t.Errorf("related:\n got %q\nwant %q", got, tc.related)
			}
			for _, f := range findings {
				if f.Range.Path == tc.path && f.Range.Start.Line == tc.line && f.Rule.ID == tc.id && f.Severity != tc.severity {
					t.Errorf("severity %v, want %v", f.Severity, tc.severity)
				}
			}
		})
	}
}

// TestEscalationReports writes the findings of testdata/exposure in every report format:
// each shows the raised severity and the path. Run with -update-reports to
// rewrite the goldens, then read them.
func TestEscalationReports(t *testing.T) {
	res, err := scan.Run(t.Context(), []string{filepath.Join("testdata", "exposure")}, scan.Options{Rules: ec2.Rules})
	if err != nil {
		t.Fatal(err)
	}
	res.Stats.Duration = 0
	// as the CLI does before a JSON report; SARIF would plan the ones it keeps itself, so
	// without this the goldens would depend on the order the writers run in
	res.PlanFixes()
	writers := map[string]report.Writer{
		"exposure.txt": report.Text, "exposure.json": report.JSON, "exposure.sarif": sarif.Write,
		"exposure.github": report.GitHub, "exposure.md": report.Markdown,
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b, res, report.Options{Version: "test"}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "exposure", name+".golden")
			if *updateReports {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs (run with -update-reports):\n%s", path, b.Bytes())
			}
		})
	}
}

// TestWorldOpenOnPort checks the function AWS-RDS-008 calls: a database whose group allows
// its port from the world, through every shape of attachment, and none when the port, the
// source or the attachment differ.
func TestWorldOpenOnPort(t *testing.T) {
	ar := txtar.Parse([]byte(`-- main.tf --
variable "port" {}

resource "aws_security_group" "db" {
  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "world" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5000
  to_port           = 6000
  cidr_ipv6         = "::/0"
}

resource "aws_security_group" "unknown_port" {
  ingress {
    protocol    = "tcp"
    from_port   = var.port
    to_port     = var.port
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "open" {
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_db_instance" "unknown" {
  vpc_security_group_ids = [aws_security_group.unknown_port.id]
}
-- template.yaml --
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      VPCSecurityGroups: [!GetAtt Group.GroupId]
`))
	g := ruletest.Load(t, ar)
	tests := []struct {
		path, address string
		port          int
		want          string
	}{
		{"main.tf", "aws_db_instance.open", 5432,
			"main.tf:3:1-3:35 security group aws_security_group.db; main.tf:31:29-31:53 attached to aws_db_instance.open here; main.tf:17:23-17:29 allows tcp/5000-6000 from ::/0"},
		{"main.tf", "aws_db_instance.open", 3306, ""},
		{"main.tf", "aws_db_instance.unknown", 5432, ""},
		{"template.yaml", "Db", 3306,
			"template.yaml:2:3-2:8 security group Group; template.yaml:11:27-11:48 attached to Db here; template.yaml:7:38-7:47 allows all protocols and ports from 0.0.0.0/0"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d", tc.address, tc.port), func(t *testing.T) {
			db := find(t, g, tc.path, tc.address)
			var got string
			probe := &rules.Rule{Meta: rules.Meta{ID: "AWS-TEST-001", Severity: rules.High}, Check: func(ctx *rules.Context) {
				related, ok := ec2.WorldOpenOnPort(ctx, db, tc.port)
				if ok != (len(related) > 0) {
					t.Errorf("ok = %v with %d related locations", ok, len(related))
				}
				got = formatRelated(related)
			}}
			rules.Run(g, []*rules.Rule{probe})
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func find(t *testing.T, g *graph.Graph, path, address string) *graph.Resource {
	t.Helper()
	for _, r := range g.Resources {
		if r.ID.Path == path && r.ID.Address == address {
			return r
		}
	}
	t.Fatalf("no resource %s in %s", address, path)
	return nil
}

func formatRelated(rs []rules.Related) string {
	var b bytes.Buffer
	for i, r := range rs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s", r.Range.Path, r.Range.Start.Line, r.Range.Start.Column, r.Range.End.Line, r.Range.End.Column, r.Message)
	}
	return b.String()
}
