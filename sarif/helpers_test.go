package sarif

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaptinlin/jsonschema"
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// schemaPath is the OASIS SARIF 2.1.0 schema (errata01, draft-04), copied verbatim into
// the repository so that the tests need nothing beside it.
const schemaPath = "testdata/sarif-schema-2.1.0.json"

// validateSchema fails t when doc is not a valid SARIF 2.1.0 log. Formats are asserted
// too, so that a URI that is no uri-reference fails.
func validateSchema(t *testing.T, doc []byte) {
	t.Helper()
	if err := schemaError(t, doc); err != nil {
		t.Errorf("the SARIF log does not validate against %s:\n%v", schemaPath, err)
	}
}

func schemaError(t *testing.T, doc []byte) error {
	t.Helper()
	src, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler().SetAssertFormat(true)
	delete(c.Loaders, "http") // the schema is self-contained: no network in tests
	delete(c.Loaders, "https")
	schema, err := c.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	if res := schema.ValidateJSON(doc); !res.IsValid() {
		return fmt.Errorf("%v", res.DetailedErrors())
	}
	return nil
}

// checkGolden compares got with testdata/name, or rewrites the file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
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
		t.Errorf("%s differs from the output (run with -update to rewrite it)\n--- got:\n%s", path, got)
	}
}

// render writes res as SARIF and returns the bytes and the decoded log.
func render(t *testing.T, res *scan.Result, version string) ([]byte, *sarif.Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, res, report.Options{Version: version}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	log, err := sarif.FromBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("the output is not JSON: %v\n%s", err, buf.Bytes())
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want exactly 1", len(log.Runs))
	}
	return buf.Bytes(), log
}

const (
	sampleTF = `resource "aws_s3_bucket" "site" {
  acl = "public-read"
}

resource "aws_security_group" "web" {
  ingress {
    cidr_blocks = ["10.0.0.0/8" /* 🔑 office */, "0.0.0.0/0"]
  }
}
`
	sampleYAML = `Parameters:
  Cidr:
    Default: 0.0.0.0/0
Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !Ref Cidr}
`
	sampleBroken = "{\n  \"Resources\": {\n    }}\n"
)

var (
	publicRead = &rules.Meta{
		ID: "AWS-S3-001", Name: "s3-bucket-public-read-acl", Title: "Bucket ACL grants READ to everyone",
		Description: "Anyone on the internet can list and read the bucket's objects.",
		Remediation: "Set `acl` to `private`.", Severity: rules.Critical, Tags: []string{"aws", "s3", "Security", "CWE-732"},
	}
	openSSH = &rules.Meta{
		ID: "AWS-EC2-002", Name: "ec2-ssh-open-to-world", Title: "Security group allows SSH (22) from the internet",
		Severity: rules.High, Tags: []string{"aws", "ec2"},
	}
	openMySQL = &rules.Meta{
		ID: "AWS-EC2-005", Name: "ec2-mysql-open-to-world", Title: "Security group allows MySQL (3306) from the internet",
		Description: "MySQL should never face the internet.", Severity: rules.Medium,
	}
	unusedGroup = &rules.Meta{
		ID: "AWS-EC2-106", Name: "ec2-unused-security-group", Title: "Security group not attached to anything",
		Remediation: "Delete the group.", Severity: rules.Low,
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

// sampleResult is a scan with findings of several severities, one lowered below its rule's
// severity, a rule that found nothing, a path that needs escaping, a character outside the
// BMP before a finding's column, a related location, a value trace, a planned fix and diagnostics with
// and without a position.
func sampleResult(t *testing.T) *scan.Result {
	t.Helper()
	tf := source.NewFile("infra/main.tf", []byte(sampleTF))
	yml := source.NewFile("infra/db stack.yaml", []byte(sampleYAML))
	broken := source.NewFile("infra/broken.json", []byte(sampleBroken))
	acl := span(t, tf, `"public-read"`)
	brokenAt := broken.Range(21, 22)
	findings := []rules.Finding{
		{Rule: publicRead, Severity: rules.Critical, Message: `Canned ACL "public-read" lets anyone read objects.`,
			Resource: graph.ID{Path: tf.Path, Address: "aws_s3_bucket.site"}, Kind: graph.S3Bucket, Range: acl, Path: "acl",
			Fix: &rules.Fix{Mode: rules.FixAuto, Description: `Set acl to "private".`,
				Edits: []fixers.Edit{{Path: tf.Path, Start: acl.Start.Byte, End: acl.End.Byte, New: `"private"`}}}},
		{Rule: openSSH, Severity: rules.Low, Message: "Ingress allows tcp 22 from 0.0.0.0/0.",
			Resource: graph.ID{Path: tf.Path, Address: "aws_security_group.web"}, Kind: graph.SecurityGroup,
			Range: span(t, tf, `"0.0.0.0/0"`), Path: "ingress[0].cidr_blocks[0]"},
		{Rule: openMySQL, Severity: rules.Medium, Message: "Ingress allows tcp 3306 from 0.0.0.0/0 (parameter Cidr).",
			Resource: graph.ID{Path: yml.Path, Address: "Db"}, Kind: graph.SecurityGroup,
			Range: span(t, yml, "!Ref Cidr"), Path: "SecurityGroupIngress[0].CidrIp",
			Related: []rules.Related{{Range: span(t, yml, "0.0.0.0/0"), Message: "value defined here"}},
			Trace:   []graph.Step{{Range: span(t, yml, "0.0.0.0/0"), What: "parameter Cidr default"}}},
	}
	return &scan.Result{
		Findings: findings,
		Diagnostics: source.Diagnostics{
			{Severity: source.Error, Summary: "Invalid JSON", Detail: `unexpected "}"`, Subject: &brokenAt},
			{Severity: source.Warning, Summary: "infra/notes.yaml: not a Terraform, CloudFormation or serverless file; skipped"},
		},
		Rules: []*rules.Rule{{Meta: *publicRead}, {Meta: *openSSH}, {Meta: *openMySQL}, {Meta: *unusedGroup}},
		Files: []*source.File{broken, yml, tf},
		Stats: scan.Stats{Files: 3, Resources: 3, FilesFailed: 1},
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }
