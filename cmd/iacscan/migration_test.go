package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// portTF opens tcp port p to the world in a security group whose first line carries
// comment.
func portTF(comment string, p string) string {
	return comment + `
resource "aws_security_group" "db" {
  ingress {
    protocol    = "tcp"
    from_port   = ` + p + `
    to_port     = ` + p + `
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
}

// TestPeerIgnores runs the ignores teams bring from tfsec, trivy and checkov through the
// CLI: peer IDs are honoured through the migration table, many-to-many, and an ID no rule
// claims is one warning at the comment.
func TestPeerIgnores(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		code    int
		summary string
		stderr  string // with <file> for the scanned file's path
	}{
		{name: "tfsec long ID", src: portTF("# tfsec:ignore:aws-ec2-no-public-ingress-sgr bastion behind a NACL", "22"),
			summary: "No findings. Not reported: 1 suppressed. Scanned 1 file, 1 resource in 0s."},
		{name: "tfsec legacy vpc long ID", src: portTF("# tfsec:ignore:aws-vpc-no-public-ingress-sgr legacy name", "3389"),
			summary: "No findings. Not reported: 1 suppressed. Scanned 1 file, 1 resource in 0s."},
		{name: "trivy AVD ID covers every port", src: portTF("# trivy:ignore:AVD-AWS-0107 public replica, accepted", "3306"),
			summary: "No findings. Not reported: 1 suppressed. Scanned 1 file, 1 resource in 0s."},
		{name: "checkov ID covers its one port only", src: portTF("# checkov:skip=CKV_AWS_24:ssh only", "3306"), code: 1,
			summary: "1 finding: 0 critical, 0 high, 1 medium, 0 low. Scanned 1 file, 1 resource in 0s."},
		{name: "unknown peer ID warns once", src: portTF("# checkov:skip=CKV_AWS_998,CKV_AWS_999:not iacscan's", "22"), code: 1,
			summary: "1 finding: 0 critical, 0 high, 1 medium, 0 low. Scanned 1 file, 1 resource in 0s.",
			stderr: `<file>:1:3: warning: checkov ignore names "CKV_AWS_998", "CKV_AWS_999", which no iacscan rule claims: ` +
				"it suppresses nothing (see docs/migration.md)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := repo(t, map[string]string{"main.tf": tc.src})
			code, stdout, stderr := runCLI(t, "--color", "never", dir)
			want := strings.ReplaceAll(tc.stderr, "<file>", filepath.ToSlash(filepath.Join(dir, "main.tf")))
			if code != tc.code || stderr != want {
				t.Fatalf("exit %d, stderr %q; want %d, %q\n%s", code, stderr, tc.code, want, stdout)
			}
			if got := durationFree(lastLine(stdout)); got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
		})
	}
}

// TestExplainPeerID: a peer ID that stands for several rules lists them all rather than
// explaining whichever comes first.
func TestExplainPeerID(t *testing.T) {
	code, stdout, stderr := runCLI(t, "explain", "AVD-AWS-0107")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "AVD-AWS-0107 stands for 27 iacscan rules;") ||
		!strings.Contains(stdout, "\n  AWS-EC2-002  medium    Security group allows SSH (tcp/22) from the internet\n") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	code, stdout, _ = runCLI(t, "explain", "aws-s3-block-public-acls")
	if code != 0 || !strings.HasPrefix(stdout, "# AWS-S3-026: ") {
		t.Errorf("a peer ID of one rule explains it: exit %d\n%s", code, stdout)
	}
}
