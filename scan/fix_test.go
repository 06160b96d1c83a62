package scan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
)

// fixRule reports every attribute name of the x_thing resources whose value is bad, with
// an automatic fix of the changes fix returns (nil: a suggestion to set it to "good").
func fixRule(id, name, bad string, fix func(r *graph.Resource, a *graph.Attribute) []fixers.Change) *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{ID: id, Severity: rules.High, Fix: rules.FixAuto},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.OfKind("x_thing") {
				for _, a := range r.Body.Attrs {
					if s, _ := a.Value.AsString(); a.Name == name && s == bad {
						mode, changes := rules.FixSuggest, []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: a.Value, New: graph.StringValue("good")}}
						if fix != nil {
							mode, changes = rules.FixAuto, fix(r, a)
						}
						ctx.Report(r, a.Value, fmt.Sprintf("%s is %s", name, bad), rules.WithFix(mode, "set "+name+" to good", changes...))
					}
				}
			}
		},
	}
}

func set(v string) func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
	return func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
		return []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: a.Value, New: graph.StringValue(v)}}
	}
}

func fix(t *testing.T, dir string, opts Options) (*Result, *Fixed) {
	t.Helper()
	res := run(t, dir, opts)
	fixed, err := Fix(t.Context(), res)
	if err != nil {
		t.Fatal(err)
	}
	return res, fixed
}

// dropped renders the dropped fixes as "RULE: reason" lines.
func dropped(x *Fixed) string {
	var out []string
	for _, d := range x.Dropped {
		out = append(out, d.Finding.Rule.ID+": "+d.Reason)
	}
	return strings.Join(out, "\n")
}

func TestFixWithTheBuiltinRules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf":    "resource \"aws_security_group\" \"web\" {\n  ingress {\n    protocol    = \"tcp\"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"] # office, anyone\n  }\n}\n",
		"stack.yaml": "Resources:\r\n  Site:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      AccessControl: 'PublicRead'\r\n",
		"clean.json": "{\"Resources\": {}}",
	})
	info, _ := os.Stat(filepath.Join(dir, "clean.json"))
	_, fixed := fix(t, dir, Options{Rules: builtin.All(), Enable: []string{"AWS-EC2-002", "AWS-S3-001"}})
	want := map[string]string{
		"main.tf":    "resource \"aws_security_group\" \"web\" {\n  ingress {\n    protocol    = \"tcp\"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = [\"10.0.0.0/8\"] # office, anyone\n  }\n}\n",
		"stack.yaml": "Resources:\r\n  Site:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      AccessControl: 'Private'\r\n",
	}
	if len(fixed.Files) != len(want) {
		t.Fatalf("fixed %d files, want %d", len(fixed.Files), len(want))
	}
	for _, f := range fixed.Files {
		if got := string(f.After); got != want[filepath.Base(f.Path)] {
			t.Errorf("%s:\n%s\nwant:\n%s", f.Path, got, want[filepath.Base(f.Path)])
		}
	}
	if got := lines(dir, fixed.Applied); got != "main.tf:6 AWS-EC2-002 security group rule allows SSH (tcp/22) from 0.0.0.0/0\nstack.yaml:5 AWS-S3-001 bucket ACL \"PublicRead\" grants READ to everyone (AllUsers)" {
		t.Errorf("applied:\n%s", got)
	}
	if fixed.Passes != 1 || fixed.StoppedEarly || len(fixed.Dropped) != 0 || len(fixed.Result.Findings) != 0 {
		t.Errorf("passes %d, stopped early %v, dropped %q, left %q", fixed.Passes, fixed.StoppedEarly, dropped(fixed), lines(dir, fixed.Result.Findings))
	}

	written, errs := fixed.Write(t.Context(), fixers.WriteOptions{})
	if len(written) != 2 || len(errs) != 0 {
		t.Fatalf("written %v, errors %v", written, errs)
	}
	for _, f := range fixed.Files {
		if got, _ := os.ReadFile(filepath.FromSlash(f.Path)); string(got) != string(f.After) {
			t.Errorf("%s on disk:\n%s", f.Path, got)
		}
	}
	if after, _ := os.Stat(filepath.Join(dir, "clean.json")); !after.ModTime().Equal(info.ModTime()) {
		t.Error("a file without fixes was rewritten")
	}
	left, err := fixed.Result.Rescan(t.Context())
	if err != nil || len(left.Findings) != 0 {
		t.Errorf("rescan: %v, %q", err, lines(dir, left.Findings))
	}
}

func TestFixVerification(t *testing.T) {
	const src = "resource \"x_thing\" \"a\" {\n  acl = \"public-read\"\n  n   = \"1\"\n}\n"
	brokenRange := func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
		v := *a.Value
		v.Range.End.Byte-- // cuts the closing quote off: the patched file does not parse
		return []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: &v, New: graph.StringValue("private")}}
	}
	tests := []struct {
		name    string
		rules   []*rules.Rule
		after   string
		dropped string
		left    string
		passes  int
	}{
		{
			name:    "a fix that does not remove its finding",
			rules:   []*rules.Rule{fixRule("AWS-TST-010", "acl", "public-read", set("public-read"))},
			dropped: "AWS-TST-010: the fixed file still has the finding",
			left:    "main.tf:2 AWS-TST-010 acl is public-read",
			passes:  1,
		},
		{
			name: "a fix that brings a new finding",
			rules: []*rules.Rule{
				fixRule("AWS-TST-011", "acl", "public-read", set("public-read-write")),
				fixRule("AWS-TST-012", "acl", "public-read-write", nil),
			},
			dropped: "AWS-TST-011: the fix would add a finding: " + filepath.ToSlash(filepath.Join("DIR", "main.tf")) + ":2:9: AWS-TST-012 acl is public-read-write",
			left:    "main.tf:2 AWS-TST-011 acl is public-read",
			passes:  1,
		},
		{
			name:    "a fix that breaks the file",
			rules:   []*rules.Rule{fixRule("AWS-TST-013", "acl", "public-read", brokenRange)},
			dropped: "AWS-TST-013: the fixed file would not parse: " + filepath.ToSlash(filepath.Join("DIR", "main.tf")) + ":2:19: Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the \"heredoc\" multi-line template syntax.",
			left:    "main.tf:2 AWS-TST-013 acl is public-read",
			passes:  1,
		},
		{
			name: "a good fix stays when another is dropped",
			rules: []*rules.Rule{
				fixRule("AWS-TST-014", "acl", "public-read", set("public-read")),
				fixRule("AWS-TST-015", "n", "1", set("2")),
			},
			after:   "resource \"x_thing\" \"a\" {\n  acl = \"public-read\"\n  n   = \"2\"\n}\n",
			dropped: "AWS-TST-014: the fixed file still has the finding",
			left:    "main.tf:2 AWS-TST-014 acl is public-read",
			passes:  1,
		},
		{
			name: "a fix that conflicts waits for the next pass",
			rules: []*rules.Rule{
				fixRule("AWS-TST-016", "acl", "public-read", set("private")),
				fixRule("AWS-TST-017", "acl", "public-read", func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
					return []fixers.Change{{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: a}}
				}),
				fixRule("AWS-TST-018", "acl", "private", func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
					return []fixers.Change{{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: a}}
				}),
			},
			after:   "resource \"x_thing\" \"a\" {\n  n = \"1\"\n}\n",
			dropped: "AWS-TST-016: the fix would add a finding: " + filepath.ToSlash(filepath.Join("DIR", "main.tf")) + ":2:9: AWS-TST-018 acl is private",
			passes:  2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"main.tf": src})
			_, fixed := fix(t, dir, Options{Rules: tc.rules})
			if got := strings.ReplaceAll(dropped(fixed), filepath.ToSlash(dir), "DIR"); got != tc.dropped {
				t.Errorf("dropped:\n%s\nwant:\n%s", got, tc.dropped)
			}
			if got := lines(dir, fixed.Result.Findings); got != tc.left {
				t.Errorf("left:\n%s\nwant:\n%s", got, tc.left)
			}
			var after string
			if len(fixed.Files) == 1 {
				after = string(fixed.Files[0].After)
			}
			if after != tc.after || fixed.Passes != tc.passes || fixed.StoppedEarly {
				t.Errorf("passes %d, stopped early %v, fixed:\n%s\nwant:\n%s", fixed.Passes, fixed.StoppedEarly, after, tc.after)
			}
		})
	}
}

// TestFixPasses has six fixes that each set the same counter, so that only one fits in a
// pass: five passes apply five, and the loop says it stopped early.
func TestFixPasses(t *testing.T) {
	var src strings.Builder
	src.WriteString("resource \"x_thing\" \"a\" {\n  counter = \"0\"\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&src, "  x%d      = \"on\"\n", i)
	}
	src.WriteString("}\n")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": src.String()})
	var rs []*rules.Rule
	for i := 1; i <= 6; i++ {
		rs = append(rs, fixRule(fmt.Sprintf("AWS-TST-%03d", 20+i), fmt.Sprintf("x%d", i), "on", func(r *graph.Resource, a *graph.Attribute) []fixers.Change {
			return []fixers.Change{
				{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: a},
				{Op: fixers.SetValue, Resource: r, Target: r.Get("counter").Value, New: graph.StringValue(a.Name)},
			}
		}))
	}
	_, fixed := fix(t, dir, Options{Rules: rs})
	want := "resource \"x_thing\" \"a\" {\n  counter = \"x5\"\n  x6      = \"on\"\n}\n"
	if fixed.Passes != 5 || !fixed.StoppedEarly || len(fixed.Applied) != 5 || string(fixed.Files[0].After) != want {
		t.Fatalf("passes %d, stopped early %v, applied %d, fixed:\n%s", fixed.Passes, fixed.StoppedEarly, len(fixed.Applied), fixed.Files[0].After)
	}
}

func TestFixedWriteRefusesAFileChangedSinceTheScan(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/main.tf": "resource \"x_thing\" \"a\" {\n  acl = \"public-read\"\n}\n",
		"b/main.tf": "resource \"x_thing\" \"b\" {\n  acl = \"public-read\"\n}\n",
	})
	_, fixed := fix(t, dir, Options{Rules: []*rules.Rule{fixRule("AWS-TST-030", "acl", "public-read", set("private"))}})
	changed := filepath.Join(dir, "b", "main.tf")
	edited := "resource \"x_thing\" \"b\" {\n  acl = \"public-read\" # edited meanwhile\n}\n"
	if err := os.WriteFile(changed, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	written, errs := fixed.Write(t.Context(), fixers.WriteOptions{})
	if len(written) != 1 || len(errs) != 1 || !errors.Is(errs[0], fixers.ErrChanged) {
		t.Fatalf("written %v, errors %v", written, errs)
	}
	if got, _ := os.ReadFile(changed); string(got) != edited {
		t.Errorf("the changed file was rewritten:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a", "main.tf")); !strings.Contains(string(got), `"private"`) {
		t.Errorf("the other file was not fixed:\n%s", got)
	}
}

func TestFixedDiff(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": "resource \"x_thing\" \"a\" {\n  acl = \"public-read\"\n  n   = \"1\"\n}\n"})
	res, fixed := fix(t, dir, Options{
		Rules: []*rules.Rule{
			fixRule("AWS-TST-040", "acl", "public-read", set("private")),
			fixRule("AWS-TST-041", "n", "1", set("2")),
			fixRule("AWS-TST-042", "n", "1", nil),
		},
		FixDisable: []string{"AWS-TST-041"},
	})
	var b, s strings.Builder
	if err := fixed.Diff(&b); err != nil {
		t.Fatal(err)
	}
	if err := fixed.Suggestions(&s, res); err != nil {
		t.Fatal(err)
	}
	path := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	want := fmt.Sprintf(`--- a/%[1]s
+++ b/%[1]s
@@ -1,4 +1,4 @@
 resource "x_thing" "a" {
-  acl = "public-read"
+  acl = "private"
   n   = "1"
 }
`, path)
	if b.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", b.String(), want)
	}
	want = fmt.Sprintf(`# suggestion (not applied by --fix): set n to good
--- a/%[1]s
+++ b/%[1]s
@@ -1,4 +1,4 @@
 resource "x_thing" "a" {
   acl = "public-read"
-  n   = "1"
+  n   = "2"
 }
# suggestion (not applied by --fix): set n to good
--- a/%[1]s
+++ b/%[1]s
@@ -1,4 +1,4 @@
 resource "x_thing" "a" {
   acl = "public-read"
-  n   = "1"
+  n   = "good"
 }
`, path)
	if s.String() != want {
		t.Errorf("suggestions:\n%s\nwant:\n%s", s.String(), want)
	}
}

func TestPlanFixesMakesAnUnplannableFixASuggestion(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"stack.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"})
	add := &rules.Rule{
		Meta: rules.Meta{ID: "AWS-TST-050", Severity: rules.High, Fix: rules.FixAuto},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.Resources {
				ctx.Report(r, nil, "no versioning", rules.WithFix(rules.FixAuto, "add versioning",
					fixers.Change{Op: fixers.AddResource, Resource: r, Kind: graph.S3BucketVersioning, Name: "v", New: graph.MapValue(true)}))
			}
		},
	}
	res := run(t, dir, Options{Rules: []*rules.Rule{add}})
	if len(res.Findings[0].Fix.Edits) != 0 || res.Findings[0].Fix.Mode != rules.FixAuto {
		t.Fatal("fixes planned before PlanFixes")
	}
	res.PlanFixes()
	f := res.Findings[0].Fix
	if f.Mode != rules.FixSuggest || len(f.Edits) != 0 || !strings.HasPrefix(f.Description, "add versioning; not written by --fix: ") {
		t.Fatalf("fix = %+v", f)
	}
	if _, fixed := fix(t, dir, Options{Rules: []*rules.Rule{add}}); len(fixed.Files) != 0 || fixed.Passes != 0 {
		t.Fatalf("fixed %d files in %d passes", len(fixed.Files), fixed.Passes)
	}
}

// PlanFixesOf plans the findings it selects and only those, however many that is.
func TestPlanFixesOfPlansWhatItSelects(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.tf": "resource \"x_thing\" \"a\" {\n  n = \"bad\"\n}\n",
		"b.tf": "resource \"x_thing\" \"b\" {\n  n = \"bad\"\n}\n",
	})
	tag := fixRule("AWS-TST-051", "n", "bad", set("good"))
	res := run(t, dir, Options{Rules: []*rules.Rule{tag}})
	if len(res.Findings) != 2 {
		t.Fatalf("%d findings, want 2", len(res.Findings))
	}
	planned := func() (n int) {
		for _, f := range res.Findings {
			if len(f.Fix.Edits) > 0 {
				n++
			}
		}
		return n
	}
	for _, step := range []struct {
		keep func(int) bool
		want int
	}{
		{func(int) bool { return false }, 0},
		{func(i int) bool { return i == 1 }, 1},
		{func(int) bool { return false }, 1},
		{nil, 2},
	} {
		res.PlanFixesOf(step.keep)
		if got := planned(); got != step.want {
			t.Fatalf("%d findings planned, want %d", got, step.want)
		}
	}
}

func TestMovePos(t *testing.T) {
	// "0123456789" with [2,4) replaced by "abc" and "X" inserted at 6.
	edits := []fixers.Edit{{Start: 2, End: 4, New: "abc"}, {Start: 6, End: 6, New: "X"}}
	tests := []struct {
		off  int
		end  bool
		want int
	}{
		{1, false, 1},
		{2, false, 2}, // the start of a replaced span: the new text's start
		{3, false, 2},
		{3, true, 5}, // inside, as an end: the new text's end
		{2, true, 2}, // an end at a replaced span's start stays before it
		{4, false, 5},
		{6, false, 8}, // text inserted at a range's start comes before it
		{6, true, 7},  // and at its end, after it
		{9, false, 11},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d/%v", tc.off, tc.end), func(t *testing.T) {
			if got := movePos(edits, tc.off, tc.end); got != tc.want {
				t.Fatalf("movePos(%d, %v) = %d, want %d", tc.off, tc.end, got, tc.want)
			}
		})
	}
}
