package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

var updateGolden = flag.Bool("update", false, "rewrite the report goldens in testdata/")

// checkGolden compares got with testdata/name, or rewrites the file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run with -update to rewrite it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

const (
	sampleTF = `resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
  acl    = "public-read"
}

resource "aws_security_group" "web" {
	ingress {
		from_port   = 22
		to_port     = 22
		cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
	}
}
`
	sampleYAML = `Parameters:
  Cidr:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {Description: "ünï", IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !Ref Cidr}
`
	sampleBrokenJSON = "{\n  \"Resources\": {\n    }}\n"
)

var (
	publicRead = &rules.Meta{
		ID: "AWS-S3-001", Name: "s3-bucket-public-read-acl", Title: "Bucket ACL grants READ to everyone",
		Severity:    rules.Critical,
		Remediation: "Set `acl` to `private` (TF) or `AccessControl` to `Private` (CFN). Public buckets leak data.\n\nSee the AWS docs.",
	}
	noEncryption = &rules.Meta{
		ID: "AWS-S3-016", Name: "s3-bucket-no-default-encryption", Title: "No default server-side encryption",
		Severity:    rules.High,
		Remediation: "\nAdd a `server_side_encryption_configuration` with AES256\nor aws:kms.",
	}
	openSSH = &rules.Meta{
		ID: "AWS-EC2-002", Name: "ec2-ssh-open-to-world", Title: "Security group allows SSH (22) from the internet",
		Severity:    rules.Medium,
		Remediation: "Restrict the source to known ranges, e.g. the office VPN. Or use SSM Session Manager.",
	}
	openMySQL = &rules.Meta{
		ID: "AWS-EC2-005", Name: "ec2-mysql-open-to-world", Title: "Security group allows MySQL (3306) from the internet",
		Severity: rules.Medium,
	}
	unusedGroup = &rules.Meta{
		ID: "AWS-EC2-106", Name: "ec2-unused-security-group", Title: "Security group not attached to anything",
		Severity:    rules.Low,
		Remediation: "Delete the group if nothing outside this repository uses it!",
	}
)

// span returns the range of the first occurrence of text in f.
func span(t *testing.T, f *source.File, text string) source.Range {
	t.Helper()
	i := bytes.Index(f.Src, []byte(text))
	if i < 0 {
		t.Fatalf("%q not in %s", text, f.Path)
	}
	return f.Range(i, i+len(text))
}

// sampleResult is a scan of two inputs and a broken file with findings of every severity,
// a multi-line range, a related location, a value trace, tabs, non-ASCII text before a column, and
// diagnostics with and without a position.
func sampleResult(t *testing.T) *scan.Result {
	t.Helper()
	tf := source.NewFile("infra/main.tf", []byte(sampleTF))
	yml := source.NewFile("infra/stack.yaml", []byte(sampleYAML))
	broken := source.NewFile("infra/broken.json", []byte(sampleBrokenJSON))
	site := graph.ID{Path: tf.Path, Address: "aws_s3_bucket.site"}
	web := graph.ID{Path: tf.Path, Address: "aws_security_group.web"}
	db := graph.ID{Path: yml.Path, Address: "Db"}
	brokenAt := broken.Range(23, 24)
	findings := []rules.Finding{
		{Rule: noEncryption, Severity: rules.High, Message: "Bucket has no default encryption.", Resource: site, Kind: graph.S3Bucket,
			Range: span(t, tf, `resource "aws_s3_bucket" "site"`)},
		{Rule: publicRead, Severity: rules.Critical, Message: `Canned ACL "public-read" lets anyone list and read objects.`, Resource: site, Kind: graph.S3Bucket,
			Range: span(t, tf, `"public-read"`), Path: "acl"},
		{Rule: unusedGroup, Severity: rules.Low, Message: unusedGroup.Title, Resource: web, Kind: graph.SecurityGroup,
			Range: tf.Range(bytes.Index(tf.Src, []byte(`resource "aws_security_group"`)), len(tf.Src)-1)},
		{Rule: openSSH, Severity: rules.Medium, Message: "Ingress allows tcp 22 from 0.0.0.0/0.", Resource: web, Kind: graph.SecurityGroup,
			Range: span(t, tf, `"0.0.0.0/0"`), Path: "ingress[0].cidr_blocks[1]"},
		{Rule: openMySQL, Severity: rules.Medium, Message: "Ingress allows tcp 3306 from 0.0.0.0/0 (parameter Cidr).", Resource: db, Kind: graph.SecurityGroup,
			Range: span(t, yml, "!Ref Cidr"), Path: "SecurityGroupIngress[0].CidrIp",
			Related: []rules.Related{{Range: span(t, yml, "0.0.0.0/0"), Message: "value defined here"}},
			Trace:   []graph.Step{{Range: span(t, yml, "0.0.0.0/0"), What: "parameter Cidr default"}}},
	}
	return &scan.Result{
		Findings: findings,
		Diagnostics: source.Diagnostics{
			{Severity: source.Error, Summary: "Invalid JSON", Detail: "unexpected \"}\"", Subject: &brokenAt},
			{Severity: source.Warning, Summary: "infra/notes.yaml: not a Terraform, CloudFormation or serverless file; skipped"},
		},
		Rules: []*rules.Rule{{Meta: *publicRead}, {Meta: *noEncryption}, {Meta: *openSSH}, {Meta: *openMySQL}, {Meta: *unusedGroup}},
		Files: []*source.File{broken, tf, yml},
		Stats: scan.Stats{
			Files: 3, Resources: 3, FilesFailed: 1, Duration: 12345678 * time.Nanosecond,
			ByFormat: map[string]int{"terraform": 1, "cloudformation-yaml": 1, "cloudformation-json": 1},
		},
	}
}

// unresolvedResult is sampleResult with one check skipped because a port is unknown.
func unresolvedResult(t *testing.T) *scan.Result {
	t.Helper()
	res := sampleResult(t)
	tf := res.File("infra/main.tf")
	web := graph.ID{Path: tf.Path, Address: "aws_security_group.web"}
	res.Unresolved = []rules.Unresolved{{Rule: openSSH, Resource: web, Kind: graph.SecurityGroup, Range: span(t, tf, "22"),
		Reason: "port is not known statically", Reads: []string{"var.port"}}}
	res.Stats.Unresolved = 1
	return res
}

// cleanResult is a scan of two clean files.
func cleanResult() *scan.Result {
	return &scan.Result{
		Files: []*source.File{source.NewFile("a.tf", nil), source.NewFile("b.yaml", nil)},
		Stats: scan.Stats{Files: 2, Resources: 1, ByFormat: map[string]int{"terraform": 1, "cloudformation-yaml": 1}, Duration: 400 * time.Microsecond},
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// lines splits output for exact per-line assertions.
func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }
