package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// traceOf renders a trace as "line:col-line:col What" steps joined by " → ", with the path
// of a step in another file than path.
func traceOf(path string, trace []graph.Step) string {
	steps := make([]string, len(trace))
	for i, s := range trace {
		r := s.Range
		steps[i] = fmt.Sprintf("%d:%d-%d:%d %s", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, s.What)
		if r.Path != path {
			steps[i] = r.Path + "@" + steps[i]
		}
	}
	return strings.Join(steps, " → ")
}

// overridden are the overrides of the trace tests: Cidr as read from a parameters file,
// Env as given with --cfn-param.
var overridden = Options{
	Params:     map[string]string{"Env": "prod", "Cidr": "10.0.0.0/8"},
	ParamFiles: map[string]string{"Cidr": "params.json"},
}

func TestTrace(t *testing.T) {
	const (
		names     = "11:14-11:25 parameter Names default"
		namesJSON = "6:56-6:67 parameter Names default"
	)
	tests := []struct {
		name      string
		overrides bool
		res, path string
		yaml      string // the trace in trace.yaml
		json      string // the trace in trace.json
	}{
		{"Ref to a parameter default", false, "Bucket", "Cidr", "8:14-8:23 parameter Cidr default", "5:43-5:54 parameter Cidr default"},
		{"Ref to a parameter from a file", true, "Bucket", "Cidr", "6:3-6:7 parameter Cidr from params.json", "5:5-5:11 parameter Cidr from params.json"},
		{"list parameter", false, "Bucket", "Names", names, namesJSON},
		{"item of a list parameter", false, "Bucket", "Names[1]", names, namesJSON},
		{"FindInMap with a key from a parameter", false, "Bucket", "Acl",
			"5:14-5:17 parameter Env default → 14:18-14:28 Mappings Acl.dev.Value", "4:42-4:47 parameter Env default → 9:30-9:42 Mappings Acl.dev.Value"},
		{"FindInMap with a key from --cfn-param", true, "Bucket", "Acl",
			"3:3-3:6 parameter Env from --cfn-param → 15:19-15:26 Mappings Acl.prod.Value", "4:5-4:10 parameter Env from --cfn-param → 9:63-9:72 Mappings Acl.prod.Value"},
		{"FindInMap with literal keys", false, "Bucket", "LiteralKeys", "14:18-14:28 Mappings Acl.dev.Value", "9:30-9:42 Mappings Acl.dev.Value"},
		{"FindInMap DefaultValue", false, "Bucket", "Fallback",
			"27:62-27:69 DefaultValue for missing Mappings Acl.test.Value", "23:81-23:90 DefaultValue for missing Mappings Acl.test.Value"},
		{"If on a false condition, branch from a parameter", false, "Bucket", "Chosen",
			"5:14-5:17 parameter Env default → 17:11-17:35 condition IsProd is false → 8:14-8:23 parameter Cidr default",
			"4:42-4:47 parameter Env default → 12:15-12:55 condition IsProd is false → 5:43-5:54 parameter Cidr default"},
		{"If on a true condition, literal branch", true, "Bucket", "Chosen",
			"3:3-3:6 parameter Env from --cfn-param → 17:11-17:35 condition IsProd is true",
			"4:5-4:10 parameter Env from --cfn-param → 12:15-12:55 condition IsProd is true"},
		{"If on an unknown condition, branches agree", false, "Bucket", "Agreed",
			"18:11-18:48 condition Unsure is unknown; both branches agree", "13:15-13:68 condition Unsure is unknown; both branches agree"},
		{"Sub of one parameter: its trace", false, "Bucket", "Sub", "5:14-5:17 parameter Env default", "4:42-4:47 parameter Env default"},
		{"Sub of two parameters: both, then the Sub", false, "Bucket", "SubTwo",
			"8:14-8:23 parameter Cidr default → 5:14-5:17 parameter Env default → 31:15-31:36 Fn::Sub",
			"5:43-5:54 parameter Cidr default → 4:42-4:47 parameter Env default → 27:19-27:48 Fn::Sub"},
		{"Sub of two overrides", true, "Bucket", "SubTwo",
			"6:3-6:7 parameter Cidr from params.json → 3:3-3:6 parameter Env from --cfn-param → 31:15-31:36 Fn::Sub",
			"5:5-5:11 parameter Cidr from params.json → 4:5-4:10 parameter Env from --cfn-param → 27:19-27:48 Fn::Sub"},
		{"Sub of literals: the Sub alone", false, "Bucket", "SubLiteral", "32:19-32:42 Fn::Sub", "28:23-28:58 Fn::Sub"},
		{"Join of a parameter", false, "Bucket", "Joined", names, namesJSON},
		{"Join of literals", false, "Bucket", "JoinedLiterals", "34:23-34:42 Fn::Join", "30:27-30:58 Fn::Join"},
		{"Select of a parameter", false, "Bucket", "Selected", names, namesJSON},
		{"Select of literals", false, "Bucket", "SelectedLiteral", "36:24-36:43 Fn::Select", "32:28-32:59 Fn::Select"},
		{"Split of a parameter, an item", false, "Bucket", "Split[1]", "8:14-8:23 parameter Cidr default", "5:43-5:54 parameter Cidr default"},
		{"Base64 of a literal", false, "Bucket", "Encoded", "38:16-38:27 Fn::Base64", "34:20-34:41 Fn::Base64"},
		{"Base64 of a parameter", false, "Bucket", "EncodedRef", "5:14-5:17 parameter Env default", "4:42-4:47 parameter Env default"},
		{"Length of a parameter", false, "Bucket", "Length", names, namesJSON},
		{"ForEach: Ref to the identifier", false, "dataTopic", "TopicName",
			names + " → 47:7-47:17 Fn::ForEach::Topics item", namesJSON + " → 41:7-41:23 Fn::ForEach::Topics item"},
		{"ForEach: Sub of the identifier and a parameter", true, "logsTopic", "Display",
			names + " → 47:7-47:17 Fn::ForEach::Topics item → 3:3-3:6 parameter Env from --cfn-param → 52:20-52:41 Fn::Sub",
			namesJSON + " → 41:7-41:23 Fn::ForEach::Topics item → 4:5-4:10 parameter Env from --cfn-param → 47:24-47:53 Fn::Sub"},
	}
	for _, file := range []string{"trace.yaml", "trace.json"} {
		plain, over := parseWith(t, file, Options{}), parseWith(t, file, overridden)
		for _, tc := range tests {
			t.Run(file+"/"+tc.name, func(t *testing.T) {
				rs, want := plain, tc.yaml
				if tc.overrides {
					rs = over
				}
				if file == "trace.json" {
					want = tc.json
				}
				v := valueAt(t, resource(t, rs, tc.res).Body, tc.path)
				if got := traceOf(file, v.Trace); got != want {
					t.Errorf("trace\n got %s\nwant %s", got, want)
				}
			})
		}
	}
}

func TestTraceOfAliases(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"the anchored value itself", "Anchored", "8:14-8:23 parameter Cidr default"},
		{"alias of a Ref", "Aliased", "8:14-8:23 parameter Cidr default → 41:17-41:32 anchor &open"},
		{"alias of a mapping", "Again", "43:14-43:31 anchor &rules"},
		{"part of an aliased mapping", "Again.Port", "43:14-43:31 anchor &rules"},
		{"the anchored mapping itself", "Rules.Port", ""},
	}
	rs := parseWith(t, "trace.yaml", Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, resource(t, rs, "Bucket").Body, tc.path)
			if got := traceOf("trace.yaml", v.Trace); got != tc.want {
				t.Errorf("trace\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestTraceShared checks that every part of a computed value shares its trace and that
// explaining a value reached from two places leaves the other's explanation alone.
func TestTraceShared(t *testing.T) {
	rs := parseWith(t, "trace.yaml", Options{})
	body := resource(t, rs, "Bucket").Body
	list := valueAt(t, body, "Names")
	for i, it := range list.Items {
		if len(it.Trace) != 1 || &it.Trace[0] != &list.Trace[0] {
			t.Errorf("item %d has trace %p, want the list's %p", i, it.Trace, list.Trace)
		}
	}
	again := valueAt(t, body, "Again")
	if &again.Trace[0] != &again.Attrs[0].Value.Trace[0] {
		t.Error("the parts of an aliased mapping do not share its trace")
	}

	v := &graph.Value{Type: graph.List, Trace: step(source.Range{}, "own"),
		Items: []*graph.Value{{Type: graph.String, Str: "a"}, {Type: graph.String, Str: "b", Trace: step(source.Range{}, "b")}}}
	out := Traced(v, step(source.Range{}, "before"), step(source.Range{}, "after"))
	got := []string{whats(out.Trace), whats(out.Items[0].Trace), whats(out.Items[1].Trace), whats(v.Trace), whats(v.Items[1].Trace)}
	if want := "before own after|before after|before b after|own|b"; strings.Join(got, "|") != want {
		t.Errorf("got %s, want %s", strings.Join(got, "|"), want)
	}
}

func whats(trace []graph.Step) string {
	s := make([]string, len(trace))
	for i, st := range trace {
		s[i] = st.What
	}
	return strings.Join(s, " ")
}

func TestCombined(t *testing.T) {
	at := source.Range{Path: "t"}
	a, b := step(at, "a"), step(at, "b")
	tests := []struct {
		name   string
		inputs [][]graph.Step
		want   string
	}{
		{"no traced input: the function", [][]graph.Step{nil, nil}, "Fn::Sub"},
		{"one traced input: its trace", [][]graph.Step{nil, a}, "a"},
		{"the same trace twice: once", [][]graph.Step{a, a}, "a"},
		{"two traces: both, then the function", [][]graph.Step{a, b}, "a b Fn::Sub"},
		{"shared steps once", [][]graph.Step{append(step(at, "x"), a...), append(step(at, "x"), b...)}, "x a b Fn::Sub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := whats(Combined(at, "Fn::Sub", tc.inputs...)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTraceBounded checks that nested Fn::If, each adding a step, keep the first maxTrace
// steps.
func TestTraceBounded(t *testing.T) {
	var conds, expr strings.Builder
	for i := range 100 {
		fmt.Fprintf(&conds, "  C%d: !Equals [a, a]\n", i)
		fmt.Fprintf(&expr, "!If [C%d, ", i)
	}
	src := "Parameters: {P: {Type: String, Default: v}}\nConditions:\n" + conds.String() +
		"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      V: " +
		expr.String() + "!Ref P" + strings.Repeat(", x]", 100) + "\n"
	rs, diags := Parse(source.NewFile("t", []byte(src)), graph.CloudFormationYAML)
	if len(diags) != 0 || len(rs) != 1 {
		t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
	}
	v := valueAt(t, rs[0].Body, "V")
	if s, _ := v.AsString(); s != "v" || len(v.Trace) != maxTrace || v.Trace[0].What != "condition C0 is true" {
		t.Errorf("got %q with %d steps starting %q, want \"v\" with %d starting with the condition", s, len(v.Trace), whats(v.Trace[:1]), maxTrace)
	}
}
