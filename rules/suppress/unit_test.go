package suppress

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

func TestParseComment(t *testing.T) {
	date := func(s string) time.Time { d, _ := time.Parse(dateLayout, s); return d }
	tests := []struct {
		name, text string
		want       []directive
	}{
		{"plain", " iacscan:ignore:AWS-EC2-002 bastion host", []directive{
			{tool: ToolIacscan, ids: []string{"AWS-EC2-002"}, reason: "bastion host", offset: 1, length: 39}}},
		{"several IDs and expiry", "iacscan:ignore:AWS-EC2-002,EC2-038:exp:2027-01-31 until the VPN", []directive{
			{tool: ToolIacscan, ids: []string{"AWS-EC2-002", "EC2-038"}, expires: date("2027-01-31"), reason: "until the VPN", length: 63}}},
		{"selector", "iacscan:ignore:AWS-S3-001[logs] the log bucket", []directive{
			{tool: ToolIacscan, ids: []string{"AWS-S3-001"}, selector: &Selector{Key: "logs"}, reason: "the log bucket", length: 46}}},
		{"attribute selector and workspace", "trivy:ignore:AVD-AWS-0107[from_port=3306]:ws:dev-*", []directive{
			{tool: ToolTrivy, ids: []string{"AVD-AWS-0107"}, selector: &Selector{Attr: "from_port", Value: "3306"}, ws: "dev-*", length: 50}}},
		{"checkov with colon reason", "checkov:skip=CKV_AWS_24:needed for SSH", []directive{
			{tool: ToolCheckov, ids: []string{"CKV_AWS_24"}, reason: "needed for SSH", length: 38}}},
		{"two tfsec ignores", "tfsec:ignore:A tfsec:ignore:B:exp:2026-01-01", []directive{
			{tool: ToolTfsec, ids: []string{"A"}, length: 14},
			{tool: ToolTfsec, ids: []string{"B"}, expires: date("2026-01-01"), offset: 15, length: 29}}},
		{"not at a word start", "myiacscan:ignore:AWS-EC2-002", nil},
		{"bad date", "iacscan:ignore:X:exp:tomorrow why", []directive{
			{tool: ToolIacscan, ids: []string{"X"}, problem: `expiry "tomorrow" is not a date like 2027-01-31`, reason: "why", length: 33}}},
		{"unknown option", "iacscan:ignore:X:until:2027-01-01", []directive{
			{tool: ToolIacscan, ids: []string{"X"}, problem: `unknown option ":until" (want :exp:YYYY-MM-DD)`, length: 33}}},
		{"no ID", "iacscan:ignore: reason", []directive{
			{tool: ToolIacscan, problem: "names no rule", length: 22}}},
		{"unclosed selector", "iacscan:ignore:X[a", []directive{
			{tool: ToolIacscan, ids: []string{"X"}, problem: "unclosed [", length: 18}}},
		{"junk after IDs", "iacscan:ignore:X]oops", []directive{
			{tool: ToolIacscan, ids: []string{"X]oops"}, length: 21}}},
		{"empty selector", "iacscan:ignore:X[] r", []directive{
			{tool: ToolIacscan, ids: []string{"X"}, problem: "empty [] selector", reason: "r", length: 20}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parseComment(tc.text)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseComment(%q) =\n%+v\nwant\n%+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestYAMLCommentAt(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"# whole line", 0},
		{"key: value # trailing", 11},
		{"key: value#not a comment", -1},
		{`key: "a # b" # c`, 13},
		{`key: 'it''s # x' # c`, 17},
		{`key: "esc \" # x" # c`, 18},
		{"note: it's # c", 11},
		{"- 'a' # c", 6},
		{"url: http://x/#frag", -1},
		{"\tkey: v\t# tab", 8},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			if got := yamlCommentAt([]byte(tc.line)); got != tc.want {
				t.Errorf("yamlCommentAt(%q) = %d, want %d", tc.line, got, tc.want)
			}
		})
	}
}

func TestHCLBlocks(t *testing.T) {
	src := "locals { a = \"${x}\" }\nvariable \"v\" {\n  default = { k = 1 }\n}\nx = { y = 2 }\nmodule \"web\" {\n  source = \"./web\"\n}\nresource \"t\" \"n\" {\n"
	f := source.NewFile("main.tf", []byte(src))
	_, blocks := hclComments(f)
	var got []string
	for _, b := range blocks {
		got = append(got, b.typ+" "+pos(f.Range(b.start, b.end))+"-"+strings.TrimPrefix(pos(f.Range(b.end, b.end)), "main.tf:"))
	}
	want := []string{"locals main.tf:1:1-1:22", "variable main.tf:2:1-4:2", "module main.tf:6:1-8:2", "resource main.tf:9:1-10:1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks = %q, want %q", got, want)
	}
}

// TestInstancesAndModules checks the scopes the parsers cannot produce yet: for_each
// instances (one resource per key, sharing the block) and findings inside a module,
// related to the module call.
func TestInstancesAndModules(t *testing.T) {
	src := `# iacscan:ignore:AWS-TST-001["logs"] the log bucket is public on purpose
resource "x_thing" "b" {
  for_each = toset(["logs", "site"])
  bad      = true
}

module "web" { # iacscan:ignore:AWS-TST-002 the module's bastion
  source = "./web"
}
`
	f := source.NewFile("main.tf", []byte(src))
	mod := source.NewFile("web/main.tf", []byte("resource \"x_thing\" \"this\" {\n  open = true\n}\n"))
	block := f.Range(strings.Index(src, "resource"), strings.Index(src, "}\n")+1)
	instance := func(key string) *graph.Resource {
		return &graph.Resource{ID: graph.ID{Path: "main.tf", Address: `x_thing.b["` + key + `"]`}, Range: block, Header: block, Body: &graph.Value{Type: graph.Map}}
	}
	logs, site := instance("logs"), instance("site")
	inModule := &graph.Resource{ID: graph.ID{Path: "web/main.tf", Address: "module.web.x_thing.this"}, Range: mod.Range(0, 38), Header: mod.Range(0, 26)}
	call := f.Range(strings.Index(src, "module"), len(src)-1)
	value := f.Range(strings.Index(src, "true"), strings.Index(src, "true")+4)
	findings := []rules.Finding{
		{Rule: &badValue.Meta, Resource: logs.ID, Range: value, Message: "logs"},
		{Rule: &badValue.Meta, Resource: site.ID, Range: value, Message: "site"},
		{Rule: &openHeader.Meta, Resource: inModule.ID, Range: inModule.Header, Message: "module", Related: []rules.Related{{Range: call, Message: "module call"}}},
	}
	ignores := Inline(f, graph.Terraform, nil)
	kept, sup, diags := Apply(findings, ignores, Options{
		Now: today, Catalog: testRules, Ran: testRules,
		Resources: map[graph.ID]*graph.Resource{logs.ID: logs, site.ID: site, inModule.ID: inModule},
	})
	if len(kept) != 1 || kept[0].Message != "site" {
		t.Errorf("kept = %+v, want only the site instance", kept)
	}
	if len(sup) != 2 || sup[0].Message != "logs" || sup[1].Message != "module" || sup[1].Suppression.Reason != "the module's bastion" {
		t.Errorf("suppressed = %+v, want the logs instance and the module's finding", sup)
	}
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
}

func TestExcludeTags(t *testing.T) {
	ar := txtar.Parse([]byte(`-- main.tf --
resource "x_thing" "audit_off" {
  open = true
  tags = { CASB-Audit = "No", Name = "a" }
}
resource "x_thing" "audited" {
  open = true
  tags = { CASB-Audit = "Yes" }
}
resource "x_thing" "asg" {
  open = true
  tag {
    key   = "CASB-Audit"
    value = "No"
  }
}
resource "x_thing" "unknown" {
  open = true
  tags = { CASB-Audit = var.audit }
}
resource "x_thing" "any_value" {
  open = true
  tags = { scratch = "whatever" }
}
-- template.yaml --
Resources:
  Listed:
    Type: AWS::S3::Bucket
    Properties:
      Open: true
      Tags:
        - {Key: CASB-Audit, Value: "No"}
  Mapped:
    Type: AWS::SSM::Parameter
    Properties:
      Open: true
      Tags: {CASB-Audit: "No"}
  Untagged:
    Type: AWS::S3::Bucket
    Properties:
      Open: true
-- template.json --
{"Resources": {"J": {"Type": "AWS::S3::Bucket", "Properties": {"Open": true, "Tags": [{"Key": "CASB-Audit", "Value": "No"}]}}}}
-- stack/serverless.yml --
service: a
provider:
  name: aws
  open: true
  stackTags:
    CASB-Audit: "No"
functions:
  f:
    handler: h
    open: true
resources:
  Resources:
    B:
      Type: AWS::S3::Bucket
      Properties:
        Open: true
-- fn/serverless.yml --
service: b
provider:
  name: aws
  tags:
    CASB-Audit: "No"
functions:
  f:
    handler: h
    open: true
  g:
    handler: h
    open: true
    tags:
      team: x
resources:
  Resources:
    B:
      Type: AWS::S3::Bucket
      Properties:
        Open: true
`))
	g, _ := load(t, ar)
	findings, _ := rules.Run(g, []*rules.Rule{openHeader})
	kept, sup, excluded := ExcludeTags(findings, g, []Tag{{Key: "CASB-Audit", Value: "No"}, {Key: "scratch", Value: AnyValue}})
	var gotKept, gotSup []string
	for _, f := range kept {
		gotKept = append(gotKept, f.Resource.String())
	}
	for _, s := range sup {
		gotSup = append(gotSup, s.Resource.String()+" "+pos(*s.Suppression.Location)+" "+s.Suppression.Kind+" "+s.Suppression.Reason)
	}
	wantKept := []string{"fn/serverless.yml:B", "main.tf:x_thing.audited", "main.tf:x_thing.unknown", "template.yaml:Untagged"}
	wantSup := []string{
		"fn/serverless.yml:functions.f fn/serverless.yml:5:17 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"fn/serverless.yml:functions.g fn/serverless.yml:5:17 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"main.tf:x_thing.audit_off main.tf:3:25 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"main.tf:x_thing.asg main.tf:13:13 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"main.tf:x_thing.any_value main.tf:22:22 external the resource is tagged scratch=whatever (exclude-tags)",
		"stack/serverless.yml:provider stack/serverless.yml:6:17 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"stack/serverless.yml:functions.f stack/serverless.yml:6:17 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"stack/serverless.yml:B stack/serverless.yml:6:17 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"template.json:J template.json:1:118 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"template.yaml:Listed template.yaml:7:36 external the resource is tagged CASB-Audit=No (exclude-tags)",
		"template.yaml:Mapped template.yaml:12:26 external the resource is tagged CASB-Audit=No (exclude-tags)",
	}
	if !reflect.DeepEqual(gotKept, wantKept) {
		t.Errorf("kept:\n%s\nwant:\n%s", strings.Join(gotKept, "\n"), strings.Join(wantKept, "\n"))
	}
	if !reflect.DeepEqual(gotSup, wantSup) {
		t.Errorf("suppressed:\n%s\nwant:\n%s", strings.Join(gotSup, "\n"), strings.Join(wantSup, "\n"))
	}
	// Every tagged resource counts, with findings or not: fn/serverless.yml's provider too,
	// and the deployment bucket and default role the framework generates for
	// stack/serverless.yml, which its stackTags tag like every resource of the stack.
	if excluded != len(wantSup)+3 {
		t.Errorf("excluded %d resources, want %d", excluded, len(wantSup)+3)
	}
}
