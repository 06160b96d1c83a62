package cloudformation

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// evalCase is one evaluated value of testdata/eval.yaml and eval.json.
type evalCase struct {
	name, res, path string
	typ             graph.Type
	str             string // AsString of a scalar, the items joined by "|" for a list
	refs            string
	origin          string // the source of the Origin in eval.yaml, "" for none
	span            string // the value's range in eval.yaml
	originSpan      string // the Origin's range in eval.yaml
}

var evalCases = []evalCase{
	{"FindInMap with a Ref key", "Bucket", "AccessControl", graph.String, "PublicRead", "", "PublicRead", "38:22(848)-38:55(881)", "21:14(396)-21:24(406)"},
	{"If on a false condition", "Bucket", "Chosen", graph.String, "PublicRead", "", "PublicRead", "39:15(896)-39:48(929)", "39:37(918)-39:47(928)"},
	{"If on an unknown condition, branches equal", "Bucket", "Agreed", graph.String, "same", "", "same", "41:15(996)-41:39(1020)", "41:28(1009)-41:32(1013)"},
	{"If on an unknown condition, branches differ", "Bucket", "Disagreed", graph.Unknown, "", "", "", "42:18(1038)-42:36(1056)", ""},
	{"unknown If, the part the maps agree on", "Bucket", "Partial.A", graph.Number, "1", "", "1", "43:33(1089)-43:34(1090)", "43:33(1089)-43:34(1090)"},
	{"unknown If, the part the maps differ on", "Bucket", "Partial.B", graph.Unknown, "", "", "x", "43:39(1095)-43:40(1096)", "43:39(1095)-43:40(1096)"},
	{"And of true and unknown", "Bucket", "AndCond", graph.Unknown, "", "", "", "44:16(1128)-44:32(1144)", ""},
	{"Or of true and unknown", "Bucket", "OrCond", graph.String, "p", "", "p", "45:15(1159)-45:33(1177)", "45:28(1172)-45:29(1173)"},
	{"condition referring to itself", "Bucket", "CycleCond", graph.Unknown, "", "", "", "46:18(1195)-46:34(1211)", ""},
	{"Sub with a pseudo parameter", "Bucket", "Name", graph.Unknown, "", "Env AWS::Region", "", "47:13(1224)-47:41(1252)", ""},
	{"Sub of a parameter", "Bucket", "Known", graph.String, "dev-bucket", "", "dev", "48:14(1266)-48:34(1286)", "6:14(123)-6:17(126)"},
	{"Sub with a variable map", "Bucket", "Vars", graph.String, "0.0.0.0/0-dev", "", "0.0.0.0/0", "49:13(1299)-49:53(1339)", "9:14(169)-9:23(178)"},
	{"Join of a list parameter", "Bucket", "Joined", graph.String, "logs,data", "", `"logs,data"`, "50:15(1354)-50:38(1377)", "12:14(230)-12:25(241)"},
	{"Select of a list parameter", "Bucket", "Selected", graph.String, "data", "", `"logs,data"`, "51:17(1394)-51:40(1417)", "12:14(230)-12:25(241)"},
	{"Split of a parameter", "Bucket", "Split", graph.List, "0.0.0.0|0", "", "0.0.0.0/0", "52:14(1431)-52:41(1458)", "9:14(169)-9:23(178)"},
	{"Base64", "Bucket", "Encoded", graph.String, "YWJj", "", "!Base64 abc", "53:16(1474)-53:27(1485)", "53:16(1474)-53:27(1485)"},
	{"GetAZs", "Bucket", "Zones", graph.Unknown, "", "", "", "54:14(1499)-54:24(1509)", ""},
	{"SSM parameter type", "Bucket", "Ami", graph.Unknown, "", "Latest", "", "55:12(1521)-55:23(1532)", ""},
	{"pseudo parameter", "Bucket", "Region", graph.Unknown, "", "AWS::Region", "", "56:15(1547)-56:31(1563)", ""},
	{"parameter without a default", "Bucket", "NoDef", graph.Unknown, "", "NoDefault", "", "57:14(1577)-57:28(1591)", ""},
	{"NoValue list item removed", "Bucket", "Items", graph.List, "one|three", "", "", "58:14(1605)-58:45(1636)", ""},
	{"ForEach: Sub of the identifier", "logsBucket", "BucketName", graph.String, "logs-dev", "", `"logs,data"`, "65:23(1784)-65:44(1805)", "12:14(230)-12:25(241)"},
	{"ForEach: Ref to the identifier", "dataBucket", "Tag", graph.String, "data", "", `"logs,data"`, "66:16(1821)-66:25(1830)", "12:14(230)-12:25(241)"},
}

func TestEvaluation(t *testing.T) {
	for _, file := range []string{"eval.yaml", "eval.json"} {
		f, rs := parseFile(t, file)
		checkResources(t, f, rs)
		for _, tc := range evalCases {
			t.Run(file+"/"+tc.name, func(t *testing.T) {
				v := valueAt(t, resource(t, rs, tc.res).Body, tc.path)
				if got := evalString(v); v.Type != tc.typ || got != tc.str || refsOf(v.Refs) != tc.refs {
					t.Errorf("got %v %q refs %q, want %v %q refs %q", v.Type, got, refsOf(v.Refs), tc.typ, tc.str, tc.refs)
				}
				origin, wantOrigin := "", tc.origin
				if v.Origin != nil {
					origin = textOf(f, *v.Origin)
				}
				if file == "eval.json" {
					wantOrigin = jsonText(tc.origin)
				} else {
					checkSpans(t, v, tc.span, tc.originSpan)
				}
				if origin != wantOrigin {
					t.Errorf("origin %q, want %q", origin, wantOrigin)
				}
			})
		}
	}
}

func checkSpans(t *testing.T, v *graph.Value, span, originSpan string) {
	t.Helper()
	got := ""
	if v.Origin != nil {
		got = spanOf(*v.Origin)
	}
	if spanOf(v.Range) != span || got != originSpan {
		t.Errorf("at %s with origin %s, want %s with origin %s", spanOf(v.Range), got, span, originSpan)
	}
}

// evalString renders a known scalar, or the items of a list joined by "|".
func evalString(v *graph.Value) string {
	if v.Type != graph.List {
		s, _ := v.AsString()
		return s
	}
	items := make([]string, len(v.Items))
	for i, it := range v.Items {
		items[i], _ = it.AsString()
	}
	return strings.Join(items, "|")
}

// jsonText is how eval.json writes what eval.yaml writes as yaml: strings are quoted, and
// the argument of a short-form function is the argument alone.
func jsonText(yaml string) string {
	yaml = strings.TrimPrefix(yaml, "!Base64 ")
	if _, err := strconv.ParseFloat(yaml, 64); yaml == "" || err == nil || strings.HasPrefix(yaml, `"`) {
		return yaml
	}
	return strconv.Quote(yaml)
}

func TestResourceConditionsAndLoops(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		want   string // the addresses of the resources
	}{
		{"defaults: the prod-only bucket does not exist", nil, "Bucket logsBucket dataBucket"},
		{"overrides", map[string]string{"Env": "prod", "Names": "a-1, b"}, "ProdOnly Bucket a1Bucket bBucket"}, // &{} drops what a logical ID cannot hold,
	}
	for _, file := range []string{"eval.yaml", "eval.json"} {
		for _, tc := range tests {
			t.Run(file+"/"+tc.name, func(t *testing.T) {
				rs := parseWith(t, file, Options{Params: tc.params})
				var got []string
				for _, r := range rs {
					got = append(got, r.ID.Address)
				}
				if s := strings.Join(got, " "); s != tc.want {
					t.Errorf("resources %q, want %q", s, tc.want)
				}
			})
		}
	}
}

func TestOverrides(t *testing.T) {
	params := map[string]string{"Env": "prod", "NoDefault": "x", "Latest": "ami-123", "Undeclared": "y"}
	tests := []struct {
		name, res, path string
		typ             graph.Type
		str             string
		origin          string // the source of the Origin in eval.yaml
		originSpan      string
	}{
		{"override of a parameter with a default", "Bucket", "Known", graph.String, "prod-bucket", "Env", "4:3(88)-4:6(91)"},
		{"override of a parameter without a default", "Bucket", "NoDef", graph.String, "x", "NoDefault", "13:3(244)-13:12(253)"},
		{"SSM parameters stay unknown", "Bucket", "Ami", graph.Unknown, "", "", ""},
		{"FindInMap follows the override", "Bucket", "AccessControl", graph.String, "Private", "Private", "23:14(430)-23:21(437)"},
		{"If on a true condition", "Bucket", "Chosen", graph.String, "Private", "Private", "39:28(909)-39:35(916)"},
		{"NoValue branch not taken", "Bucket", "Removed", graph.String, "kept", "kept", "40:47(976)-40:51(980)"},
		{"condition now known", "Bucket", "Disagreed", graph.String, "a", "a", "42:31(1051)-42:32(1052)"},
	}
	f, _ := parseFile(t, "eval.yaml")
	rs := parseWith(t, "eval.yaml", Options{Params: params})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := valueAt(t, resource(t, rs, tc.res).Body, tc.path)
			s, _ := v.AsString()
			origin, span := "", ""
			if v.Origin != nil {
				origin, span = textOf(f, *v.Origin), spanOf(*v.Origin)
			}
			if v.Type != tc.typ || s != tc.str || origin != tc.origin || span != tc.originSpan {
				t.Errorf("got %v %q from %q at %s, want %v %q from %q at %s", v.Type, s, origin, span, tc.typ, tc.str, tc.origin, tc.originSpan)
			}
		})
	}
}

func TestForEachDiagnostics(t *testing.T) {
	head := "Transform: [AWS::LanguageExtensions]\nParameters:\n  P: {Type: CommaDelimitedList}\nResources:\n"
	tests := []struct {
		name, src, want string
		resources       int
	}{
		{"unknown collection", head + "  Fn::ForEach::L:\n    - N\n    - !Ref P\n    - B${N}: {Type: AWS::SNS::Topic}\n",
			"warning t:5:3: Fn::ForEach::L: the collection is not known; its resources are not scanned", 0},
		{"malformed loop", head + "  Fn::ForEach::L: [N]\n", "error t:5:3: Fn::ForEach::L takes [Identifier, Collection, {OutputKey: OutputValue}]", 0},
		{"nested loops", head + "  Fn::ForEach::A:\n    - X\n    - [a, b]\n    - Fn::ForEach::B:\n        - Y\n        - [c]\n        - T${X}${Y}: {Type: AWS::SNS::Topic}\n", "", 2},
		{"loop in properties with an unknown collection", head + "  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Fn::ForEach::L: [N, !Ref P, {\"K${N}\": v}]\n", "", 1},
		{"unknown item", head + "  Fn::ForEach::L:\n    - N\n    - [a, !Ref P]\n    - B${N}: {Type: AWS::SNS::Topic}\n",
			"warning t:7:11: Fn::ForEach::L: an item of the collection is not known; the loop is not scanned", 0},
		// 10^6 resources: expansion stops once the loops have generated 10,000 entries (of
		// all levels, the total-instances budget the test sets), reported at the loop that
		// went over
		{"loops multiplying", head + nestedLoops(6),
			`warning t:25:23: Evaluation budget "total-instances" exceeded: the template's Fn::ForEach loops generate more entries, more than the total-instances budget (10000); from Fn::ForEach::L5 on they are not scanned. Raise budgets.total-instances in .iacscan.yaml if this is intended.`, 8980},
		{"no transform: not a loop", "Resources:\n  Fn::ForEach::L: [N, [a], {\"B${N}\": {Type: AWS::SNS::Topic}}]\n",
			`error t:2:3: resource "Fn::ForEach::L" is not a mapping`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := ParseWith(source.NewFile("t", []byte(tc.src)), graph.CloudFormationYAML, Options{Budget: budget.Limits{TotalInstances: 10_000}})
			if got := diagString(diags); got != tc.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if len(rs) != tc.resources {
				t.Fatalf("got %d resources, want %d", len(rs), tc.resources)
			}
			if tc.resources == 1 && rs[0].Body.Type != graph.Unknown {
				t.Errorf("body %v, want unknown: the keys the loop sets are not known", rs[0].Body.Type)
			}
		})
	}
}

func TestParseOverrides(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // sorted k=v, space-separated
		err       string
	}{
		{"JSON list", `[{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "B", "UsePreviousValue": true}]`, "A=1", ""},
		{"CodePipeline configuration", `{"Parameters": {"A": "1", "B": "x y"}}`, "A=1 B=x y", ""},
		{"K=V lines", "# comment\nA=1 B='x y'\nC=\"a=b\"\n\n", "A=1 B=x y C=a=b", ""},
		{"empty value", "A=", "A=", ""},
		{"not K=V", "A", "", `parameter override "A" is not Key=Value`},
		{"unterminated quote", "A='x", "", `parameter overrides: unterminated quote in "A='x"`},
		{"list entry without key", `[{"ParameterValue": "1"}]`, "", "parameter overrides: entry 1 has no ParameterKey"},
		{"list entry without value", `[{"ParameterKey": "A"}]`, "", "parameter overrides: A has no ParameterValue"},
		{"object without Parameters", `{"A": "1"}`, "", `parameter overrides: no "Parameters" object`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseOverrides([]byte(tc.src))
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tc.err || renderMap(m) != tc.want {
				t.Errorf("got %q, error %q; want %q, error %q", renderMap(m), gotErr, tc.want, tc.err)
			}
		})
	}
}

func renderMap(m map[string]string) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// parseWith parses testdata/name with opts and fails on error diagnostics.
func parseWith(t *testing.T, name string, opts Options) []*graph.Resource {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	rs, diags := ParseWith(source.NewFile(name, src), formatOf(name), opts)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return rs
}

// TestNestedCalls checks that deeply nested calls whose innermost argument is unknown are
// converted once each, not once per enclosing call (which would take 2^depth steps).
func TestNestedCalls(t *testing.T) {
	tests := []struct{ name, open, close string }{
		{"Join", `!Join [",", [`, `]]`},
		{"Select", `!Select [0, [`, `]]`},
		{"Base64", `!Base64 [`, `]`},
		{"If with NoValue", `!If [C, !Ref AWS::NoValue, `, `]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expr := strings.Repeat(tc.open, 60) + "!Ref P" + strings.Repeat(tc.close, 60)
			src := "Parameters: {P: {Type: String}, Q: {Type: String}}\nConditions: {C: !Equals [!Ref Q, x]}\n" +
				"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      V: " + expr + "\n"
			rs, diags := Parse(source.NewFile("t", []byte(src)), graph.CloudFormationYAML)
			if len(diags) != 0 || len(rs) != 1 {
				t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
			}
			if v := valueAt(t, rs[0].Body, "V"); v.Type != graph.Unknown || !strings.HasSuffix(refsOf(v.Refs), "P") {
				t.Errorf("got %v refs %q, want unknown referencing P", v.Type, refsOf(v.Refs))
			}
		})
	}
}

func TestLanguageExtensions(t *testing.T) {
	const body = "Mappings: {M: {a: {k: found}}}\nParameters: {L: {Type: CommaDelimitedList, Default: \"x,y,z\"}}\n" +
		"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n" +
		"      Found: !FindInMap [M, a, k, {DefaultValue: fallback}]\n" +
		"      Missing: !FindInMap [M, b, k, {DefaultValue: fallback}]\n" +
		"      Length: !Length [p, q]\n" +
		"      ParamLength: !Length {Ref: L}\n"
	tests := []struct {
		transform bool
		attr      string
		typ       graph.Type
		str       string
		origin    string
	}{
		{true, "Found", graph.String, "found", "found"},
		{true, "Missing", graph.String, "fallback", "fallback"},
		{true, "Length", graph.Number, "2", "!Length [p, q]"}, // a short form's argument spans its tag
		{true, "ParamLength", graph.Number, "3", `"x,y,z"`},
		{false, "Missing", graph.Unknown, "", ""},
		{false, "Length", graph.Unknown, "", ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("transform=%v/%s", tc.transform, tc.attr), func(t *testing.T) {
			src := body
			if tc.transform {
				src = "Transform: AWS::LanguageExtensions\n" + src
			}
			f := source.NewFile("t.yaml", []byte(src))
			rs, diags := Parse(f, graph.CloudFormationYAML)
			if len(diags) != 0 || len(rs) != 1 {
				t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
			}
			v := valueAt(t, rs[0].Body, tc.attr)
			s, _ := v.AsString()
			origin := ""
			if v.Origin != nil {
				origin = textOf(f, *v.Origin)
			}
			if v.Type != tc.typ || s != tc.str || origin != tc.origin {
				t.Errorf("got %v %q from %q, want %v %q from %q", v.Type, s, origin, tc.typ, tc.str, tc.origin)
			}
		})
	}
}

func TestForEachInProperties(t *testing.T) {
	src := "Transform: AWS::LanguageExtensions\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n" +
		"      Fn::ForEach::Keys:\n        - K\n        - [a, b]\n        - \"Key&{K}\": !Sub \"value-${K}\"\n      Plain: p\n"
	f := source.NewFile("t.yaml", []byte(src))
	rs, diags := Parse(f, graph.CloudFormationYAML)
	if len(diags) != 0 || len(rs) != 1 {
		t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
	}
	var got []string
	for _, a := range rs[0].Body.Attrs {
		s, _ := a.Value.AsString()
		origin := ""
		if a.Value.Origin != nil {
			origin = textOf(f, *a.Value.Origin)
		}
		got = append(got, fmt.Sprintf("%s=%s@%s<%s", a.Name, s, textOf(f, a.NameRange), origin))
	}
	// each generated key points at the key template; its value is defined by the loop item
	want := "Keya=value-a@\"Key&{K}\"<a Keyb=value-b@\"Key&{K}\"<b Plain=p@Plain<"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

// nestedLoops returns depth nested resource loops of ten items each.
func nestedLoops(depth int) string {
	var b strings.Builder
	indent := "  "
	for i := range depth {
		fmt.Fprintf(&b, "%sFn::ForEach::L%d:\n%s  - I%d\n%s  - [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n%s  - ", indent, i, indent, i, indent, indent)
		indent += "    "
		if i < depth-1 {
			b.WriteString("\n")
		}
	}
	b.WriteString("T")
	for i := range depth {
		fmt.Fprintf(&b, "${I%d}", i)
	}
	b.WriteString(": {Type: AWS::SNS::Topic}\n")
	return b.String()
}

func TestAgree(t *testing.T) {
	str := graph.StringValue
	list := func(items ...*graph.Value) *graph.Value { return &graph.Value{Type: graph.List, Items: items} }
	tests := []struct {
		name string
		a, b *graph.Value
		want string
	}{
		{"equal strings", str("x"), str("x"), "x"},
		{"different strings", str("x"), str("y"), "?"},
		{"different types", str("true"), graph.BoolValue(true), "?"},
		{"nulls", &graph.Value{Type: graph.Null}, &graph.Value{Type: graph.Null}, "null"},
		{"lists of one length", list(str("a"), str("b")), list(str("a"), str("c")), "[a ?]"},
		{"lists of two lengths", list(str("a")), list(str("a"), str("b")), "?"},
		{"maps with the same keys", graph.MapValue(false, graph.Attr("k", str("v")), graph.Attr("l", str("1"))),
			graph.MapValue(false, graph.Attr("k", str("v")), graph.Attr("l", str("2"))), "{k:v l:?}"},
		{"maps with other keys", graph.MapValue(false, graph.Attr("k", str("v"))), graph.MapValue(false, graph.Attr("j", str("v"))), "?"},
		{"unknowns", &graph.Value{Type: graph.Unknown}, &graph.Value{Type: graph.Unknown}, "?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(agree(tc.a, tc.b)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// render writes a value compactly: ? for Unknown, [..] for lists, {k:v ..} for maps.
func render(v *graph.Value) string {
	switch v.Type {
	case graph.Unknown:
		return "?"
	case graph.Null:
		return "null"
	case graph.List:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = render(it)
		}
		return "[" + strings.Join(items, " ") + "]"
	case graph.Map:
		attrs := make([]string, len(v.Attrs))
		for i, a := range v.Attrs {
			attrs[i] = a.Name + ":" + render(a.Value)
		}
		return "{" + strings.Join(attrs, " ") + "}"
	}
	s, _ := v.AsString()
	return s
}
