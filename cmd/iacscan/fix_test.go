package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fix fixture: a Terraform file indented with tabs in part, a CloudFormation template
// with CRLF line endings and a value from a parameter, and a JSON template indented by 4
// spaces without a final newline. Each has an automatic fix; main.tf also has a
// suggestion, and stack.yaml a finding no fix may touch.
var fixFixture = map[string]string{
	"main.tf": `# A bucket readable by everyone and SSH open to the world next to the office.
resource "aws_s3_bucket_acl" "site" {
  bucket = "acme-site"
  acl    = "public-read" # legacy
}

resource "aws_security_group" "bastion" {
	name = "bastion"

	ingress {
		from_port   = 22
		to_port     = 22
		protocol    = "tcp"
		cidr_blocks = ["203.0.113.0/24", "0.0.0.0/0"]
	}

	ingress {
		from_port   = 20
		to_port     = 25
		protocol    = "tcp"
		cidr_blocks = ["0.0.0.0/0"]
	}
}
`,
	"stack.yaml": "Parameters:\r\n  Cidr:\r\n    Type: String\r\n    Default: 0.0.0.0/0\r\nResources:\r\n  Db:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      GroupDescription: db\r\n      SecurityGroupIngress:\r\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}\r\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\r\n",
	"site.json":  "{\n    \"Resources\": {\n        \"Site\": {\n            \"Type\": \"AWS::S3::Bucket\",\n            \"Properties\": {\n                \"AccessControl\": \"PublicRead\"\n            }\n        }\n    }\n}",
}

// fixRules are the rules the fix tests run.
var fixRules = []string{"--rules", "AWS-S3-001,AWS-EC2-001,AWS-EC2-002"}

// inFixture writes the fixture into a temporary directory, which becomes the working
// directory, with the files' modification times an hour back.
func inFixture(t *testing.T) time.Time {
	t.Helper()
	t.Chdir(t.TempDir())
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	for name, src := range fixFixture {
		if err := os.WriteFile(name, []byte(src), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, old, old); err != nil {
			t.Fatal(err)
		}
	}
	return old
}

// unchanged fails unless every file holds want[name], with the given modification time.
func unchanged(t *testing.T, want map[string]string, mtime time.Time) {
	t.Helper()
	for name, src := range want {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(name)
		if string(got) != src || !info.ModTime().Equal(mtime) {
			t.Errorf("%s was rewritten (modified %v):\n%s", name, info.ModTime(), got)
		}
	}
}

func TestDiffWritesNothing(t *testing.T) {
	mtime := inFixture(t)
	code, stdout, stderr := runCLI(t, append([]string{"--diff"}, fixRules...)...)
	if code != 1 {
		t.Errorf("exit %d, want 1: the findings are still there", code)
	}
	want := `--- a/main.tf
+++ b/main.tf
@@ -1,7 +1,7 @@
 # A bucket readable by everyone and SSH open to the world next to the office.
 resource "aws_s3_bucket_acl" "site" {
   bucket = "acme-site"
-  acl    = "public-read" # legacy
+  acl    = "private" # legacy
 }
 
 resource "aws_security_group" "bastion" {
@@ -11,7 +11,7 @@
 		from_port   = 22
 		to_port     = 22
 		protocol    = "tcp"
-		cidr_blocks = ["203.0.113.0/24", "0.0.0.0/0"]
+		cidr_blocks = ["203.0.113.0/24"]
 	}
 
 	ingress {
--- a/site.json
+++ b/site.json
@@ -3,7 +3,7 @@
         "Site": {
             "Type": "AWS::S3::Bucket",
             "Properties": {
-                "AccessControl": "PublicRead"
+                "AccessControl": "Private"
             }
         }
     }
--- a/stack.yaml
+++ b/stack.yaml
@@ -9,4 +9,3 @@
       GroupDescription: db` + "\r" + `
       SecurityGroupIngress:` + "\r" + `
         - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}` + "\r" + `
-        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}` + "\r" + `
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	wantStderr := "iacscan: --diff: 4 automatic fixes in 3 files, nothing written\n" +
		"iacscan: suggestions, not part of the patch (each against the original file; edit by hand):\n" +
		`# suggestion (not applied by --fix): remove the ingress block (tcp/20-25 from 0.0.0.0/0); a suggestion because closing the world source closes every port of the range; replacing the range with the ports the service needs is a design decision
--- a/main.tf
+++ b/main.tf
@@ -13,11 +13,4 @@
 		protocol    = "tcp"
 		cidr_blocks = ["203.0.113.0/24", "0.0.0.0/0"]
 	}
-
-	ingress {
-		from_port   = 20
-		to_port     = 25
-		protocol    = "tcp"
-		cidr_blocks = ["0.0.0.0/0"]
-	}
 }
`
	if stderr != wantStderr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantStderr)
	}
	unchanged(t, fixFixture, mtime)
}

func TestFixThenFixAgain(t *testing.T) {
	mtime := inFixture(t)
	args := append([]string{"--fix", "-f", "json"}, fixRules...)
	code, stdout, stderr := runCLI(t, args...)
	if code != 1 {
		t.Errorf("first --fix: exit %d, want 1 for the findings left", code)
	}
	left := []string{"main.tf:21:18: AWS-EC2-001", "main.tf:21:18: AWS-EC2-002", "stack.yaml:11:63: AWS-EC2-002"}
	if got := jsonFindings(t, stdout); strings.Join(got, "\n") != strings.Join(left, "\n") {
		t.Errorf("left:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(left, "\n"))
	}
	if !strings.HasPrefix(stderr, "iacscan: fixed 4 findings in 3 files\niacscan: 3 findings: ") {
		t.Errorf("stderr: %q", stderr)
	}
	fixed := map[string]string{
		"main.tf":    strings.NewReplacer(`"public-read" # legacy`, `"private" # legacy`, `["203.0.113.0/24", "0.0.0.0/0"]`, `["203.0.113.0/24"]`).Replace(fixFixture["main.tf"]),
		"stack.yaml": strings.Replace(fixFixture["stack.yaml"], "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\r\n", "", 1),
		"site.json":  strings.Replace(fixFixture["site.json"], `"PublicRead"`, `"Private"`, 1),
	}
	for name, want := range fixed {
		got, _ := os.ReadFile(name)
		info, _ := os.Stat(name)
		if string(got) != want || info.Mode().Perm() != 0o640 {
			t.Errorf("%s (mode %v):\n%s\nwant:\n%s", name, info.Mode().Perm(), got, want)
		}
	}

	for name := range fixed {
		if err := os.Chtimes(name, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr = runCLI(t, args...)
	if code != 1 || strings.Join(jsonFindings(t, stdout), "\n") != strings.Join(left, "\n") {
		t.Errorf("second --fix: exit %d, findings %v", code, jsonFindings(t, stdout))
	}
	if !strings.HasPrefix(stderr, "iacscan: no automatic fix to write\niacscan: 3 findings: ") {
		t.Errorf("second --fix: stderr %q", stderr)
	}
	unchanged(t, fixed, mtime)
}

func TestFixRefusesASymlinkOutOfTheRoot(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "main.tf")
	src := "resource \"aws_s3_bucket_acl\" \"a\" {\n  acl = \"public-read\"\n}\n"
	if err := os.WriteFile(outside, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.Mkdir("infra", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join("infra", "main.tf")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	code, _, stderr := runCLI(t, "--fix", "-q", "--rules", "AWS-S3-001", filepath.Join("infra", "main.tf"))
	if code != 1 || stderr != "iacscan: infra/main.tf: outside the scanned root; not rewritten\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(outside); string(got) != src {
		t.Errorf("the file outside the root was rewritten:\n%s", got)
	}
}

func TestJSONReportCarriesTheFix(t *testing.T) {
	inFixture(t)
	_, stdout, _ := runCLI(t, "-f", "json", "--rules", "AWS-S3-001", "site.json")
	var doc struct {
		Findings []struct {
			Fix json.RawMessage `json:"fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Findings) != 1 {
		t.Fatalf("report: %v\n%s", err, stdout)
	}
	want := `{
        "mode": "auto",
        "description": "set AccessControl to \"Private\"",
        "edits": [
          {
            "path": "site.json",
            "start": 139,
            "end": 151,
            "new": "\"Private\""
          }
        ]
      }`
	if string(doc.Findings[0].Fix) != want {
		t.Errorf("fix:\n%s\nwant:\n%s", doc.Findings[0].Fix, want)
	}
}

func TestFixAndDiffTogetherIsAUsageError(t *testing.T) {
	if code, _, stderr := runCLI(t, "--fix", "--diff", "."); code != 2 || !strings.Contains(stderr, "choose one") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}
