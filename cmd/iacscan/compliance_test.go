package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trailTF declares a multi-region, KMS-encrypted trail whose log file validation is off.
const trailTF = `resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "acme-trail"
  is_multi_region_trail         = true
  include_global_service_events = true
  kms_key_id                    = "arn:aws:kms:eu-west-1:111122223333:key/abc"
  enable_log_file_validation    = false
}
`

// controlLine returns the line of the compliance view for control id.
func controlLine(stdout, id string) string {
	for _, l := range strings.Split(stdout, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == id {
			return strings.Join(f, " ")
		}
	}
	return ""
}

func TestCompliance(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": trailTF})
	code, stdout, stderr := runCLI(t, "-q", "--compliance", "cis-aws", dir)
	if code != 1 || stderr != "" || !strings.HasPrefix(stdout, "CIS AWS Foundations Benchmark v6.0.0\n") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	tests := []struct{ id, want string }{
		{"4.1", "4.1 pass AWS-CT-001, AWS-CT-101 Ensure CloudTrail is enabled in all regions"},
		{"4.2", "4.2 fail AWS-CT-007 (1) Ensure CloudTrail log file validation is enabled"},
		{"4.5", "4.5 pass AWS-CT-008 Ensure CloudTrail logs are encrypted at rest using KMS CMKs"},
		{"2.4", "2.4 not checkable before deployment about the running account, not the templates Ensure MFA is enabled for the 'root' user account"},
		{"3.2.3", "3.2.3 not applicable no aws_db_instance, aws_rds_cluster_instance in the scan Ensure that RDS instances are not publicly accessible"},
		{"4.3", "4.3 not applicable no aws_config_configuration_recorder, aws_config_configuration_recorder_status in the scan Ensure AWS Config is enabled in all regions"},
		{"5.1", "5.1 not checked no iacscan rule checks it Ensure unauthorized API calls are monitored"},
	}
	for _, tc := range tests {
		if got := controlLine(stdout, tc.id); got != tc.want {
			t.Errorf("control %s:\n got %q\nwant %q", tc.id, got, tc.want)
		}
	}
	if n := strings.Count(stdout, "\n"); n != 3+1+63 {
		t.Errorf("%d lines, want the title, summary, blank, header and 63 controls", n)
	}

	code, stdout, _ = runCLI(t, "-q", "--compliance", "cis-aws", "--skip-rules", "AWS-CT-007", dir)
	if got := controlLine(stdout, "4.2"); code != 0 || got != "4.2 not checked turned off: enable AWS-CT-007 Ensure CloudTrail log file validation is enabled" {
		t.Errorf("rule skipped: exit %d, 4.2 %q", code, got)
	}

	code, stdout, _ = runCLI(t, "-q", "--compliance", "aws-fsbp", dir)
	if got := controlLine(stdout, "CloudTrail.4"); code != 1 || got != "CloudTrail.4 fail AWS-CT-007 (1) CloudTrail log file validation should be enabled" {
		t.Errorf("aws-fsbp: exit %d, CloudTrail.4 %q", code, got)
	}
}

func TestComplianceUsage(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": trailTF})
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown framework", []string{"--compliance", "pci"}, `iacscan: unknown compliance framework "pci" (valid: aws-fsbp, cis-aws)`},
		{"report on stdout too", []string{"--compliance", "cis-aws", "-f", "json"}, "iacscan: --compliance prints to stdout: write the reports with --format FORMAT=FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tc.args, dir)...)
			if code != 2 || stdout != "" || !strings.HasPrefix(stderr, tc.stderr+"\n") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestComplianceSARIFTags checks that the SARIF rules carry the control IDs, written
// beside the compliance view.
func TestComplianceSARIFTags(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": trailTF})
	out := filepath.Join(t.TempDir(), "r.sarif")
	if code, _, stderr := runCLI(t, "-q", "--compliance", "cis-aws", "-f", "sarif="+out, dir); code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string `json:"id"`
						Properties struct {
							Tags []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		if r.ID == "AWS-CT-007" {
			if tags := strings.Join(r.Properties.Tags, " "); !strings.Contains(tags, "cis-aws-6.0.0:4.2") || !strings.Contains(tags, "aws-fsbp:CloudTrail.4") {
				t.Errorf("AWS-CT-007 tags %q lack its controls", tags)
			}
			return
		}
	}
	t.Errorf("no AWS-CT-007 rule in the SARIF log")
}
