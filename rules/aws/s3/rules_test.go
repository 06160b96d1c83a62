package s3_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/ruletest"
	"github.com/iacscan/iacscan/source"
)

// aclFamily is AWS-S3-001..010: each ACL archive runs all of them, so that its want
// section shows which other ACL rules a grant yields (public-read-write: 001 and 003) and
// which it must not (FULL_CONTROL: no 001..004).
var aclFamily = s3.Rules[:10]

// runWith is the rules an archive of r runs.
func runWith(r *rules.Rule) []*rules.Rule {
	if slices.Contains(aclFamily, r) {
		return aclFamily
	}
	return []*rules.Rule{r}
}

// archives are r's example archives: testdata/<name>.txtar, the one holding the positive
// and negative examples of every format, and variants testdata/<name>.<variant>.txtar for
// scans that need other surroundings (an account-level public access block).
func archives(t *testing.T, r *rules.Rule) []string {
	t.Helper()
	variants, err := filepath.Glob(filepath.Join("testdata", r.Name+".*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{mainArchive(r)}, variants...)
}

func mainArchive(r *rules.Rule) string { return filepath.Join("testdata", r.Name+".txtar") }

func TestRules(t *testing.T) {
	for _, r := range s3.Rules {
		for _, path := range archives(t, r) {
			t.Run(filepath.Base(path), func(t *testing.T) { ruletest.Run(t, path, runWith(r)...) })
		}
	}
}

// TestFixOracles runs the external checkers over the fix goldens, when installed.
func TestFixOracles(t *testing.T) {
	var paths []string
	for _, r := range s3.Rules {
		paths = append(paths, archives(t, r)...)
	}
	goldens := ruletest.Goldens(t, paths...)
	t.Run("terraform fmt", func(t *testing.T) { ruletest.TerraformFmt(t, goldens) })
	t.Run("cfn-lint", func(t *testing.T) { ruletest.CFNLint(t, goldens) })
}

func TestRegistry(t *testing.T) {
	wantIDs := []string{
		"AWS-S3-001", "AWS-S3-002", "AWS-S3-003", "AWS-S3-004", "AWS-S3-005",
		"AWS-S3-006", "AWS-S3-007", "AWS-S3-008", "AWS-S3-009", "AWS-S3-010",
		"AWS-S3-011", "AWS-S3-012", "AWS-S3-014", "AWS-S3-016", "AWS-S3-026",
	}
	var ids []string
	for _, r := range s3.Rules {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("rule IDs = %v, want %v (unique, in ID order)", ids, wantIDs)
	}
	names := map[string]bool{}
	for _, r := range s3.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if names[r.Name] {
				t.Errorf("duplicate name %q", r.Name)
			}
			names[r.Name] = true
			checkMeta(t, r)
			checkExamples(t, r)
		})
	}
}

// wantMeta is the catalog's severity and fix mode of each rule (RULES.md 3.1); none is off
// by default (decision 3).
var wantMeta = map[string]struct {
	severity rules.Severity
	fix      rules.FixMode
}{
	"AWS-S3-011": {rules.Low, rules.FixSuggest},
	"AWS-S3-012": {rules.Low, rules.FixAuto},
	"AWS-S3-014": {rules.Critical, rules.FixGuarded},
	"AWS-S3-016": {rules.High, rules.FixAuto},
	"AWS-S3-026": {rules.Medium, rules.FixGuarded},
}

func checkMeta(t *testing.T, r *rules.Rule) {
	t.Helper()
	for field, v := range map[string]string{"Name": r.Name, "Title": r.Title, "Description": r.Description, "Remediation": r.Remediation} {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s is empty", field)
		}
	}
	want, ok := wantMeta[r.ID]
	if !ok {
		want.severity, want.fix = rules.Critical, rules.FixAuto
	}
	if r.Severity != want.severity || r.Fix != want.fix {
		t.Errorf("Severity, Fix = %v, %v; want %v, %v", r.Severity, r.Fix, want.severity, want.fix)
	}
	if r.DefaultOff || r.Check == nil || len(r.Formats) == 0 {
		t.Errorf("DefaultOff = %v, Check set = %v, Formats = %v: want an enabled rule with a check and formats", r.DefaultOff, r.Check != nil, r.Formats)
	}
	for _, tag := range []string{"security", "aws", "s3"} {
		if !slices.Contains(r.Tags, tag) {
			t.Errorf("Tags = %v, want %q among them", r.Tags, tag)
		}
	}
}

// checkExamples demands, for each format the rule claims, a bucket the rule reports and one
// it does not, in the rule's main archive. A finding belongs to a bucket when it is about
// the bucket or one of the resources declaring its settings.
func checkExamples(t *testing.T, r *rules.Rule) {
	t.Helper()
	g := load(t, mainArchive(r))
	findings, diags := rules.Run(g, []*rules.Rule{r})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	reported := map[graph.ID]bool{}
	for _, f := range findings {
		reported[f.Resource] = true
	}
	positive, negative := map[graph.Format]int{}, map[graph.Format]int{}
	for _, b := range s3.Buckets(g) {
		involved := involvedResources(b)
		if slices.ContainsFunc(involved, func(res *graph.Resource) bool { return reported[res.ID] }) {
			positive[involved[0].Format]++
		} else {
			negative[involved[0].Format]++
		}
	}
	for _, f := range r.Formats {
		if positive[f] == 0 || negative[f] == 0 {
			t.Errorf("%s: %d positive and %d negative examples in %v, want at least one of each", mainArchive(r), positive[f], negative[f], f)
		}
	}
}

// involvedResources returns the bucket's resource and those declaring its own settings
// (not the account-level ones), the bucket first.
func involvedResources(b *s3.Bucket) []*graph.Resource {
	var out []*graph.Resource
	add := func(r *graph.Resource) {
		if r != nil && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	add(b.Resource)
	for _, s := range slices.Concat(b.CannedACLs, b.PublicAccessBlocks, b.Ownership, b.Encryption, b.Versioning, b.Logging, b.Website) {
		add(s.Resource)
	}
	for _, g := range b.Grants {
		add(g.Resource)
	}
	for _, p := range b.Policies {
		add(p.Resource)
		for _, st := range p.Statements {
			add(st.Resource)
		}
	}
	return out
}

// TestArchivesBelongToRules keeps testdata free of archives no rule runs.
func TestArchivesBelongToRules(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var known []string
	for _, r := range s3.Rules {
		known = append(known, archives(t, r)...)
	}
	for _, path := range paths {
		if !slices.Contains(known, path) {
			t.Errorf("%s belongs to no rule", path)
		}
	}
}

// TestSeverities checks what the want sections cannot show: every finding the family
// reports on its archives has the rule's severity, except the ineffective ones, which are
// low and point at the setting that neutralises them.
func TestSeverities(t *testing.T) {
	for _, r := range s3.Rules {
		for _, path := range archives(t, r) {
			t.Run(filepath.Base(path), func(t *testing.T) {
				findings, _ := rules.Run(load(t, path), []*rules.Rule{r})
				for _, f := range findings {
					checkSeverity(t, f)
				}
			})
		}
	}
}

func checkSeverity(t *testing.T, f rules.Finding) {
	t.Helper()
	at := fmt.Sprintf("%s:%d:%d: %s", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column, f.Rule.ID)
	if !strings.Contains(f.Message, "; ineffective: ") {
		if f.Severity != f.Rule.Severity {
			t.Errorf("%s: severity %v, want the rule's %v", at, f.Severity, f.Rule.Severity)
		}
		return
	}
	if f.Severity != rules.Low || len(f.Related) == 0 {
		t.Errorf("%s: severity %v with %d related locations, want low with the neutralising setting", at, f.Severity, len(f.Related))
	}
}

// TestRelated pins the related locations of findings: the setting that neutralises a
// public grant wherever it is declared (another file, the account level), where a policy
// document is attached to its buckets, and the parameter default a value comes from.
func TestRelated(t *testing.T) {
	tests := []struct {
		name    string
		archive string // a path, or the archive itself when it starts with "-- "
		rule    *rules.Rule
		want    []string // "finding -> related: message"
	}{
		{
			name:    "ignore_public_acls, ownership and a parameter default",
			archive: mainArchive(s3.PublicRead),
			rule:    s3.PublicRead,
			want: []string{
				"main.tf:54:12 -> guardrails.tf:3:3: S3 ignores public ACLs because of this setting",
				"main.tf:59:12 -> guardrails.tf:8:3: S3 ignores public ACLs because of this setting",
				"main.tf:68:12 -> main.tf:75:5: ACLs are disabled by this setting",
				"serverless.yml:21:24 -> serverless.yml:21:35: value defined here",
				"template.yaml:20:22 -> template.yaml:5:14: value defined here",
				"template.yaml:24:22 -> template.yaml:26:9: S3 ignores public ACLs because of this setting",
				"template.yaml:30:22 -> template.yaml:33:13: ACLs are disabled by this setting",
			},
		},
		{
			name:    "restrict_public_buckets and a shared policy document",
			archive: mainArchive(s3.PublicPolicy),
			rule:    s3.PublicPolicy,
			want: []string{
				"main.tf:54:22 -> main.tf:39:3: the policy document is attached to the bucket here",
				"main.tf:54:22 -> main.tf:44:3: the policy document is attached to the bucket here",
				"main.tf:146:3 -> guardrails.tf:3:3: S3 restricts public policies because of this setting",
				"template.yaml:43:19 -> template.yaml:32:9: S3 restricts public policies because of this setting",
			},
		},
		{
			name:    "account-level ignore_public_acls",
			archive: accountIgnore,
			rule:    s3.PublicRead,
			want:    []string{"main.tf:7:12 -> main.tf:2:3: S3 ignores public ACLs because of this setting"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := load(t, tc.archive)
			findings, _ := rules.Run(g, []*rules.Rule{tc.rule})
			var got []string
			for _, f := range findings {
				for _, rel := range f.Related {
					got = append(got, fmt.Sprintf("%s -> %s: %s", pos(f.Range), pos(rel.Range), rel.Message))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("related locations:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// accountIgnore makes a public-read bucket ineffective through the account-level block.
const accountIgnore = `-- main.tf --
resource "aws_s3_account_public_access_block" "account" {
  ignore_public_acls = true
}

resource "aws_s3_bucket" "public" {
  bucket = "public"
  acl    = "public-read"
}
`

func pos(r source.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Path, r.Start.Line, r.Start.Column)
}

// load parses the input sections of a txtar archive, given by path or inline, into a graph.
func load(t *testing.T, archive string) *graph.Graph {
	t.Helper()
	ar := txtar.Parse([]byte(archive))
	if !strings.HasPrefix(archive, "-- ") {
		var err error
		if ar, err = txtar.ParseFile(archive); err != nil {
			t.Fatal(err)
		}
	}
	return ruletest.Load(t, ar)
}

// BenchmarkRules runs the family over 10,000 resources: 2,500 buckets, each with a split
// ACL, public access block and versioning resource. Every rule builds the Bucket view.
func BenchmarkRules(b *testing.B) {
	var src strings.Builder
	for i := range 2500 {
		fmt.Fprintf(&src, `resource "aws_s3_bucket" "b%[1]d" {
  bucket = "bucket-%[1]d"
}

resource "aws_s3_bucket_acl" "b%[1]d" {
  bucket = aws_s3_bucket.b%[1]d.id
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "b%[1]d" {
  bucket             = "bucket-%[1]d"
  ignore_public_acls = true
}

resource "aws_s3_bucket_versioning" "b%[1]d" {
  bucket = aws_s3_bucket.b%[1]d.id
  versioning_configuration {
    status = "Enabled"
  }
}
`, i)
	}
	g, diags := parsers.Load([]parsers.Input{{File: source.NewFile("main.tf", []byte(src.String())), Format: graph.Terraform}})
	if len(diags) > 0 || len(g.Resources) != 10000 {
		b.Fatalf("%d resources, diagnostics %v", len(g.Resources), diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		rules.Run(g, s3.Rules)
	}
}

// A bucket whose Properties are an unresolved intrinsic is not known to lack anything.
func TestOpaquePropertiesReportNothingMissing(t *testing.T) {
	ar := txtar.Parse([]byte(`-- template.yaml --
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: !If
      - IsProd
      - VersioningConfiguration: {Status: Enabled}
      - !Ref AWS::NoValue
`))
	findings, diags := ruletest.Scan(t, ar, s3.Rules...)
	if len(findings) != 0 || len(diags) != 0 {
		t.Fatalf("findings %s, diagnostics %v", ruletest.Format(findings), diags)
	}
}

// TestUnresolvedRelated asserts that a check left unresolved because a resource naming a
// bucket not known statically may configure the bucket points at that resource.
func TestUnresolvedRelated(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "s3-public-access-block-disabled.unknown.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	res, _ := rules.RunAll(ruletest.Load(t, ar), []*rules.Rule{s3.NoPublicAccessBlock})
	var got []string
	for _, u := range res.Unresolved {
		for _, r := range u.Related {
			got = append(got, fmt.Sprintf("%s:%d:%d -> %s:%d:%d: %s", u.Range.Path, u.Range.Start.Line, u.Range.Start.Column,
				r.Range.Path, r.Range.Start.Line, r.Range.Start.Column, r.Message))
		}
	}
	want := []string{
		"derived/main.tf:1:1 -> derived/main.tf:7:1: may configure this bucket",
		"main.tf:13:1 -> main.tf:5:1: may configure this bucket",
	}
	if !slices.Equal(got, want) {
		t.Errorf("related locations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
