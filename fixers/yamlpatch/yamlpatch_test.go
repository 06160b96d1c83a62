package yamlpatch_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/fixers/yamlpatch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/serverless"
	"github.com/iacscan/iacscan/source"
)

// parse reads src as a template (or a serverless.yml when name says so) and returns its
// resources by address.
func parse(t *testing.T, name string, src []byte) (map[string]*graph.Resource, error) {
	t.Helper()
	f := source.NewFile(name, src)
	var rs []*graph.Resource
	var diags source.Diagnostics
	if strings.HasPrefix(name, "serverless") {
		rs, diags = serverless.Parse(f)
	} else {
		rs, diags = cloudformation.Parse(f, graph.CloudFormationYAML)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	byAddr := map[string]*graph.Resource{}
	for _, r := range rs {
		byAddr[r.ID.Address] = r
	}
	return byAddr, nil
}

// op is one patcher call on the parsed file.
type op func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error)

// run applies op's edits to src (template.yaml unless name is given) and checks that the
// result still parses.
func run(t *testing.T, name, src string, do op) (string, error) {
	t.Helper()
	if name == "" {
		name = "template.yaml"
	}
	rs, err := parse(t, name, []byte(src))
	if err != nil {
		t.Fatalf("input does not parse: %v", err)
	}
	d, err := yamlpatch.New(source.NewFile(name, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	edits, err := do(d, rs)
	if err != nil {
		return "", err
	}
	if edits, err = d.Finish(edits); err != nil {
		return "", err
	}
	out, err := patch.Apply([]byte(src), edits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, name, out); err != nil {
		t.Fatalf("the patched file does not parse: %v\n%s", err, out)
	}
	return string(out), nil
}

func check(t *testing.T, name, src, want string, do op) {
	t.Helper()
	got, err := run(t, name, src, do)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s\n(got %q)", got, want, got)
	}
}

// value returns the value at a path of property names and list indexes ("0").
func value(r *graph.Resource, path ...string) *graph.Value {
	v := r.Body
	for _, step := range path {
		if v.Type == graph.List {
			i := int(step[0] - '0')
			v = v.Items[i]
			continue
		}
		v = v.Get(step).Value
	}
	return v
}

func str(s string) *graph.Value { return graph.StringValue(s) }

func setValue(addr string, v *graph.Value, path ...string) op {
	return func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		return d.SetValue(value(rs[addr], path...), v)
	}
}

func TestSetValue(t *testing.T) {
	const bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: %s\n"
	root := graph.MapValue(false, graph.Attr("AWS", graph.MapValue(false, graph.Attr("Fn::Sub", str("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")))))
	tests := []struct {
		name, src, want string
		v               *graph.Value
	}{
		{"plain", "PublicRead", "Private", str("Private")},
		{"single quotes", "'PublicRead'", "'Private'", str("Private")},
		{"single quotes doubled inside", "'PublicRead'", "'it''s'", str("it's")},
		{"double quotes", `"PublicRead"`, `"Private"`, str("Private")},
		{"comment kept", "PublicRead   # the site", "Private   # the site", str("Private")},
		{"short tag replaced from the !", "!Ref Acl", "Private", str("Private")},
		{"plain that would read as a boolean is quoted", "PublicRead", `"yes"`, str("yes")},
		{"plain that would read as a number is quoted", "PublicRead", `"10"`, str("10")},
		{"plain with a colon and space is quoted", "PublicRead", `"a: b"`, str("a: b")},
		{"a bool keeps the quotes of the string it replaces", `"false"`, `"true"`, graph.BoolValue(true)},
		{"a bool", "false", "true", graph.BoolValue(true)},
		{"a map replacing a scalar, in flow style", `"*"`, `{AWS: {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}`, root},
		{"a reference", "x", "!GetAtt Logs.Arn", &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "Logs", Attr: "Arn"}}}},
		{"a block scalar", "|\n        PublicRead\n", "Private\n", str("Private")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(bucket, "%s", tc.src, 1)
			want := strings.Replace(bucket, "%s", tc.want, 1)
			if strings.HasSuffix(tc.src, "\n") {
				src, want = strings.TrimSuffix(src, "\n"), strings.TrimSuffix(want, "\n")
			}
			if strings.Contains(tc.src, "!Ref") {
				src = "Parameters:\n  Acl:\n    Type: String\n" + src
				want = "Parameters:\n  Acl:\n    Type: String\n" + want
			}
			check(t, "", src, want, setValue("B", tc.v, "AccessControl"))
		})
	}
}

func TestSetValueInFlowAndBlockCollections(t *testing.T) {
	tests := []struct {
		name, src, want string
		path            []string
		v               *graph.Value
	}{
		{
			name: "inside a flow mapping, CRLF",
			src:  "Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      VersioningConfiguration: {Status: 'Suspended'}\r\n",
			want: "Resources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      VersioningConfiguration: {Status: 'Enabled'}\r\n",
			path: []string{"VersioningConfiguration", "Status"},
			v:    str("Enabled"),
		},
		{
			name: "a list item in flow style",
			src:  "Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Principal: {AWS: [\"arn:aws:iam::111122223333:root\", \"*\"]}\n",
			want: "Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Principal: {AWS: [\"arn:aws:iam::111122223333:root\", {\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}]}\n",
			path: []string{"Principal", "AWS", "1"},
			v:    graph.MapValue(false, graph.Attr("Fn::Sub", str("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"))),
		},
		{
			name: "a block mapping replaced in block style",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        Key: a\n        Value: b\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        team: data\n        cost: x\n",
			path: []string{"Tags"},
			v:    graph.MapValue(false, graph.Attr("team", str("data")), graph.Attr("cost", str("x"))),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := parse(t, "template.yaml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var addr string
			for a := range rs {
				addr = a
			}
			check(t, "", tc.src, tc.want, setValue(addr, tc.v, tc.path...))
		})
	}
}

func TestUnsupported(t *testing.T) {
	src := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - - a\n      Name: x\n"
	tests := []struct {
		name string
		do   op
	}{
		{"a computed value", setValue("B", &graph.Value{Type: graph.Unknown}, "Name")},
		{"a Terraform template", setValue("B", graph.TemplateValue("${Logs.Arn}/*", &graph.Ref{Address: "Logs", Attr: "Arn"}), "Name")},
		{"a value that is not in the file", func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(&graph.Value{Range: source.Range{Start: source.Pos{Byte: 1}, End: source.Pos{Byte: 3}}}, str("x"))
		}},
		{"an item that does not start its line", func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			inner := value(rs["B"], "Tags", "0")
			return d.RemoveItems(inner, inner.Items)
		}},
		{"items of a mapping", func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.RemoveItems(rs["B"].Body, nil)
		}},
		{"entries of a scalar", func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.EditMap(value(rs["B"], "Name"), nil, []*graph.Attribute{graph.Attr("a", str("b"))})
		}},
		{"a new resource", func(d *yamlpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.AddResource(rs["B"], graph.S3BucketVersioning, "v", graph.MapValue(true))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := run(t, "", src, tc.do); !errors.Is(err, yamlpatch.ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestNewRefusesABrokenFile(t *testing.T) {
	for _, src := range []string{"a: [", ""} {
		if _, err := yamlpatch.New(source.NewFile("t.yaml", []byte(src))); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}
