package e2e

import (
	"strings"
	"testing"
)

// TestExplainValuesExample scans examples/terraform-modules, whose findings exist only
// through evaluation, and asserts the findings, that the count = 0 rule is absent, and the
// chain -v prints from the variable default to the CIDR inside the module.
func TestExplainValuesExample(t *testing.T) {
	code, stdout, stderr := iacscan(t, "-v", "--rules", "AWS-EC2-002,AWS-EC2-003,AWS-S3-001", "examples/terraform-modules")
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	var found []string
	for line := range strings.Lines(stdout) {
		if m := textFinding.FindStringSubmatch(line); m != nil {
			found = append(found, m[1]+":"+m[2]+":"+m[3]+" "+m[5])
		}
	}
	want := []string{
		"examples/terraform-modules/main.tf:38:14 AWS-S3-001", // assets, not reports
		"examples/terraform-modules/modules/bastion/main.tf:25:22 AWS-EC2-002",
	}
	if strings.Join(found, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant (RDP has count = 0):\n%s", strings.Join(found, "\n"), strings.Join(want, "\n"))
	}
	for _, chain := range []string{
		`    resource: aws_s3_bucket_acl.site["assets"]
`,
		`    value computed:
        examples/terraform-modules/main.tf:13:13: var.buckets default
      → examples/terraform-modules/main.tf:36:14: for_each
      → examples/terraform-modules/main.tf:38:14: acl
`,
		`    value computed:
        examples/terraform-modules/main.tf:8:17: var.admin_cidr default
      → examples/terraform-modules/main.tf:20:17: local.admin_cidrs
      → examples/terraform-modules/main.tf:26:16: module.bastion argument ssh_cidrs
      → examples/terraform-modules/modules/bastion/main.tf:19:16: dynamic "ingress" for_each
      → examples/terraform-modules/modules/bastion/main.tf:25:22: ingress[0].cidr_blocks[0]
`,
	} {
		if !strings.Contains(stdout, chain) {
			t.Errorf("no\n%s\nin:\n%s", chain, stdout)
		}
	}
}

// TestVarOverridesExample passes a deploy-time value that closes SSH: the finding goes,
// and the chain of the one left names where its value came from.
func TestVarOverridesExample(t *testing.T) {
	code, stdout, stderr := iacscan(t, "-v", "--rules", "AWS-EC2-002", "--var", "admin_cidr=10.0.0.0/8", "examples/terraform-modules")
	if code != 0 || !strings.HasPrefix(lastLine(stdout), "No findings.") {
		t.Fatalf("exit code %d, want 0 and no finding; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, _ = iacscan(t, "-v", "--rules", "AWS-EC2-002", "--var", "admin_cidr=0.0.0.0/0", "examples/terraform-modules")
	if want := "        examples/terraform-modules/main.tf:5:1: var.admin_cidr from --var\n"; code != 1 || !strings.Contains(stdout, want) {
		t.Errorf("exit code %d; no %q in:\n%s", code, want, stdout)
	}
}
