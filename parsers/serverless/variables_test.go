package serverless

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func TestVariables(t *testing.T) {
	settings, err := os.ReadFile("testdata/config/settings.yml")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{"config/settings.yml": {Data: settings}, "secret.yml": {Data: []byte("key: x\n")}}
	env := map[string]string{"TABLE_NAME": "live"}
	variants := map[string]Options{
		"defaults":  {Files: files},
		"options":   {Files: files, Opts: map[string]string{"stage": "prod", "region": "eu-west-1", "nothing": "set"}, Env: lookup(env)},
		"no files":  {},
		"empty env": {Env: lookup(nil)},
	}
	const stageAt = "vars.yml@14:10(342)-14:13(345)" // provider.stage
	tests := []struct {
		variant, name, address, path string
		typ                          graph.Type
		str                          string // AsString of a known value
		origin                       string // "path@span", "" for none
	}{
		{"defaults", "option fallback", "provider", "region", graph.String, "us-east-1", "vars.yml@15:25(370)-15:36(381)"},
		{"options", "option given", "provider", "region", graph.String, "eu-west-1", "vars.yml@15:11(356)-15:37(382)"},
		{"defaults", "number fallback", "provider", "environment.COUNT", graph.Number, "3", "vars.yml@30:25(899)-30:26(900)"},
		{"defaults", "option without fallback", "provider", "environment.MISSING", graph.Unknown, "", ""},
		{"options", "option without fallback, given", "provider", "environment.MISSING", graph.String, "set", "vars.yml@24:14(664)-24:28(678)"},
		{"defaults", "sls:stage from provider.stage", "provider", "environment.STAGE", graph.String, "dev", stageAt},
		{"options", "sls:stage from the stage option", "provider", "environment.STAGE", graph.String, "prod", "vars.yml@21:12(562)-21:24(574)"},
		{"defaults", "variables in a string", "provider", "environment.NAME", graph.String, "shop-dev", "vars.yml@1:10(9)-1:14(13)"},
		{"defaults", "nested variable and fallback chain", "Assets", "AccessControl", graph.String, "PublicRead", "vars.yml@5:10(88)-5:20(98)"},
		{"options", "nested variable and fallback chain, prod", "Assets", "AccessControl", graph.String, "Private", "vars.yml@6:11(109)-6:18(116)"},
		{"defaults", "file through self", "provider", "environment.SUBNET", graph.String, "subnet-123", "config/settings.yml@1:9(8)-1:19(18)"},
		{"defaults", "file with a list index", "provider", "environment.GROUP", graph.String, "sg-1", "config/settings.yml@3:5(31)-3:9(35)"},
		{"no files", "file without a tree", "provider", "environment.GROUP", graph.Unknown, "", ""},
		{"defaults", "file outside the tree", "provider", "environment.OUTSIDE", graph.Unknown, "", ""},
		{"defaults", "file of another kind", "provider", "environment.MODULE", graph.Unknown, "", ""},
		{"defaults", "env without a lookup", "provider", "environment.TABLE", graph.Unknown, "", ""},
		{"empty env", "env fallback", "provider", "environment.TABLE", graph.String, "orders", "vars.yml@17:30(427)-17:38(435)"},
		{"options", "env set", "provider", "environment.TABLE", graph.String, "live", "vars.yml@17:12(409)-17:39(436)"},
		{"options", "ssm, whatever the fallback", "provider", "environment.SECRET", graph.Unknown, "", ""},
		{"defaults", "cf", "provider", "environment.STACK_OUT", graph.Unknown, "", ""},
		{"defaults", "aws", "provider", "environment.ACCOUNT", graph.Unknown, "", ""},
		{"defaults", "unknown part of a string", "provider", "environment.MIXED", graph.Unknown, "", ""},
		{"defaults", "cycle", "provider", "environment.LOOP", graph.Unknown, "", ""},
		{"defaults", "variables in a Sub", "Assets", "Arn", graph.String, "arn:aws:s3:::shop-dev/*", "vars.yml@1:10(9)-1:14(13)"},
		{"defaults", "pseudo parameter in a Sub", "Assets", "Regional", graph.Unknown, "", ""},
		{"defaults", "variable as a fallback", "Assets", "NestedFallback", graph.String, "dev", stageAt},
		{"options", "variable as a fallback, option given", "Assets", "NestedFallback", graph.String, "prod", "vars.yml@42:25(1241)-42:61(1277)"},
		{"defaults", "fallback variable without a value", "Assets", "FallbackChain", graph.String, "z", "vars.yml@43:43(1320)-43:46(1323)"},
	}
	src, err := os.ReadFile("testdata/vars.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.variant+"/"+tc.name, func(t *testing.T) {
			v := parsedValue(t, "vars.yml", src, variants[tc.variant], tc.address, tc.path)
			str, _ := v.AsString()
			origin := ""
			if v.Origin != nil {
				origin = v.Origin.Path + "@" + spanOf(*v.Origin)
			}
			if v.Type != tc.typ || str != tc.str || origin != tc.origin {
				t.Errorf("got %v %q from %s, want %v %q from %s", v.Type, str, origin, tc.typ, tc.str, tc.origin)
			}
			if v.Range.Path != "vars.yml" {
				t.Errorf("value at %s, want it where the variable is", v.Range.Path)
			}
		})
	}
}

func lookup(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

func TestSyntax(t *testing.T) {
	tests := []struct {
		in   string
		want string // parts as [text] for literal text and {text} for variables
	}{
		{"plain", "[plain]"},
		{"${opt:stage}", "{opt:stage}"},
		{"a-${self:x.${opt:y}}-b", "[a-]{self:x.${opt:y}}[-b]"},
		{"${unterminated", "[${unterminated]"},
		{"${a}${b}", "{a}{b}"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := ""
			for _, p := range split(tc.in) {
				if p.variable {
					got += "{" + p.text + "}"
				} else {
					got += "[" + p.text + "]"
				}
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	candidates := splitCandidates(`opt:stage, file(./a,b.yml):x, "a,b", 'c', ${self:a, 'b'}`)
	want := []string{"opt:stage", "file(./a,b.yml):x", `"a,b"`, "'c'", "${self:a, 'b'}"}
	if len(candidates) != len(want) {
		t.Fatalf("candidates %q, want %q", candidates, want)
	}
	for i := range want {
		if candidates[i] != want[i] {
			t.Errorf("candidate %d %q, want %q", i, candidates[i], want[i])
		}
	}
}

// TestVariableBombs checks that variables that refer to one another many times, in a
// chain or in a cycle, end quickly as Unknown, and that the trace of a short chain names
// each variable once.
func TestVariableBombs(t *testing.T) {
	var b strings.Builder
	b.WriteString("custom:\n  v0: xxxxxxxx\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  v%d: ${self:custom.v%d}${self:custom.v%d}\n", i, i-1, i-1)
	}
	b.WriteString("  a: ${self:custom.b}\n  b: ${self:custom.a}\nprovider:\n  name: aws\n  long: ${self:custom.v40}\n  short: ${self:custom.v2}\n  cycle: ${self:custom.a}\n")
	rs, diags := Parse(source.NewFile("serverless.yml", []byte(b.String())))
	want := "serverless.yml:11:7: Variables nest too deeply\nserverless.yml:44:6: " + cycleSummary + "\n"
	got := ""
	for _, d := range diags {
		got += fmt.Sprintf("%s:%d:%d: %s\n", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
	}
	if got != want || len(withoutService(rs)) != 2 { // the provider and the deployment bucket it implies
		t.Fatalf("%d resources, diagnostics:\n%swant:\n%s", len(rs), got, want)
	}
	tests := []struct {
		attr  string
		typ   graph.Type
		str   string
		trace string // each variable once, however many times it is read
	}{
		{"long", graph.Unknown, "", ""},
		{"short", graph.String, strings.Repeat("x", 32), "2:7-2:15 self:custom.v0 → 3:7-3:41 self:custom.v1 → 4:7-4:41 self:custom.v2"},
		{"cycle", graph.Unknown, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.attr, func(t *testing.T) {
			v := valueAt(t, rs[0].Body, tc.attr)
			if s, _ := v.AsString(); v.Type != tc.typ || s != tc.str || traceOf(v.Trace) != tc.trace {
				t.Errorf("got %v %q from %s, want %v %q from %s", v.Type, s, traceOf(v.Trace), tc.typ, tc.str, tc.trace)
			}
		})
	}
}

func TestIncludes(t *testing.T) {
	src, err := os.ReadFile("testdata/list.yml")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{
		"more.yml":      {Data: []byte("three:\n  handler: c.handler\n")},
		"resources.yml": {Data: []byte("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ${self:service}-topic\n")},
	}
	rs, diags := ParseWith(source.NewFile("list.yml", src), Options{Files: files})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	want := []string{
		"list.yml:service@list.yml:1:1(0)-1:8(7)",
		"list.yml:provider@list.yml:2:1(15)-2:9(23)",
		"list.yml:functions.one@list.yml:5:5(52)-5:8(55)",
		"list.yml:functions.three@more.yml:1:1(0)-1:6(5)",
		"list.yml:functions.two@list.yml:8:5(110)-8:8(113)",
		"list.yml:Topic@resources.yml:2:3(13)-2:8(18)",
		"list.yml:Queue@list.yml:13:7(201)-13:12(206)",
		"list.yml:ServerlessDeploymentBucket@list.yml:2:1(15)-2:9(23)",
		"list.yml:IamRoleLambdaExecution@list.yml:2:1(15)-2:9(23)",
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.String()+"@"+r.Header.Path+":"+spanOf(r.Header))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	name := valueAt(t, rs[5].Body, "TopicName")
	if s, _ := name.AsString(); s != "lists-topic" || name.Range.Path != "resources.yml" {
		t.Errorf("TopicName %q in %s, want lists-topic where the include writes it", s, name.Range.Path)
	}
}

// FuzzVariables parses with options, an environment and a file tree, so that every
// source of variables is exercised: it must not panic, and the values (their origins and
// the steps of their traces) must lie in the file or in the file the tree holds.
func FuzzVariables(f *testing.F) {
	src, err := os.ReadFile("testdata/vars.yml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src, []byte("subnet: s\ngroups: [a]\n"))
	f.Fuzz(func(t *testing.T, src, settings []byte) {
		file := source.NewFile("vars.yml", src)
		included := source.NewFile("config/settings.yml", settings)
		opts := Options{
			Opts:  map[string]string{"stage": "prod"},
			Env:   lookup(map[string]string{"TABLE_NAME": "t"}),
			Files: fstest.MapFS{included.Path: {Data: settings}},
		}
		rs, _ := ParseWith(file, opts)
		for _, r := range rs {
			r.Body.Walk(func(v *graph.Value) {
				ranges := []source.Range{v.Range}
				if v.Origin != nil {
					ranges = append(ranges, *v.Origin)
				}
				for _, s := range v.Trace {
					ranges = append(ranges, s.Range)
				}
				for _, rng := range ranges {
					in := file
					if rng.Path == included.Path {
						in = included
					}
					checkRange(t, in, rng)
				}
			})
		}
		graph.New(rs)
	})
}

// TestVariableCycle asserts that a cycle is reported with its path, at the value that
// closes it.
func TestVariableCycle(t *testing.T) {
	src := "service: s\nprovider:\n  name: aws\n  environment:\n    LOOP: ${self:custom.a}\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n"
	_, diags := Parse(source.NewFile("serverless.yml", []byte(src)))
	if len(diags) != 1 || diags[0].Summary != cycleSummary || diags[0].Severity != source.Error {
		t.Fatalf("diagnostics %v, want one cycle error", diags)
	}
	d := diags[0]
	wantDetail := `these values refer to each other: "${self:custom.b}" (line 7) → "${self:custom.a}" (line 8) → "${self:custom.b}" (line 7). They are unknown.`
	if d.Subject.Start.Line != 8 || d.Detail != wantDetail {
		t.Errorf("at line %d: %s\nwant at line 8: %s", d.Subject.Start.Line, d.Detail, wantDetail)
	}
}
