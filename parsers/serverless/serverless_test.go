package serverless

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func parseFile(t *testing.T, name string) (*source.File, []*graph.Resource) {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f := source.NewFile(name, src)
	rs, diags := Parse(f)
	if len(diags) != 0 {
		t.Fatalf("%s: %v", name, diags)
	}
	return f, rs
}

// valueAt returns the value at path in v: dot-separated attribute names, each with an
// optional [i] list index ("vpc.securityGroupIds[0]").
// parsedValue parses src as the file name with opts, failing on any diagnostic, and
// returns the value at path in the resource at address.
func parsedValue(t *testing.T, name string, src []byte, opts Options, address, path string) *graph.Value {
	t.Helper()
	rs, diags := ParseWith(source.NewFile(name, src), opts)
	// testdata/vars.yml holds a cycle on purpose; TestVariableCycle asserts its diagnostic.
	diags = slices.DeleteFunc(diags, func(d source.Diagnostic) bool { return d.Summary == cycleSummary })
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	return valueAt(t, graph.New(rs).Lookup(name, address).Body, path)
}

func valueAt(t *testing.T, v *graph.Value, path string) *graph.Value {
	t.Helper()
	for seg := range strings.SplitSeq(path, ".") {
		name, index, hasIndex := strings.Cut(strings.TrimSuffix(seg, "]"), "[")
		a := v.Get(name)
		if a == nil {
			t.Fatalf("%s: no attribute %q", path, name)
		}
		v = a.Value
		if hasIndex {
			i, err := strconv.Atoi(index)
			if err != nil || i >= len(v.Items) {
				t.Fatalf("%s: no item %q", path, index)
			}
			v = v.Items[i]
		}
	}
	return v
}

func spanOf(r source.Range) string {
	return fmt.Sprintf("%d:%d(%d)-%d:%d(%d)", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

func TestParseResources(t *testing.T) {
	type want struct {
		address, kind, native, name string
		header, rng, body           string
	}
	tests := []struct {
		file string
		want []want
	}{
		{"serverless.yml", []want{
			{"provider", "serverless_provider", "provider", "provider", "6:1(82)-6:9(90)", "6:1(82)-15:38(271)", "7:3(94)-15:38(271)"},
			{"functions.create", "serverless_function", "function", "create", "17:3(285)-17:9(291)", "17:3(285)-20:33(375)", "18:5(297)-20:33(375)"},
			{"functions.list", "serverless_function", "function", "list", "21:3(378)-21:7(382)", "21:3(378)-23:16(429)", "22:5(388)-23:16(429)"},
			// functions.external is a ${file(...)} include: skipped
			{"LambdaSG", "aws_security_group", "AWS::EC2::SecurityGroup", "LambdaSG", "31:5(557)-31:13(565)", "31:5(557)-36:77(776)", "34:9(629)-36:77(776)"},
			{"CreateRole", "aws_iam_role", "AWS::IAM::Role", "CreateRole", "37:5(781)-37:15(791)", "37:5(781)-38:27(819)", "38:7(799)-38:27(819)"},
		}},
		{"list.yml", []want{ // functions and resources given as lists, with includes among them
			{"provider", "serverless_provider", "provider", "provider", "2:1(15)-2:9(23)", "2:1(15)-3:12(36)", "3:3(27)-3:12(36)"},
			{"functions.one", "serverless_function", "function", "one", "5:5(52)-5:8(55)", "5:5(52)-6:25(81)", "6:7(63)-6:25(81)"},
			{"functions.two", "serverless_function", "function", "two", "8:5(110)-8:8(113)", "8:5(110)-9:25(139)", "9:7(121)-9:25(139)"},
			{"Queue", "aws_sqs_queue", "AWS::SQS::Queue", "Queue", "13:7(201)-13:12(206)", "13:7(201)-14:30(237)", "14:9(216)-14:30(237)"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, rs := parseFile(t, tc.file)
			if len(rs) != len(tc.want) {
				t.Fatalf("got %d resources, want %d", len(rs), len(tc.want))
			}
			for i, w := range tc.want {
				r := rs[i]
				got := want{r.ID.Address, string(r.Kind), r.Native, r.Name, spanOf(r.Header), spanOf(r.Range), spanOf(r.Body.Range)}
				if got != w {
					t.Errorf("resource %d:\n got %+v\nwant %+v", i, got, w)
				}
				if r.ID.Path != tc.file || r.Scope != tc.file || r.Format != graph.Serverless || r.Body.Type != graph.Map {
					t.Errorf("%s: path %q scope %q format %v body %v", w.address, r.ID.Path, r.Scope, r.Format, r.Body.Type)
				}
			}
		})
	}
}

func TestValues(t *testing.T) {
	f, rs := parseFile(t, "serverless.yml")
	g := graph.New(rs)
	tests := []struct {
		name, address, path string
		typ                 graph.Type
		str                 string // AsString of a known value
		refs                string // the addresses of the resources referenced
		text                string // the source of the value's range
		origin              bool   // whether the value is computed (a merge, a parameter, a variable)
	}{
		{"serverless variable with a fallback", "provider", "stage", graph.String, "dev", "", "${opt:stage, 'dev'}", true},
		{"Ref from provider to a resource", "provider", "vpc.securityGroupIds", graph.List, "", "", "- !Ref LambdaSG", false},
		{"Ref item", "provider", "vpc.securityGroupIds[0]", graph.Unknown, "", "LambdaSG", "!Ref LambdaSG", false},
		{"nested setting", "provider", "tracing.lambda", graph.Bool, "true", "", "true", false},
		{"GetAtt in a function", "functions.create", "role", graph.Unknown, "", "CreateRole", "!GetAtt CreateRole.Arn", false},
		{"merge key value, at the anchor", "functions.create", "memorySize", graph.Number, "256", "", "256", true},
		{"own value", "functions.list", "timeout", graph.Number, "30", "", "30", false},
		{"variable in CloudFormation", "LambdaSG", "GroupDescription", graph.String, "orders-lambda", "", "${self:service}-lambda", true},
		{"Ref to a resources parameter", "LambdaSG", "SecurityGroupIngress[0].CidrIp", graph.String, "0.0.0.0/0", "", "!Ref Cidr", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, g.Lookup("serverless.yml", tc.address).Body, tc.path)
			str, _ := v.AsString()
			var refs []string
			for _, ref := range v.Refs {
				if ref.Target != nil {
					refs = append(refs, ref.Target.ID.Address)
				}
			}
			text := string(f.Src[v.Range.Start.Byte:v.Range.End.Byte])
			if (v.Origin != nil) != tc.origin {
				t.Errorf("origin %v, want one: %v", v.Origin, tc.origin)
			}
			if v.Type != tc.typ || str != tc.str || strings.Join(refs, " ") != tc.refs || text != tc.text {
				t.Errorf("got %v %q refs %q at %q, want %v %q refs %q at %q", v.Type, str, refs, text, tc.typ, tc.str, tc.refs, tc.text)
			}
		})
	}
	if got := g.Referrers(g.Lookup("serverless.yml", "LambdaSG")); len(got) != 1 || got[0].ID.Address != "provider" {
		t.Errorf("LambdaSG referrers %v, want the provider", got)
	}
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want      string
		resources int
	}{
		{"provider not a mapping", "service: s\nprovider: [aws]\n", "error t:2:11: provider is not a mapping", 0},
		{"provider as a string", "service: s\nprovider: aws\n", "", 0},
		{"function not a mapping", "functions:\n  a: [x]\n  b:\n    handler: h\n", `error t:2:6: function "a" is not a mapping`, 1},
		{"empty function", "functions:\n  a:\n", "", 0},
		{"functions item not a mapping", "functions:\n  - 1\n", "error t:2:5: functions item 1 is not a mapping", 0},
		{"resources item not a mapping", "resources:\n  - [x]\n", "error t:2:5: resources item 1 is not a mapping", 0},
		{"resources not a mapping", "resources: 3\n", "error t:1:12: resources is not a mapping", 0},
		{"CloudFormation problem", "resources:\n  Resources:\n    A: {}\n", `error t:3:5: resource "A" has no Type`, 0},
		{"not a mapping", "- a\n", "error t:1:1: the file is not a mapping", 0},
		{"empty", "", "error t:1:1: the file is empty", 0},
		{"YAML syntax error", "service: s\nprovider:\n\tname: aws\n", "error t:3:1: YAML syntax error: found character that cannot start any token", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := Parse(source.NewFile("t", []byte(tc.src)))
			lines := make([]string, len(diags))
			for i, d := range diags {
				lines[i] = d.Severity.String() + " " + d.Error()
			}
			if got := strings.Join(lines, "\n"); got != tc.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if len(rs) != tc.resources {
				t.Errorf("got %d resources, want %d", len(rs), tc.resources)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"serverless.yml", "list.yml", "vars.yml", "trace.yml"} {
		src, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := source.NewFile("serverless.yml", src)
		rs, diags := Parse(file)
		for _, r := range rs {
			checkRange(t, file, r.Range)
			checkRange(t, file, r.Header)
			r.Body.Walk(func(v *graph.Value) {
				checkRange(t, file, v.Range)
				for _, a := range v.Attrs {
					checkRange(t, file, a.Range)
				}
				for _, s := range v.Trace {
					checkRange(t, file, s.Range)
				}
			})
		}
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without a range: %v", d)
			}
			checkRange(t, file, *d.Subject)
		}
		graph.New(rs)
	})
}

func checkRange(t *testing.T, f *source.File, r source.Range) {
	t.Helper()
	if r.Path != f.Path || r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(f.Src) {
		t.Fatalf("range %+v outside the %d-byte file", r, len(f.Src))
	}
	if r.Start != f.PosAt(r.Start.Byte) || r.End != f.PosAt(r.End.Byte) {
		t.Fatalf("range %+v disagrees with PosAt", r)
	}
}
