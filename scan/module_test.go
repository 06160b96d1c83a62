package scan

import (
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
)

// A finding inside a local module carries the module call as a related location, and an
// ignore on the module call covers it.
func TestModuleCallRelatedAndIgnored(t *testing.T) {
	module := `resource "aws_security_group" "this" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

variable "cidr" {
  type = string
}
`
	for _, tc := range []struct {
		name, root string
		findings   int
	}{
		{"reported with the call", "module \"web\" {\n  source = \"./web\"\n  cidr   = \"0.0.0.0/0\"\n}\n", 1},
		{"ignored on the call", "# iacscan:ignore:AWS-EC2-002 bastion by design\nmodule \"web\" {\n  source = \"./web\"\n  cidr   = \"0.0.0.0/0\"\n}\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"main.tf": tc.root, "web/main.tf": module})
			res := run(t, dir, Options{Rules: []*rules.Rule{rules.Lookup(ec2.Rules, "AWS-EC2-002")}})
			if len(res.Findings) != tc.findings {
				t.Fatalf("findings = %+v", res.Findings)
			}
			if tc.findings == 0 {
				if res.Stats.Suppressed != 1 {
					t.Fatalf("suppressed = %d, want 1", res.Stats.Suppressed)
				}
				return
			}
			f := res.Findings[0]
			if f.Resource.Address != "module.web.aws_security_group.this" || f.Range.Start.Line != 6 {
				t.Fatalf("finding at %s line %d", f.Resource.Address, f.Range.Start.Line)
			}
			var call *rules.Related
			for i := range f.Related {
				if f.Related[i].Message == "module called here" {
					call = &f.Related[i]
				}
			}
			if call == nil || call.Range.Start.Line != 1 {
				t.Fatalf("related = %+v, want the module call at line 1", f.Related)
			}
		})
	}
}
