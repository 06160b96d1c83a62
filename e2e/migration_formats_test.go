package e2e

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepo writes files into a temporary directory and returns its path.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// peerTF opens MySQL and SSH to the world. trivy's AVD-AWS-0107 ignore on the MySQL group
// covers the MySQL rule (trivy's check covers every port); the SSH group's checkov skip
// names an ID no rule claims.
const peerTF = `# trivy:ignore:AVD-AWS-0107 read replica, accepted
resource "aws_security_group" "db" {
  ingress {
    protocol    = "tcp"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# checkov:skip=CKV_AWS_999:a check iacscan does not have
resource "aws_security_group" "ssh" {
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "acme-trail"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = false
}
`

// TestMigrationFormatsCompliance runs issue 17's three features on the built binary: peer
// ignores, the CI report formats and the CIS compliance view, in one scan.
func TestMigrationFormatsCompliance(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": peerTF})
	out := t.TempDir()
	junitPath, gitlabPath, csvPath := filepath.Join(out, "junit.xml"), filepath.Join(out, "gl-sast-report.json"), filepath.Join(out, "r.csv")
	code, stdout, stderr := iacscan(t, "--compliance", "cis-aws", "-q",
		"-f", "junit="+junitPath, "-f", "gitlab="+gitlabPath, "-f", "csv="+csvPath, dir)
	if code != 1 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	wantWarning := filepath.Join(dir, "main.tf") + `:11:3: warning: checkov ignore names "CKV_AWS_999", which no iacscan rule claims: it suppresses nothing (see docs/migration.md)`
	if strings.TrimSpace(stderr) != filepath.ToSlash(wantWarning) {
		t.Errorf("stderr %q, want the one warning %q", stderr, wantWarning)
	}
	controls := map[string]string{} // control ID -> the rest of its line, blanks collapsed
	for line := range strings.Lines(stdout) {
		if f := strings.Fields(line); len(f) > 1 {
			controls[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for id, want := range map[string]string{
		"4.2": "fail AWS-CT-007 (1) ",
		"6.3": "fail AWS-EC2-002 (1) ",
		"2.4": "not checkable before deployment ",
		"4.1": "pass ",
		"6.4": "pass ", // the SSH source is IPv4 only
	} {
		if !strings.HasPrefix(controls[id], want) {
			t.Errorf("control %s: %q, want it to start with %q", id, controls[id], want)
		}
	}

	rows, err := csv.NewReader(strings.NewReader(read(t, csvPath))).ReadAll()
	var rules []string
	for _, r := range rows[1:] {
		rules = append(rules, r[0])
	}
	// AWS-EC2-005 is suppressed by the trivy ignore; CT-008 (no KMS key) and CT-007 fail.
	if err != nil || strings.Join(rules, " ") != "AWS-EC2-002 AWS-CT-008 AWS-CT-007" {
		t.Errorf("CSV findings %v (%v), want AWS-EC2-002 AWS-CT-008 AWS-CT-007", rules, err)
	}

	var junit struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(read(t, junitPath)), &junit); err != nil || junit.Failures != 3 {
		t.Errorf("JUnit: %v, %d failures, want 3", err, junit.Failures)
	}

	var gl struct {
		Version         string `json:"version"`
		Vulnerabilities []struct {
			Identifiers []struct{ Value string } `json:"identifiers"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal([]byte(read(t, gitlabPath)), &gl); err != nil || gl.Version != "15.0.6" || len(gl.Vulnerabilities) != 3 {
		t.Errorf("GitLab SAST: %v, version %q, %d vulnerabilities", err, gl.Version, len(gl.Vulnerabilities))
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
