package rds_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/rds"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, rds.Rules) }

// TestPubliclyAccessibleExposure checks the escalation of AWS-RDS-008: an instance whose
// security group also admits the internet on the database port (its own, or its engine's
// default) is critical, with the path as related locations; one whose group admits the
// world on another port, or that has no group, is high.
func TestPubliclyAccessibleExposure(t *testing.T) {
	const input = `-- main.tf --
resource "aws_security_group" "open" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "reachable" {
  engine                 = "postgres"
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_db_instance" "other_port" {
  engine                 = "mysql"
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_db_instance" "closed" {
  engine              = "postgres"
  publicly_accessible = true
}
`
	fs, diags := ruletest.Scan(t, txtar.Parse([]byte(input)), rds.PubliclyAccessible)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := "main.tf:12:28: AWS-RDS-008 DB instance is publicly accessible: publicly_accessible is true, and a security group admits the internet on the database port\n" +
		"main.tf:18:28: AWS-RDS-008 DB instance is publicly accessible: publicly_accessible is true\n" +
		"main.tf:24:25: AWS-RDS-008 DB instance is publicly accessible: publicly_accessible is true\n"
	if got := ruletest.Format(fs); got != want {
		t.Fatalf("findings:\n%s\nwant:\n%s", got, want)
	}
	if fs[0].Severity != rules.Critical || fs[1].Severity != rules.High || fs[2].Severity != rules.High {
		t.Errorf("severities %v, %v, %v; want critical, high, high", fs[0].Severity, fs[1].Severity, fs[2].Severity)
	}
	var path []string
	for _, r := range fs[0].Related {
		path = append(path, fmt.Sprintf("%d:%d %s", r.Range.Start.Line, r.Range.Start.Column, r.Message))
	}
	want = "1:1 security group aws_security_group.open|13:29 attached to aws_db_instance.reachable here|6:20 allows tcp/5432 from 0.0.0.0/0"
	if got := strings.Join(path, "|"); got != want {
		t.Errorf("path %q, want %q", got, want)
	}
}
