package cloudformation

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func TestParseResources(t *testing.T) {
	type want struct {
		address, kind, native string
		header, rng, body     string
	}
	tests := []struct {
		file string
		want []want
	}{
		{"template.yaml", []want{
			{"WebSG", "aws_security_group", "AWS::EC2::SecurityGroup", "15:3(267)-15:8(272)", "15:3(267)-26:38(625)", "18:7(330)-26:38(625)"},
			// without Properties the body is an empty Map spanning the resource's value
			{"Logs", "aws_s3_bucket", "AWS::S3::Bucket", "27:3(628)-27:7(632)", "27:3(628)-31:49(737)", "28:5(638)-31:49(737)"},
			{"Ingress", "aws_vpc_security_group_ingress_rule", "AWS::EC2::SecurityGroupIngress", "32:3(740)-32:10(747)", "32:3(740)-45:35(1327)", "35:7(812)-45:35(1327)"},
			// an empty Properties is an empty Map at the empty value, right after its colon
			{"Empty", "aws_sqs_queue", "AWS::SQS::Queue", "46:3(1330)-46:8(1335)", "46:3(1330)-48:16(1378)", "48:16(1378)-48:16(1378)"},
		}},
		{"template.json", []want{
			{"WebSG", "aws_security_group", "AWS::EC2::SecurityGroup", "21:5(385)-21:12(392)", "21:5(385)-53:6(1083)", "23:21(457)-52:8(1077)"},
			{"Logs", "aws_s3_bucket", "AWS::S3::Bucket", "54:5(1089)-54:11(1095)", "54:5(1089)-66:6(1323)", "54:13(1097)-66:6(1323)"},
			{"Ingress", "aws_vpc_security_group_ingress_rule", "AWS::EC2::SecurityGroupIngress", "67:5(1329)-67:14(1338)", "67:5(1329)-142:6(2886)", "69:21(1410)-141:8(2880)"},
			{"Empty", "aws_sqs_queue", "AWS::SQS::Queue", "143:5(2892)-143:12(2899)", "143:5(2892)-146:6(2966)", "145:21(2956)-145:25(2960)"},
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
				got := want{r.ID.Address, string(r.Kind), r.Native, spanOf(r.Header), spanOf(r.Range), spanOf(r.Body.Range)}
				if got != w {
					t.Errorf("resource %d:\n got %+v\nwant %+v", i, got, w)
				}
				if r.ID.Path != tc.file || r.Scope != tc.file || r.Name != w.address || r.Format != formatOf(tc.file) || r.Body.Type != graph.Map {
					t.Errorf("%s: path %q scope %q name %q format %v body %v", w.address, r.ID.Path, r.Scope, r.Name, r.Format, r.Body.Type)
				}
			}
		})
	}
}

func TestIntrinsics(t *testing.T) {
	type want struct {
		typ    graph.Type
		str    string // AsString of a known scalar
		refs   string
		text   string // the source the value's range covers, in template.yaml
		origin string // the source of the Origin, "" for none
	}
	tests := []struct {
		name string
		res  string
		path string
		want want
		span string // the value's range in template.yaml
	}{
		{"Ref to a parameter with a string default", "WebSG", "SecurityGroupIngress[0].CidrIp",
			want{graph.String, "0.0.0.0/0", "SSHCidr", "!Ref SSHCidr", "0.0.0.0/0"}, "24:19(499)-24:31(511)"},
		{"Ref to a parameter with a number default", "WebSG", "SecurityGroupIngress[0].FromPort",
			want{graph.Number, "22", "Port", "!Ref Port", "22"}, "22:21(450)-22:30(459)"},
		{"Ref to a parameter without default", "WebSG", "VpcId",
			want{graph.Unknown, "", "VpcId", "!Ref VpcId", ""}, "19:14(365)-19:24(375)"},
		{"Ref to a list parameter", "Ingress", "Subnets",
			want{graph.List, "", "Subnets", "!Ref Subnets", `"subnet-a, subnet-b"`}, "40:16(1098)-40:28(1110)"},
		{"Ref to a pseudo parameter", "Ingress", "Region",
			want{graph.Unknown, "", "AWS::Region", "!Ref AWS::Region", ""}, "43:15(1239)-43:31(1255)"},
		{"GetAtt, dotted form", "Ingress", "GroupId",
			want{graph.Unknown, "", "WebSG.GroupId", "!GetAtt WebSG.GroupId", ""}, "35:16(821)-35:37(842)"},
		{"GetAtt, list form", "Ingress", "SourceSecurityGroupId",
			want{graph.Unknown, "", "WebSG.GroupId", "!GetAtt [WebSG, GroupId]", ""}, "36:30(872)-36:54(896)"},
		{"Sub with variables", "Ingress", "Description",
			want{graph.Unknown, "", "WebSG AWS::Region Logs.Arn", `!Sub "from ${WebSG} in ${AWS::Region} to ${Logs.Arn} ${!Literal}"`, ""}, "37:20(916)-37:85(981)"},
		{"Sub without variables", "Ingress", "Plain",
			want{graph.String, "no variables ${Here}", "", `!Sub "no variables ${!Here}"`, ""}, "38:14(995)-38:42(1023)"},
		{"Sub with a variable map", "Ingress", "Mapped",
			want{graph.Unknown, "", "Logs WebSG", `!Sub ["${Name}-${Logs}", {Name: !Ref WebSG}]`, ""}, "39:15(1038)-39:59(1082)"},
		{"Join", "Ingress", "Joined",
			want{graph.Unknown, "", "Logs Logs.Arn", `!Join ["-", [!Ref Logs, !GetAtt Logs.Arn]]`, ""}, "41:15(1125)-41:57(1167)"},
		{"If with AWS::NoValue", "Ingress", "Chosen",
			want{graph.Unknown, "", "Logs AWS::NoValue", "!If [IsProd, !Ref Logs, !Ref AWS::NoValue]", ""}, "42:15(1182)-42:57(1224)"},
		{"Select of GetAZs", "Ingress", "Zones",
			want{graph.Unknown, "", "", `!Select [0, !GetAZs ""]`, ""}, "44:14(1269)-44:37(1292)"},
		{"unknown function", "Ingress", "Custom",
			want{graph.Unknown, "", "Logs", "!Unknown {Ref: Logs}", ""}, "45:15(1307)-45:35(1327)"},
		{"plain number", "WebSG", "SecurityGroupIngress[0].ToPort",
			want{graph.Number, "22", "", "22", ""}, "23:19(478)-23:21(480)"},
		{"flow mapping item", "WebSG", "SecurityGroupIngress[1].CidrIp",
			want{graph.String, "10.0.0.0/8", "", "10.0.0.0/8", ""}, "25:65(576)-25:75(586)"},
	}
	for _, file := range []string{"template.yaml", "template.json"} {
		f, rs := parseFile(t, file)
		for _, tc := range tests {
			t.Run(file+"/"+tc.name, func(t *testing.T) {
				v := valueAt(t, resource(t, rs, tc.res).Body, tc.path)
				str, _ := v.AsString()
				got := want{v.Type, str, refsOf(v.Refs), textOf(f, v.Range), ""}
				if v.Origin != nil {
					got.origin = textOf(f, *v.Origin)
				}
				w := tc.want
				if file == "template.json" { // the same values, written in long form
					w.text = got.text
					w.origin = jsonOrigin(w.origin)
				} else if s := spanOf(v.Range); s != tc.span {
					t.Errorf("range %s, want %s", s, tc.span)
				}
				if got != w {
					t.Errorf("\n got %+v\nwant %+v", got, w)
				}
			})
		}
	}
}

// jsonOrigin is how template.json writes the parameter defaults template.yaml has.
func jsonOrigin(yaml string) string {
	if yaml == "0.0.0.0/0" {
		return `"0.0.0.0/0"`
	}
	return yaml
}

func TestRefRanges(t *testing.T) {
	f, rs := parseFile(t, "template.yaml")
	ingress := resource(t, rs, "Ingress")
	tests := []struct {
		path string
		want []string // each reference's range text
	}{
		{"GroupId", []string{"!GetAtt WebSG.GroupId"}},
		// Sub references point at the template string, variable map references at their Ref
		{"Mapped", []string{`"${Name}-${Logs}"`, "!Ref WebSG"}},
		{"Joined", []string{"!Ref Logs", "!GetAtt Logs.Arn"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			refs := valueAt(t, ingress.Body, tc.path).Refs
			if len(refs) != len(tc.want) {
				t.Fatalf("got %d refs, want %d", len(refs), len(tc.want))
			}
			for i, r := range refs {
				if got := textOf(f, r.Range); got != tc.want[i] {
					t.Errorf("ref %d at %q, want %q", i, got, tc.want[i])
				}
			}
		})
	}
}

func TestListParameterItems(t *testing.T) {
	f, rs := parseFile(t, "template.yaml")
	list := valueAt(t, resource(t, rs, "Ingress").Body, "Subnets")
	var got []string
	for _, it := range list.Items {
		got = append(got, it.Str+"@"+spanOf(it.Range))
		if it.Origin == nil || textOf(f, *it.Origin) != `"subnet-a, subnet-b"` {
			t.Errorf("item %q has origin %v, want the parameter default", it.Str, it.Origin)
		}
	}
	want := "subnet-a@11:14(196)-11:34(216) subnet-b@11:14(196)-11:34(216)"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("items %s, want %s", s, want)
	}
}

func TestMetadata(t *testing.T) {
	f, rs := parseFile(t, "template.yaml")
	logs := resource(t, rs, "Logs")
	if logs.Metadata == nil {
		t.Fatal("Logs has no Metadata")
	}
	id := valueAt(t, logs.Metadata, "iacscan.ignore[0].id")
	if id.Str != "AWS-S3-001" || spanOf(id.Range) != "31:23(711)-31:33(721)" || textOf(f, id.Range) != "AWS-S3-001" {
		t.Errorf("ignore id %q at %s", id.Str, spanOf(id.Range))
	}
	if web := resource(t, rs, "WebSG"); web.Metadata != nil {
		t.Errorf("WebSG has Metadata %v, want nil", web.Metadata)
	}
}

func TestGraphLinks(t *testing.T) {
	_, rs := parseFile(t, "template.yaml")
	g := graph.New(rs)
	tests := []struct {
		from string
		want string // addresses of the resources it references, in order of first reference
	}{
		{"Ingress", "WebSG Logs"},
		{"WebSG", ""}, // parameters are not resources
		{"Logs", ""},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			var got []string
			for _, r := range g.Targets(g.Lookup("template.yaml", tc.from)) {
				got = append(got, r.ID.Address)
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("targets %q, want %q", s, tc.want)
			}
		})
	}
}

func TestScalars(t *testing.T) {
	src := "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n" +
		"      Hex: 0x1F\n      Sep: 1_000\n      Float: 1.5e3\n      Inf: .inf\n      Yes: True\n" +
		"      No: false\n      Null: ~\n      Date: 2012-10-17\n      Quoted: \"22\"\n"
	f := source.NewFile("t.yaml", []byte(src))
	rs, diags := Parse(f, graph.CloudFormationYAML)
	if len(diags) != 0 || len(rs) != 1 {
		t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
	}
	tests := []struct {
		attr string
		typ  graph.Type
		num  float64
		str  string // AsString
	}{
		{"Hex", graph.Number, 31, "0x1F"},
		{"Sep", graph.Number, 1000, "1_000"},
		{"Float", graph.Number, 1500, "1.5e3"},
		{"Inf", graph.String, 0, ".inf"}, // not a number Go reads: kept as written
		{"Yes", graph.Bool, 0, "true"},
		{"No", graph.Bool, 0, "false"},
		{"Null", graph.Null, 0, ""},
		{"Date", graph.String, 0, "2012-10-17"},
		{"Quoted", graph.String, 0, "22"},
	}
	for _, tc := range tests {
		t.Run(tc.attr, func(t *testing.T) {
			v := valueAt(t, rs[0].Body, tc.attr)
			str, _ := v.AsString()
			if v.Type != tc.typ || v.Num != tc.num || str != tc.str {
				t.Errorf("got %v %v %q, want %v %v %q", v.Type, v.Num, str, tc.typ, tc.num, tc.str)
			}
		})
	}
}

func TestAliasOrigin(t *testing.T) {
	src := "Resources:\n  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      CidrIp: &open 0.0.0.0/0\n" +
		"      Tags: &tags [{Key: env, Value: prod}]\n" +
		"  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      CidrIp: *open\n      Tags: *tags\n"
	f := source.NewFile("t.yaml", []byte(src))
	rs, diags := Parse(f, graph.CloudFormationYAML)
	if len(diags) != 0 || len(rs) != 2 {
		t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
	}
	tests := []struct {
		res, path    string
		text, origin string // "" origin: none
	}{
		{"A", "CidrIp", "&open 0.0.0.0/0", ""},
		{"A", "Tags[0].Value", "prod", ""},
		{"B", "CidrIp", "*open", "&open 0.0.0.0/0"},
		{"B", "Tags", "*tags", "&tags [{Key: env, Value: prod}]"},
		// inside an alias the values are the anchor's, marked as defined there
		{"B", "Tags[0].Value", "prod", "prod"},
	}
	for _, tc := range tests {
		t.Run(tc.res+"."+tc.path, func(t *testing.T) {
			v := valueAt(t, resource(t, rs, tc.res).Body, tc.path)
			origin := ""
			if v.Origin != nil {
				origin = textOf(f, *v.Origin)
			}
			if text := textOf(f, v.Range); text != tc.text || origin != tc.origin {
				t.Errorf("value at %q with origin %q, want %q with origin %q", text, origin, tc.text, tc.origin)
			}
		})
	}
}

func TestServerlessVariables(t *testing.T) {
	src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n" +
		"      BucketName: ${self:service}-${opt:stage, 'dev'}\n      Sub: !Sub \"${opt:stage}-${Other}\"\n      Plain: logs\n"
	tests := []struct {
		format graph.Format
		attr   string
		typ    graph.Type
		refs   string
	}{
		{graph.Serverless, "BucketName", graph.Unknown, ""},
		{graph.Serverless, "Sub", graph.Unknown, "Other"}, // ${opt:stage} is not a reference
		{graph.Serverless, "Plain", graph.String, ""},
		{graph.CloudFormationYAML, "BucketName", graph.String, ""}, // no variables in CloudFormation
	}
	for _, tc := range tests {
		t.Run(tc.format.String()+"/"+tc.attr, func(t *testing.T) {
			f := source.NewFile("t.yaml", []byte(src))
			rs, diags := Parse(f, graph.CloudFormationYAML)
			if tc.format == graph.Serverless {
				rs, diags = Resources(f, graph.Serverless, mustYAML(t, f))
			}
			if len(diags) != 0 || len(rs) != 1 {
				t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
			}
			v := valueAt(t, rs[0].Body, tc.attr)
			if v.Type != tc.typ || refsOf(v.Refs) != tc.refs {
				t.Errorf("got %v refs %q, want %v refs %q", v.Type, refsOf(v.Refs), tc.typ, tc.refs)
			}
		})
	}
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		format    graph.Format
		want      string
		resources int
	}{
		{"resource without Type", "Resources:\n  A:\n    Properties: {}\n  B:\n    Type: AWS::SNS::Topic\n", graph.CloudFormationYAML,
			`error t:2:3: resource "A" has no Type`, 1},
		{"Type from an intrinsic", "Resources:\n  A:\n    Type: !Ref T\n", graph.CloudFormationYAML,
			`error t:2:3: resource "A" has no Type`, 0},
		{"resource not a mapping", "Resources:\n  A: [1]\n", graph.CloudFormationYAML,
			`error t:2:3: resource "A" is not a mapping`, 0},
		{"Properties not a mapping", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: [x]\n", graph.CloudFormationYAML,
			`error t:4:17: the Properties of resource "A" are not a mapping`, 1},
		{"Resources not a mapping", "Resources: [a]\n", graph.CloudFormationYAML,
			"error t:1:12: Resources is not a mapping", 0},
		{"template not a mapping", "- a\n", graph.CloudFormationYAML,
			"error t:1:1: the template is not a mapping", 0},
		{"empty template", "# nothing\n", graph.CloudFormationYAML,
			"error t:1:1: the template is empty", 0},
		{"no Resources", "AWSTemplateFormatVersion: 2010-09-09\n", graph.CloudFormationYAML, "", 0},
		{"YAML syntax error", "Resources:\n  A: [\n", graph.CloudFormationYAML,
			"error t:3:1: YAML syntax error: did not find expected node content", 0}, // at the end of input
		{"JSON syntax error", "{\"Resources\": {\"A\": }}", graph.CloudFormationJSON,
			"error t:1:21: JSON syntax error: invalid character '}' looking for beginning of value", 0},
		{"JSON duplicate resource", "{\"Resources\": {\"A\": {\"Type\": \"X\"},\n \"A\": {\"Type\": \"Y\"}}}", graph.CloudFormationJSON,
			`warning t:2:2: duplicate key "A": first defined at line 1`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := Parse(source.NewFile("t", []byte(tc.src)), tc.format)
			if got := diagString(diags); got != tc.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if len(rs) != tc.resources {
				t.Errorf("got %d resources, want %d", len(rs), tc.resources)
			}
		})
	}
}

// TestWholeRefs asserts which references are the whole value (graph.Ref.Whole), in YAML
// and JSON: a Ref, a GetAtt and a Sub of one variable are; a Sub with more text, or
// references inside another function, are not.
func TestWholeRefs(t *testing.T) {
	const yaml = `Resources:
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Ref: !Ref B
      GetAtt: !GetAtt B.Arn
      Sub: !Sub "${B}"
      Suffixed: !Sub "${B}-logs"
      Joined: !Join ["", [!Ref B]]
      Mapped: !Sub ["${X}", {X: !Ref B}]
`
	const json = `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}, "P": {"Type": "AWS::S3::BucketPolicy", "Properties": {
  "Ref": {"Ref": "B"}, "Sub": {"Fn::Sub": "${B}"}, "Suffixed": {"Fn::Sub": "arn:aws:s3:::${B}/*"}}}}}`
	want := map[string][]bool{
		"Ref": {true}, "GetAtt": {true}, "Sub": {true}, "Suffixed": {false}, "Joined": {false}, "Mapped": {false},
	}
	for name, in := range map[string]struct {
		format graph.Format
		src    string
	}{"yaml": {graph.CloudFormationYAML, yaml}, "json": {graph.CloudFormationJSON, json}} {
		t.Run(name, func(t *testing.T) {
			rs, diags := Parse(source.NewFile("t."+name, []byte(in.src)), in.format)
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			for _, a := range resource(t, rs, "P").Body.Attrs {
				var got []bool
				for _, ref := range a.Value.Refs {
					got = append(got, ref.Whole)
				}
				if !slices.Equal(got, want[a.Name]) {
					t.Errorf("%s: Whole = %v, want %v", a.Name, got, want[a.Name])
				}
			}
		})
	}
}

// TestDependsOnAndOutputs asserts that DependsOn (one ID or a list) links resources like a
// Ref does, and that the Outputs that read a resource are recorded on it, in YAML and JSON.
func TestDependsOnAndOutputs(t *testing.T) {
	const yaml = `Resources:
  A:
    Type: AWS::SNS::Topic
  B:
    Type: AWS::SNS::Topic
    DependsOn: A
  C:
    Type: AWS::SNS::Topic
    DependsOn: [A, B, Missing]
Outputs:
  Arn:
    Value: !GetAtt B.TopicArn
  Name:
    Value: !Sub "${C}-${A}"
    Export: {Name: !Sub "${AWS::StackName}-name"}
`
	const json = `{"Resources": {"A": {"Type": "AWS::SNS::Topic"}, "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"},
  "C": {"Type": "AWS::SNS::Topic", "DependsOn": ["A", "B", "Missing"]}},
 "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["B", "TopicArn"]}}, "Name": {"Value": {"Fn::Sub": "${C}-${A}"}}}}`
	for name, in := range map[string]struct {
		format  graph.Format
		src     string
		outputs map[string]string // resource → lines of the Outputs that read it
	}{
		"yaml": {graph.CloudFormationYAML, yaml, map[string]string{"A": "14", "B": "12", "C": "14"}},
		"json": {graph.CloudFormationJSON, json, map[string]string{"A": "3", "B": "3", "C": "3"}},
	} {
		t.Run(name, func(t *testing.T) {
			rs, diags := Parse(source.NewFile("t."+name, []byte(in.src)), in.format)
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			g := graph.New(rs)
			for from, want := range map[string]string{"A": "", "B": "A", "C": "A B"} {
				var got []string
				for _, r := range g.Targets(g.Lookup("t."+name, from)) {
					got = append(got, r.ID.Address)
				}
				if s := strings.Join(got, " "); s != want {
					t.Errorf("%s depends on %q, want %q", from, s, want)
				}
			}
			for id, want := range in.outputs {
				var lines []string
				for _, at := range g.Lookup("t."+name, id).ReadByOutputs {
					lines = append(lines, fmt.Sprint(at.Start.Line))
				}
				if s := strings.Join(lines, " "); s != want {
					t.Errorf("%s read by Outputs at lines %q, want %q", id, s, want)
				}
			}
		})
	}
}
