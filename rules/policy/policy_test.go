package policy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules/policy"
	"github.com/iacscan/iacscan/source"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "s3:GetObject", true},
		{"*:*", "iam:CreateUser", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"S3:getobject", "s3:GetObject", true}, // action names are case-insensitive
		{"s3:GetObject", "S3:GETOBJECT", true},
		{"iam:*", "s3:GetObject", false},
		{"ec2:Describe?nstances", "ec2:DescribeInstances", true},
		{"ec2:Describe?nstances", "ec2:Describenstances", false},
		{"s3:*Object*", "s3:GetObjectAcl", true},
		{"s3:*Object", "s3:GetObjectAcl", false},
		{"", "s3:GetObject", false},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"**", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.action, func(t *testing.T) {
			if got := policy.Match(tc.pattern, tc.action); got != tc.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
			}
		})
	}
}

// load parses files (path: content) and reads their documents; file() and templatefile()
// read root.
func load(t *testing.T, files map[string]string, root fstest.MapFS) []*policy.Document {
	t.Helper()
	var inputs []parsers.Input
	for _, path := range slices.Sorted(func(yield func(string) bool) {
		for p := range files {
			if !yield(p) {
				return
			}
		}
	}) {
		src := []byte(files[path])
		inputs = append(inputs, parsers.Input{File: source.NewFile(path, src), Format: detect.Classify(path, src)})
	}
	opts := parsers.Options{}
	if root != nil {
		opts.Terraform.Root = root
	}
	g, diags := parsers.LoadWith(inputs, opts)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	return policy.Documents(g)
}

// describe renders a document's statements as "owner[name]: index sid effect
// actions/resources" with what the engine makes of them.
func describe(docs []*policy.Document) []string {
	var out []string
	for _, d := range docs {
		for _, st := range d.Statements {
			action, _ := st.EveryAction()
			resource, _ := st.EveryResource()
			s := fmt.Sprintf("%s: %s %s every-action=%v every-resource=%v public=%v", d.Describe(), st.Name(), st.Effect, action != nil, resource != nil, st.Public())
			if d.Inline {
				s += fmt.Sprintf(" inline%v", d.Holders)
			}
			out = append(out, s)
		}
		for _, u := range d.Unresolved {
			out = append(out, d.Describe()+": unresolved: "+u.Why)
		}
	}
	return out
}

// TestDocumentSources reads a document from each Terraform source: file() and
// templatefile() under the root, a heredoc, jsonencode, and a data source merging source
// and override documents (an override replaces the statements with its Sid).
func TestDocumentSources(t *testing.T) {
	root := fstest.MapFS{
		"policies/admin.json": {Data: []byte(`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`)},
		"policies/read.tpl":   {Data: []byte(`{"Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "${action}", "Resource": "*"}]}`)},
	}
	docs := load(t, map[string]string{"main.tf": `
resource "aws_iam_policy" "file" {
  policy = file("${path.module}/policies/admin.json")
}

resource "aws_iam_role_policy" "template" {
  role   = "app"
  policy = templatefile("${path.module}/policies/read.tpl", { action = "s3:GetObject" })
}

resource "aws_iam_group_policy" "heredoc" {
  group  = "g"
  policy = <<EOT
{"Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::x"}}
EOT
}

resource "aws_iam_user_policy" "merged" {
  user   = "u"
  policy = data.aws_iam_policy_document.merged.json
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Kept"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({
    Statement = [{ Sid = "Replaced", Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })]
  statement {
    sid = "Own"
    not_actions = ["iam:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`}, root)
	got := describe(docs)
	want := []string{
		"aws_iam_policy.file: 1 Allow every-action=true every-resource=true public=false",
		`aws_iam_role_policy.template: "Read" Allow every-action=false every-resource=true public=false inline[role]`,
		"aws_iam_group_policy.heredoc: 1 Deny every-action=false every-resource=false public=false inline[group]",
		`aws_iam_user_policy.merged: "Kept" Allow every-action=true every-resource=true public=false inline[user]`,
		`aws_iam_user_policy.merged: "Own" Allow every-action=true every-resource=true public=true inline[user]`,
		`aws_iam_user_policy.merged: "Replaced" Allow every-action=false every-resource=true public=false inline[user]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("documents:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDocumentsOnce reads a data source shared by two policies once: both documents hold
// the same statements, and a data source no resource reads is a document of its own.
func TestDocumentsOnce(t *testing.T) {
	docs := load(t, map[string]string{"main.tf": `
resource "aws_iam_policy" "a" {
  policy = data.aws_iam_policy_document.shared.json
}

resource "aws_iam_policy" "b" {
  policy = data.aws_iam_policy_document.shared.json
}

data "aws_iam_policy_document" "shared" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "alone" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
`}, nil)
	if len(docs) != 3 {
		t.Fatalf("%d documents, want 3: %v", len(docs), describe(docs))
	}
	if docs[0].Statements[0] != docs[1].Statements[0] || docs[0].Data == nil {
		t.Errorf("the shared data source's statements are read twice")
	}
	if docs[2].Owner.ID.Address != "data.aws_iam_policy_document.alone" || docs[2].Basis != policy.IdentityBased {
		t.Errorf("third document is %s (basis %v), want the unattached data source, identity-based", docs[2].Owner.ID.Address, docs[2].Basis)
	}
}

// TestElements checks NotAction and NotResource: they cover every action but those named,
// unless they name "*" themselves; unknown items leave the question open.
func TestElements(t *testing.T) {
	v := func(s string) *graph.Value { return graph.StringValue(s) }
	list := func(items ...*graph.Value) *graph.Value { return &graph.Value{Type: graph.List, Items: items} }
	unknown := &graph.Value{Type: graph.Unknown}
	tests := []struct {
		name          string
		e             policy.Elements
		every         bool
		unresolved    int
		coversGet     bool
		coversUnknown int
	}{
		{"star", policy.Elements{At: v("*"), Known: []*graph.Value{v("*")}}, true, 0, true, 0},
		{"scoped", policy.Elements{At: v("s3:*"), Known: []*graph.Value{v("s3:*")}}, false, 0, true, 0},
		{"unknown item", policy.Elements{At: list(v("s3:Put*"), unknown), Known: []*graph.Value{v("s3:Put*")}, Unknown: []*graph.Value{unknown}}, false, 1, false, 1},
		{"not iam", policy.Elements{Not: true, At: v("iam:*"), Known: []*graph.Value{v("iam:*")}}, true, 0, true, 0},
		{"not star", policy.Elements{Not: true, At: v("*"), Known: []*graph.Value{v("*")}}, false, 0, false, 0},
		{"not s3", policy.Elements{Not: true, At: v("s3:*"), Known: []*graph.Value{v("s3:*")}}, true, 0, false, 0},
		{"not unknown", policy.Elements{Not: true, At: unknown, Unknown: []*graph.Value{unknown}}, false, 1, false, 1},
		{"absent", policy.Elements{}, false, 0, false, 0},
	}
	r := &graph.Resource{ID: graph.ID{Path: "main.tf", Address: "aws_iam_policy.p"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at, unresolved := tc.e.Every(r, "why")
			if (at != nil) != tc.every || len(unresolved) != tc.unresolved {
				t.Errorf("Every = %v, %d unresolved; want %v, %d", at != nil, len(unresolved), tc.every, tc.unresolved)
			}
			at, unresolved = tc.e.Covers(r, "s3:GetObject", "why")
			if (at != nil) != tc.coversGet || len(unresolved) != tc.coversUnknown {
				t.Errorf("Covers(s3:GetObject) = %v, %d unresolved; want %v, %d", at != nil, len(unresolved), tc.coversGet, tc.coversUnknown)
			}
		})
	}
}

// TestPinningKeys is the one list of caller-pinning condition keys AWS-S3-014,
// AWS-SNS-001 and AWS-LAMBDA-004 share: case-insensitive, and only keys that restrict who
// calls or from where.
func TestPinningKeys(t *testing.T) {
	for key, want := range map[string]bool{
		"aws:SourceVpce": true, "AWS:SOURCEACCOUNT": true, "aws:PrincipalOrgID": true, "aws:SourceArn": true,
		"aws:SourceOwner": true, "aws:SecureTransport": false, "aws:MultiFactorAuthPresent": false, "s3:x-amz-acl": false,
	} {
		if got := policy.PinningKey(key); got != want {
			t.Errorf("PinningKey(%q) = %v, want %v", key, got, want)
		}
	}
}
