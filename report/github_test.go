package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

const ciTF = `resource "aws_s3_bucket" "site" {
  acl = "public-read"
}

resource "aws_security_group" "web" {
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

var (
	ciPublic = &rules.Meta{
		ID: "AWS-S3-001", Name: "s3-bucket-public-read-acl", Title: "Bucket ACL grants READ to everyone",
		Remediation: "Set `acl` to `private`. Public buckets leak data.", Severity: rules.Critical,
	}
	ciSSH = &rules.Meta{
		ID: "AWS-EC2-002", Name: "ec2-ssh-open-to-world", Title: "Security group allows SSH (22), from the internet",
		Severity: rules.Medium,
	}
	ciUnused = &rules.Meta{
		ID: "AWS-EC2-106", Name: "ec2-unused-security-group", Title: "Security group not attached to anything",
		Remediation: "Delete the group.", Severity: rules.Low,
	}
)

// ciResult is a scan for the CI writers: findings of three severities in an order that is
// not the severity order, a message that needs escaping in a workflow command and in
// Markdown, a fixable finding, and diagnostics with and without a place.
func ciResult(t *testing.T) *scan.Result {
	t.Helper()
	tf := source.NewFile("infra/main.tf", []byte(ciTF))
	broken := source.NewFile("infra/broken.json", []byte("{\n  \"Resources\": {\n    }}\n"))
	brokenAt := broken.Range(21, 22)
	sg := graph.ID{Path: tf.Path, Address: "aws_security_group.web"}
	return &scan.Result{
		Findings: []rules.Finding{
			{Rule: ciUnused, Severity: rules.Low, Message: ciUnused.Title, Resource: sg, Kind: graph.SecurityGroup,
				Range: span(t, tf, `resource "aws_security_group" "web"`)},
			{Rule: ciPublic, Severity: rules.Critical, Message: "Canned ACL \"public-read\" lets anyone read: 100% of objects,\nall of them.",
				Resource: graph.ID{Path: tf.Path, Address: "aws_s3_bucket.site"}, Kind: graph.S3Bucket,
				Range: span(t, tf, `"public-read"`), Path: "acl",
				Fix: &rules.Fix{Mode: rules.FixAuto, Description: "Set acl to private."}},
			{Rule: ciSSH, Severity: rules.Medium, Message: "Ingress allows tcp 22 from 0.0.0.0/0 | <b>*everyone*</b>.",
				Resource: sg, Kind: graph.SecurityGroup, Range: span(t, tf, `"0.0.0.0/0"`), Path: "ingress[0].cidr_blocks[0]",
				Fix: &rules.Fix{Mode: rules.FixSuggest, Description: "Remove the CIDR."}},
		},
		Diagnostics: source.Diagnostics{
			{Severity: source.Error, Summary: "Invalid JSON", Detail: `unexpected "}"`, Subject: &brokenAt},
			{Severity: source.Warning, Summary: "notes.yaml: not a Terraform, CloudFormation or serverless file; skipped"},
		},
		Rules: []*rules.Rule{{Meta: *ciPublic}, {Meta: *ciSSH}, {Meta: *ciUnused}},
		Files: []*source.File{broken, tf},
		Stats: scan.Stats{Files: 2, Resources: 2, FilesFailed: 1},
	}
}

func TestGitHubGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, ciResult(t), Options{Version: "1.2.3", Color: true}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "github_sample.golden", buf.Bytes())
}

func TestGitHubClean(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, cleanResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("a clean scan printed %q, want nothing", buf.String())
	}
}

// TestGitHubUnresolved asserts that a scan with unresolved checks says so in a log line,
// not an annotation, also when it found nothing.
func TestGitHubUnresolved(t *testing.T) {
	res := cleanResult()
	res.Stats.Unresolved = 2
	var buf bytes.Buffer
	if err := GitHub(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "iacscan: 2 checks unresolved: a value is known only at deploy time (--explain-values lists them).\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestGitHubMostSevereFirst(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, ciResult(t), Options{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines(buf.Bytes()) {
		kind, rest, _ := strings.Cut(l, " ")
		title := rest[strings.Index(rest, "title=")+len("title="):]
		got = append(got, kind+" "+title[:strings.Index(title, "::")])
	}
	want := []string{
		"::error iacscan%3A Invalid JSON",
		"::warning iacscan",
		"::error AWS-S3-001%3A Bucket ACL grants READ to everyone",
		"::warning AWS-EC2-002%3A Security group allows SSH (22)%2C from the internet",
		"::notice AWS-EC2-106%3A Security group not attached to anything",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGitHubLimit checks that no more annotations are printed than GitHub shows per step
// (10 of each level), that the rest go to the log as plain lines and that a final notice,
// which itself takes a notice slot, counts them.
func TestGitHubLimit(t *testing.T) {
	tests := []struct {
		name                  string
		critical, medium, low int
		wantKinds             map[string]int // first word of each line, "plain" for the rest
		wantNotice            string
	}{
		{"within the limit", 10, 10, 10, map[string]int{"::error": 10, "::warning": 10, "::notice": 10}, ""},
		{"errors and warnings over", 12, 11, 3, map[string]int{"::error": 10, "::warning": 10, "::notice": 4, "plain": 3},
			"::notice title=iacscan%3A annotations not shown::3 annotations not shown (2 errors, 1 warning): GitHub shows at most 10 errors, 10 warnings and 10 notices per step. The log above lists them all."},
		{"the notice takes a slot", 11, 0, 10, map[string]int{"::error": 10, "::notice": 10, "plain": 2},
			"::notice title=iacscan%3A annotations not shown::2 annotations not shown (1 error, 1 notice): GitHub shows at most 10 errors, 10 warnings and 10 notices per step. The log above lists them all."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := GitHub(&buf, manyFindings(tc.critical, tc.medium, tc.low), Options{}); err != nil {
				t.Fatal(err)
			}
			out := lines(buf.Bytes())
			kinds := map[string]int{}
			for _, l := range out {
				kind, _, _ := strings.Cut(l, " ")
				if !strings.HasPrefix(kind, "::") {
					kind = "plain"
				}
				kinds[kind]++
			}
			if !reflect.DeepEqual(kinds, tc.wantKinds) {
				t.Errorf("line kinds = %v, want %v\n%s", kinds, tc.wantKinds, buf.Bytes())
			}
			last := out[len(out)-1]
			if tc.wantNotice == "" && strings.Contains(last, "not shown") || tc.wantNotice != "" && last != tc.wantNotice {
				t.Errorf("last line = %q, want %q", last, tc.wantNotice)
			}
		})
	}
}

func TestGitHubPlainLine(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, manyFindings(11, 0, 0), Options{}); err != nil {
		t.Fatal(err)
	}
	out := lines(buf.Bytes())
	if want := "x.tf:11:3: critical AWS-S3-001 finding 11"; out[10] != want {
		t.Errorf("the 11th error is logged as %q, want %q", out[10], want)
	}
}

// TestGitHubEscaping checks the escaping of a property value (the title) and of the
// message: line breaks and "%" in both, ":" and "," only in properties, and control
// characters replaced.
func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"a: b, c", "a: b, c", "a%3A b%2C c"},
		{"100%", "100%25", "100%25"},
		{"one\ntwo\r\nthree", "one%0Atwo%0D%0Athree", "one%0Atwo%0D%0Athree"},
		{"::error::injected", "::error::injected", "%3A%3Aerror%3A%3Ainjected"},
		{"esc\x1b[31m", "esc\uFFFD[31m", "esc\uFFFD[31m"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := annotation{level: "error", title: tc.in, message: tc.in}.command()
			if want := "::error title=" + tc.property + "::" + tc.data; got != want {
				t.Errorf("command with title and message %q = %q, want %q", tc.in, got, want)
			}
		})
	}
}

func TestCIWritersFailingWriter(t *testing.T) {
	for name, w := range map[string]Writer{"github": GitHub, "markdown": Markdown} {
		t.Run(name, func(t *testing.T) {
			if err := w(failingWriter{}, ciResult(t), Options{}); !errors.Is(err, os.ErrClosed) {
				t.Errorf("error = %v, want %v", err, os.ErrClosed)
			}
		})
	}
}

// manyFindings returns findings on lines 1, 2, ... of x.tf: critical ones first, then
// medium, then low.
func manyFindings(critical, medium, low int) *scan.Result {
	res := &scan.Result{}
	add := func(n int, m *rules.Meta) {
		for range n {
			line := len(res.Findings) + 1
			at := source.Pos{Line: line, Column: 3}
			res.Findings = append(res.Findings, rules.Finding{
				Rule: m, Severity: m.Severity, Message: fmt.Sprintf("finding %d", line),
				Range: source.Range{Path: "x.tf", Start: at, End: source.Pos{Line: line, Column: 9}},
			})
		}
	}
	add(critical, ciPublic)
	add(medium, ciSSH)
	add(low, ciUnused)
	return res
}
