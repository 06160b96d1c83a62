package rds_test

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/rds"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, rds.Rules) }

// TestPubliclyAccessibleExposure checks the escalation hook of AWS-RDS-008: an instance
// the exposure view finds reachable is critical, with the view's location as related; an
// instance it does not is high.
func TestPubliclyAccessibleExposure(t *testing.T) {
	const input = `-- main.tf --
resource "aws_security_group" "open" {
}

resource "aws_db_instance" "reachable" {
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_db_instance" "closed" {
  publicly_accessible = true
}
`
	exposed := func(g *graph.Graph, db *graph.Resource) (rules.Locatable, string, bool) {
		groups := g.Targets(db, graph.SecurityGroup)
		if len(groups) == 0 {
			return nil, "", false
		}
		return groups[0], "security group admits the internet on the database port", true
	}
	fs, diags := ruletest.Scan(t, txtar.Parse([]byte(input)), rds.PubliclyAccessibleWith(exposed))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := "main.tf:5:28: AWS-RDS-008 DB instance is publicly accessible: publicly_accessible is true, and reachable from the internet\n" +
		"main.tf:10:25: AWS-RDS-008 DB instance is publicly accessible: publicly_accessible is true\n"
	if got := ruletest.Format(fs); got != want {
		t.Fatalf("findings:\n%s\nwant:\n%s", got, want)
	}
	if fs[0].Severity != rules.Critical || fs[1].Severity != rules.High {
		t.Errorf("severities %v, %v; want critical, high", fs[0].Severity, fs[1].Severity)
	}
	if got, want := ruletest.Related(t, fs, "main.tf", 5, "AWS-RDS-008"), "main.tf:1:1-1:37 security group admits the internet on the database port"; got != want {
		t.Errorf("related = %q, want %q", got, want)
	}
}
