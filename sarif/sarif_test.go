package sarif

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/report"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

func TestWriteGolden(t *testing.T) {
	tests := []struct {
		name, golden string
		res          func(*testing.T) *scan.Result
	}{
		{"sample", "sample.sarif", sampleResult},
		{"clean", "clean.sarif", func(*testing.T) *scan.Result {
			return &scan.Result{Rules: []*rules.Rule{{Meta: *unusedGroup}}, Files: []*source.File{source.NewFile("a.tf", nil)}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := render(t, tc.res(t), "1.2.3")
			checkGolden(t, tc.golden, out)
			validateSchema(t, out)
		})
	}
}

// TestSchemaRejects proves that the schema check can fail: each log breaks one rule of the
// schema.
func TestSchemaRejects(t *testing.T) {
	tests := map[string]string{
		"no runs":       `{"version": "2.1.0"}`,
		"wrong version": `{"version": "2.0.0", "runs": []}`,
		"bad level":     `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		"line 0":        `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			if schemaError(t, []byte(doc)) == nil {
				t.Errorf("the schema accepted %s", doc)
			}
		})
	}
}

func TestDriver(t *testing.T) {
	tests := []struct {
		version, wantVersion, wantSemantic string
	}{
		{"1.2.3", "1.2.3", "1.2.3"},
		{"1.2.3-rc.1+abc", "1.2.3-rc.1+abc", "1.2.3-rc.1+abc"},
		{"dev", "dev", ""},
		{"v1.2.3", "v1.2.3", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			_, log := render(t, &scan.Result{}, tc.version)
			d := log.Runs[0].Tool.Driver
			if d.Name != "iacscan" || deref(d.InformationURI) != "https://github.com/iacscan/iacscan" {
				t.Errorf("driver name, informationUri = %q, %q", d.Name, deref(d.InformationURI))
			}
			if got := deref(d.Version); got != tc.wantVersion {
				t.Errorf("version = %q, want %q", got, tc.wantVersion)
			}
			if got := deref(d.SemanticVersion); got != tc.wantSemantic {
				t.Errorf("semanticVersion = %q, want %q", got, tc.wantSemantic)
			}
		})
	}
}

func TestRules(t *testing.T) {
	_, log := render(t, sampleResult(t), "1.2.3")
	got := log.Runs[0].Tool.Driver.Rules
	type want struct {
		id, doc, name, short, full, text, markdown, level, score string
		tags                                                     []any
	}
	wants := []want{
		{
			id: "AWS-S3-001", name: "s3-bucket-public-read-acl", short: publicRead.Title, full: publicRead.Description,
			text:     "Anyone on the internet can list and read the bucket's objects.\n\nHow to fix: Set `acl` to `private`.\n\nDocumentation: https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-S3-001.md",
			markdown: "Anyone on the internet can list and read the bucket's objects.\n\n**How to fix.** Set `acl` to `private`.\n\n[Rule documentation](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-S3-001.md)",
			level:    "error", score: "9.5", tags: []any{"security", "aws", "s3", "CWE-732"},
		},
		{
			id: "AWS-EC2-002", name: "ec2-ssh-open-to-world", short: openSSH.Title, full: openSSH.Title,
			text:     "Documentation: https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-002.md",
			markdown: "[Rule documentation](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-002.md)",
			level:    "error", score: "8.0", tags: []any{"security", "aws", "ec2"},
		},
		{
			id: "AWS-EC2-005", name: "ec2-mysql-open-to-world", short: openMySQL.Title, full: openMySQL.Description,
			text:     "MySQL should never face the internet.\n\nDocumentation: https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-005.md",
			markdown: "MySQL should never face the internet.\n\n[Rule documentation](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-005.md)",
			level:    "warning", score: "5.5", tags: []any{"security"},
		},
		{
			id: "AWS-EC2-106", name: "ec2-unused-security-group", short: unusedGroup.Title, full: unusedGroup.Title,
			text:     "How to fix: Delete the group.\n\nDocumentation: https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-106.md",
			markdown: "**How to fix.** Delete the group.\n\n[Rule documentation](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-106.md)",
			level:    "note", score: "2.0", tags: []any{"security"},
		},
		// The SSH finding is lowered to low: GitHub takes the alert's severity from the
		// descriptor whose id is the result's ruleId, so it gets a variant of its own.
		{
			id: "AWS-EC2-002/low", doc: "AWS-EC2-002", name: "ec2-ssh-open-to-world", short: openSSH.Title,
			full:     openSSH.Title + ". These findings of AWS-EC2-002 are low, not high as the rule is: the message of each says why.",
			text:     "Documentation: https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-002.md",
			markdown: "[Rule documentation](https://github.com/iacscan/iacscan/blob/main/docs/rules/AWS-EC2-002.md)",
			level:    "note", score: "2.0", tags: []any{"security", "aws", "ec2"},
		},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d rules, want %d (every rule that ran, with findings or not)", len(got), len(wants))
	}
	for i, w := range wants {
		t.Run(w.id, func(t *testing.T) {
			r := got[i]
			if w.doc == "" {
				w.doc = w.id
			}
			checks := []struct{ field, got, want string }{
				{"id", r.ID, w.id},
				{"name", deref(r.Name), w.name},
				{"shortDescription", deref(r.ShortDescription.Text), w.short},
				{"fullDescription", deref(r.FullDescription.Text), w.full},
				{"help.text", deref(r.Help.Text), w.text},
				{"help.markdown", deref(r.Help.Markdown), w.markdown},
				{"helpUri", deref(r.HelpURI), "https://github.com/iacscan/iacscan/blob/main/docs/rules/" + w.doc + ".md"},
				{"defaultConfiguration.level", r.DefaultConfiguration.Level, w.level},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			// security-severity must be a JSON string: GitHub ignores a number.
			if score, ok := r.Properties["security-severity"].(string); !ok || score != w.score {
				t.Errorf("security-severity = %#v, want the string %q", r.Properties["security-severity"], w.score)
			}
			if !reflect.DeepEqual(r.Properties["tags"], w.tags) {
				t.Errorf("tags = %v, want %v", r.Properties["tags"], w.tags)
			}
		})
	}
}

func TestTagsLimit(t *testing.T) {
	many := []string{"", "Security", "aws", "AWS"}
	for i := range 30 {
		many = append(many, fmt.Sprintf("t%02d", i))
	}
	got := tags(many)
	want := []string{"security", "aws", "t00", "t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10", "t11", "t12", "t13", "t14", "t15", "t16", "t17"}
	if !slices.Equal(got, want) {
		t.Errorf("tags = %v, want %v", got, want)
	}
}

func TestResults(t *testing.T) {
	res := sampleResult(t)
	_, log := render(t, res, "1.2.3")
	got := log.Runs[0].Results
	type region struct{ startLine, startCol, endLine, endCol int }
	wants := []struct {
		rule      string
		index     uint
		level     string
		uri       string
		region    region
		resource  string
		related   []string // uri:startLine:startCol message
		flow      []string // the code flow's locations, as related
		fixRegion []int    // byteOffset, byteLength of the one replacement
		fixText   string
	}{
		{rule: "AWS-S3-001", index: 0, level: "error", uri: "infra/main.tf", region: region{2, 9, 2, 22},
			resource: "aws_s3_bucket.site", fixRegion: []int{42, 13}, fixText: `"private"`},
		// 🔑 is one code point but two UTF-16 code units: the columns are one higher
		// than source.Pos says.
		{rule: "AWS-EC2-002/low", index: 4, level: "note", uri: "infra/main.tf", region: region{7, 50, 7, 61},
			resource: "aws_security_group.web"},
		{rule: "AWS-EC2-005", index: 2, level: "warning", uri: "infra/db%20stack.yaml", region: region{9, 67, 9, 76},
			resource: "Db", related: []string{"infra/db%20stack.yaml:3:14 value defined here"},
			flow: []string{"infra/db%20stack.yaml:3:14 parameter Cidr default", "infra/db%20stack.yaml:9:67 SecurityGroupIngress[0].CidrIp"}},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d results, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		t.Run(w.rule, func(t *testing.T) {
			r := got[i]
			if deref(r.RuleID) != w.rule || r.RuleIndex == nil || *r.RuleIndex != w.index {
				t.Errorf("ruleId, ruleIndex = %q, %v, want %q, %d", deref(r.RuleID), r.RuleIndex, w.rule, w.index)
			}
			if deref(r.Level) != w.level {
				t.Errorf("level = %q, want %q (the finding's severity, not the rule's)", deref(r.Level), w.level)
			}
			if deref(r.Message.Text) != res.Findings[i].Message {
				t.Errorf("message = %q, want %q", deref(r.Message.Text), res.Findings[i].Message)
			}
			if fp := r.PartialFingerprints["iacscan/v1"]; fp != res.Findings[i].Fingerprint() {
				t.Errorf("partialFingerprints = %v, want iacscan/v1: %s", r.PartialFingerprints, res.Findings[i].Fingerprint())
			}
			if len(r.Locations) != 1 {
				t.Fatalf("got %d locations, want 1", len(r.Locations))
			}
			loc := r.Locations[0]
			pl := loc.PhysicalLocation
			if deref(pl.ArtifactLocation.URI) != w.uri || deref(pl.ArtifactLocation.URIBaseId) != "%SRCROOT%" {
				t.Errorf("artifactLocation = %q base %q, want %q base %%SRCROOT%%", deref(pl.ArtifactLocation.URI), deref(pl.ArtifactLocation.URIBaseId), w.uri)
			}
			gotRegion := region{deref(pl.Region.StartLine), deref(pl.Region.StartColumn), deref(pl.Region.EndLine), deref(pl.Region.EndColumn)}
			if gotRegion != w.region {
				t.Errorf("region = %+v, want %+v", gotRegion, w.region)
			}
			if len(loc.LogicalLocations) != 1 || deref(loc.LogicalLocations[0].FullyQualifiedName) != w.resource || deref(loc.LogicalLocations[0].Kind) != "resource" {
				t.Errorf("logicalLocations = %+v, want the resource %s", loc.LogicalLocations, w.resource)
			}
			var related, flow []string
			for _, rl := range r.RelatedLocations {
				related = append(related, describeLocation(rl))
			}
			if !reflect.DeepEqual(related, w.related) {
				t.Errorf("relatedLocations = %q, want %q", related, w.related)
			}
			for _, cf := range r.CodeFlows {
				for _, tf := range cf.ThreadFlows {
					for _, l := range tf.Locations {
						flow = append(flow, describeLocation(l.Location))
					}
				}
			}
			if !reflect.DeepEqual(flow, w.flow) {
				t.Errorf("codeFlows = %q, want %q", flow, w.flow)
			}
			checkFix(t, r, w.fixRegion, w.fixText)
		})
	}
}

// describeLocation formats a location as "uri:startLine:startCol message".
func describeLocation(l *sarif.Location) string {
	p := l.PhysicalLocation
	return deref(p.ArtifactLocation.URI) + ":" + itoa(deref(p.Region.StartLine)) + ":" + itoa(deref(p.Region.StartColumn)) + " " + deref(l.Message.Text)
}

func checkFix(t *testing.T, r *sarif.Result, region []int, text string) {
	t.Helper()
	if region == nil {
		if len(r.Fixes) != 0 {
			t.Errorf("got %d fixes, want none", len(r.Fixes))
		}
		return
	}
	if len(r.Fixes) != 1 || len(r.Fixes[0].ArtifactChanges) != 1 || len(r.Fixes[0].ArtifactChanges[0].Replacements) != 1 {
		t.Fatalf("fixes = %+v, want one fix with one replacement", r.Fixes)
	}
	rep := r.Fixes[0].ArtifactChanges[0].Replacements[0]
	if got := []int{deref(rep.DeletedRegion.ByteOffset), deref(rep.DeletedRegion.ByteLength)}; !reflect.DeepEqual(got, region) {
		t.Errorf("deletedRegion bytes = %v, want %v", got, region)
	}
	if rep.InsertedContent == nil || deref(rep.InsertedContent.Text) != text {
		t.Errorf("insertedContent = %+v, want %q", rep.InsertedContent, text)
	}
}

func TestFixes(t *testing.T) {
	src := "ab\ncd\n"
	file := source.NewFile("x.tf", []byte(src))
	finding := func(fix *rules.Fix) *scan.Result {
		return &scan.Result{
			Findings: []rules.Finding{{Rule: unusedGroup, Severity: rules.Low, Range: file.Range(0, 2), Fix: fix}},
			Files:    []*source.File{file},
		}
	}
	tests := []struct {
		name string
		fix  *rules.Fix
		want string // the replacements, as path[off,len)@line:col-line:col+"text"
	}{
		{"no fix", nil, ""},
		{"changes not yet planned", &rules.Fix{Mode: rules.FixAuto, Description: "d"}, ""},
		{"deletion", &rules.Fix{Mode: rules.FixSuggest, Edits: edits("x.tf", 3, 6, "")}, `x.tf[3,3)@2:1-3:1+""`},
		{"insertion", &rules.Fix{Mode: rules.FixAuto, Edits: edits("x.tf", 2, 2, "!")}, `x.tf[2,0)@1:3-1:3+"!"`},
		{"two files", &rules.Fix{Mode: rules.FixAuto, Edits: append(edits("x.tf", 0, 1, "A"), edits("other.tf", 5, 6, "B")[0], edits("x.tf", 1, 2, "B")[0])},
			`x.tf[0,1)@1:1-1:2+"A" x.tf[1,1)@1:2-1:3+"B" other.tf[5,1)+"B"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, log := render(t, finding(tc.fix), "")
			validateSchema(t, out)
			if got := replacements(log.Runs[0].Results[0]); got != tc.want {
				t.Errorf("fixes = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestInvocation(t *testing.T) {
	file := source.NewFile("a.tf", []byte("x {\n"))
	at := file.Range(2, 3)
	tests := []struct {
		name        string
		diags       source.Diagnostics
		wantSuccess bool
		want        []string // level message @uri:line:col
	}{
		{"none", nil, true, nil},
		{"warnings only", source.Diagnostics{{Severity: source.Warning, Summary: "skipped"}}, true, []string{"warning skipped"}},
		{"an error", source.Diagnostics{
			{Severity: source.Error, Summary: "Unclosed configuration block", Detail: "no }", Subject: &at},
			{Severity: source.Error, Summary: "internal error in rule X"},
		}, false, []string{"error Unclosed configuration block: no } @a.tf:1:3", "error internal error in rule X"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, log := render(t, &scan.Result{Diagnostics: tc.diags, Files: []*source.File{file}}, "")
			validateSchema(t, out)
			if len(log.Runs[0].Invocations) != 1 {
				t.Fatalf("got %d invocations, want 1", len(log.Runs[0].Invocations))
			}
			inv := log.Runs[0].Invocations[0]
			if inv.ExecutionSuccessful == nil || *inv.ExecutionSuccessful != tc.wantSuccess {
				t.Errorf("executionSuccessful = %v, want %v", inv.ExecutionSuccessful, tc.wantSuccess)
			}
			var got []string
			for _, n := range inv.ToolExecutionNotifications {
				s := n.Level + " " + deref(n.Message.Text)
				for _, l := range n.Locations {
					p := l.PhysicalLocation
					s += " @" + deref(p.ArtifactLocation.URI) + ":" + itoa(deref(p.Region.StartLine)) + ":" + itoa(deref(p.Region.StartColumn))
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("notifications = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestArtifactLocation(t *testing.T) {
	tests := []struct{ path, uri, base string }{
		{"main.tf", "main.tf", "%SRCROOT%"},
		{"infra/db stack.yaml", "infra/db%20stack.yaml", "%SRCROOT%"},
		{"a#b?c%.tf", "a%23b%3Fc%25.tf", "%SRCROOT%"},
		{"ünï/x.tf", "%C3%BCn%C3%AF/x.tf", "%SRCROOT%"},
		{"../sibling/x.tf", "../sibling/x.tf", "%SRCROOT%"},
		{"/home/u/other repo/x.tf", "file:///home/u/other%20repo/x.tf", ""},
		{"C:/work/x.tf", "file:///C:/work/x.tf", ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got := artifactLocation(tc.path)
			if deref(got.URI) != tc.uri || deref(got.URIBaseId) != tc.base {
				t.Errorf("artifactLocation(%q) = %q base %q, want %q base %q", tc.path, deref(got.URI), deref(got.URIBaseId), tc.uri, tc.base)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	err := Write(failingWriter{}, sampleResult(t), report.Options{})
	if !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write to a failing writer = %v, want %v", err, os.ErrClosed)
	}
}

// TestEmptyResultsArray checks that a clean run still has "results": [] (GitHub requires
// the array) and "rules": [].
func TestEmptyResultsArray(t *testing.T) {
	out, _ := render(t, &scan.Result{}, "")
	for _, want := range []string{`"results": []`, `"rules": []`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
}

func edits(path string, start, end int, text string) []fixers.Edit {
	return []fixers.Edit{{Path: path, Start: start, End: end, New: text}}
}

// replacements renders a result's fixes compactly for comparison.
func replacements(r *sarif.Result) string {
	var parts []string
	for _, f := range r.Fixes {
		for _, c := range f.ArtifactChanges {
			for _, rep := range c.Replacements {
				d := rep.DeletedRegion
				s := deref(c.ArtifactLocation.URI) + "[" + itoa(deref(d.ByteOffset)) + "," + itoa(deref(d.ByteLength)) + ")"
				if d.StartLine != nil {
					s += "@" + itoa(*d.StartLine) + ":" + itoa(deref(d.StartColumn)) + "-" + itoa(deref(d.EndLine)) + ":" + itoa(deref(d.EndColumn))
				}
				text := ""
				if rep.InsertedContent != nil {
					text = deref(rep.InsertedContent.Text)
				}
				parts = append(parts, s+"+"+strconv.Quote(text))
			}
		}
	}
	return strings.Join(parts, " ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRuleOnlyInFindings checks that a finding of a rule that is not among the rules that
// ran still gets a descriptor for its ruleIndex to point at.
func TestRuleOnlyInFindings(t *testing.T) {
	res := &scan.Result{
		Rules:    []*rules.Rule{{Meta: *publicRead}},
		Findings: []rules.Finding{{Rule: unusedGroup, Severity: rules.Low, Message: "m", Range: source.Range{Path: "a.tf", Start: source.Pos{Line: 1, Column: 1}}}},
	}
	out, log := render(t, res, "")
	validateSchema(t, out)
	run := log.Runs[0]
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	if want := []string{"AWS-S3-001", "AWS-EC2-106"}; !slices.Equal(ids, want) {
		t.Errorf("rules = %v, want %v", ids, want)
	}
	if idx := run.Results[0].RuleIndex; idx == nil || *idx != 1 {
		t.Errorf("ruleIndex = %v, want 1", idx)
	}
	// The range has no end: the region collapses to its start rather than being invalid.
	reg := run.Results[0].Locations[0].PhysicalLocation.Region
	if got := []int{deref(reg.StartLine), deref(reg.StartColumn), deref(reg.EndLine), deref(reg.EndColumn)}; !slices.Equal(got, []int{1, 1, 1, 1}) {
		t.Errorf("region = %v, want [1 1 1 1]", got)
	}
}
