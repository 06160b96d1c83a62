package jsonpatch_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/fixers/jsonpatch"
	"github.com/iacscan/iacscan/fixers/patch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/source"
)

// parse reads src as a template, or as Terraform JSON when name ends in .tf.json.
func parse(name string, src []byte) (map[string]*graph.Resource, graph.Format, error) {
	f := source.NewFile(name, src)
	format := graph.CloudFormationJSON
	var rs []*graph.Resource
	var diags source.Diagnostics
	if strings.HasSuffix(name, ".tf.json") {
		format = graph.TerraformJSON
		rs, diags = terraform.ParseJSON(f)
	} else {
		rs, diags = cloudformation.Parse(f, format)
	}
	if diags.HasErrors() {
		return nil, format, diags
	}
	byAddr := map[string]*graph.Resource{}
	for _, r := range rs {
		byAddr[r.ID.Address] = r
	}
	return byAddr, format, nil
}

type op func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error)

// run applies op's edits to src (template.json unless name is given) and checks that the
// result still parses.
func run(t *testing.T, name, src string, do op) (string, error) {
	t.Helper()
	if name == "" {
		name = "template.json"
	}
	rs, format, err := parse(name, []byte(src))
	if err != nil {
		t.Fatalf("input does not parse: %v", err)
	}
	d, err := jsonpatch.New(source.NewFile(name, []byte(src)), format)
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
	if _, _, err := parse(name, out); err != nil {
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

func value(r *graph.Resource, path ...string) *graph.Value {
	v := r.Body
	for _, step := range path {
		if v.Type == graph.List {
			v = v.Items[int(step[0]-'0')]
			continue
		}
		v = v.Get(step).Value
	}
	return v
}

func str(s string) *graph.Value { return graph.StringValue(s) }

// two and four are the same template indented by 2 and 4 spaces.
var (
	two  = "{\n  \"Resources\": {\n    \"G\": {\n      \"Type\": \"AWS::EC2::SecurityGroup\",\n      \"Properties\": {\n        \"GroupDescription\": \"g\",\n        \"SecurityGroupIngress\": [\n          {\"IpProtocol\": \"tcp\", \"CidrIp\": \"0.0.0.0/0\"},\n          {\"IpProtocol\": \"tcp\", \"CidrIp\": \"10.0.0.0/8\"}\n        ]\n      }\n    }\n  }\n}\n"
	four = strings.ReplaceAll(two, "  ", "    ")
)

func TestSetValue(t *testing.T) {
	root := graph.MapValue(false, graph.Attr("AWS", graph.MapValue(false, graph.Attr("Fn::Sub", str("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")))))
	tests := []struct {
		name, src, want string
		v               *graph.Value
	}{
		{"a string", `"PublicRead"`, `"Private"`, str("Private")},
		{"escapes", `"PublicRead"`, `"a \"b\" <c>"`, str(`a "b" <c>`)},
		{"a map on one line", `"*"`, `{"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}`, root},
		{"a reference replaces an intrinsic", `{"Ref": "Acl"}`, `{"Fn::GetAtt": ["Logs", "Arn"]}`, &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "Logs", Attr: "Arn"}}}},
		{"a bool", `"x"`, `true`, graph.BoolValue(true)},
		{"a number", `"x"`, `443`, &graph.Value{Type: graph.Number, Num: 443}},
		{"a list", `"x"`, `["a", null]`, &graph.Value{Type: graph.List, Items: []*graph.Value{str("a"), {Type: graph.Null}}}},
	}
	const tmpl = "{\r\n    \"Resources\": {\r\n        \"B\": {\r\n            \"Type\": \"AWS::S3::Bucket\",\r\n            \"Properties\": {\"AccessControl\": %s}\r\n        }\r\n    }\r\n}"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(tmpl, "%s", tc.src, 1)
			if strings.Contains(tc.src, "Ref") {
				src = strings.Replace(src, "{\r\n    \"Resources\"", "{\r\n    \"Parameters\": {\"Acl\": {\"Type\": \"String\"}},\r\n    \"Resources\"", 1)
			}
			want := strings.Replace(src, tc.src, tc.want, 1)
			check(t, "", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				return d.SetValue(value(rs["B"], "AccessControl"), tc.v)
			})
		})
	}
}

func TestMinifiedSeparators(t *testing.T) {
	src := `{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"AccessControl":"PublicRead"}}}}`
	want := `{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"AccessControl":"PublicRead","PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true}}}}}`
	check(t, "", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
		return d.EditMap(rs["B"].Body, nil, []*graph.Attribute{graph.Attr("PublicAccessBlockConfiguration", graph.MapValue(false,
			graph.Attr("BlockPublicAcls", graph.BoolValue(true)), graph.Attr("IgnorePublicAcls", graph.BoolValue(true))))})
	})
}

func TestRemoveItems(t *testing.T) {
	tests := []struct {
		name, src, want string
		drop            []int
	}{
		{"first of two on their lines, 2 spaces", two, strings.Replace(two, "          {\"IpProtocol\": \"tcp\", \"CidrIp\": \"0.0.0.0/0\"},\n", "", 1), []int{0}},
		{"last of two on their lines, 4 spaces", four, strings.Replace(four, "},\n                    {\"IpProtocol\": \"tcp\", \"CidrIp\": \"10.0.0.0/8\"}", "}", 1), []int{1}},
		{"all", two, strings.Replace(two, "[\n          {\"IpProtocol\": \"tcp\", \"CidrIp\": \"0.0.0.0/0\"},\n          {\"IpProtocol\": \"tcp\", \"CidrIp\": \"10.0.0.0/8\"}\n        ]", "[]", 1), []int{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", tc.src, tc.want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				list := value(rs["G"], "SecurityGroupIngress")
				var items []*graph.Value
				for _, i := range tc.drop {
					items = append(items, list.Items[i])
				}
				return d.RemoveItems(list, items)
			})
		})
	}
}

func TestRemoveItemsOnOneLine(t *testing.T) {
	const tmpl = "{\"Resources\": {\"G\": {\"Type\": \"AWS::EC2::SecurityGroup\", \"Properties\": {\"SecurityGroupIngress\": %s}}}}\n"
	tests := []struct {
		name, src, want string
		drop            []int
	}{
		{"first", `[{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]`, `[{"CidrIp": "10.0.0.0/8"}]`, []int{0}},
		{"last two", `[{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "0.0.0.0/0"}, {"CidrIpv6": "::/0"}]`, `[{"CidrIp": "10.0.0.0/8"}]`, []int{1, 2}},
		{"all", `[ {"CidrIp": "0.0.0.0/0"} ]`, `[]`, []int{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, want := strings.Replace(tmpl, "%s", tc.src, 1), strings.Replace(tmpl, "%s", tc.want, 1)
			check(t, "", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				list := value(rs["G"], "SecurityGroupIngress")
				var items []*graph.Value
				for _, i := range tc.drop {
					items = append(items, list.Items[i])
				}
				return d.RemoveItems(list, items)
			})
		})
	}
}

func TestEditMap(t *testing.T) {
	versioning := graph.Attr("VersioningConfiguration", graph.MapValue(false, graph.Attr("Status", str("Enabled"))))
	tests := []struct {
		name, src, want string
		remove          []string
		add             []*graph.Attribute
	}{
		{
			name: "add after the last member, 4 spaces, no final newline",
			src:  "{\n    \"Resources\": {\n        \"B\": {\n            \"Type\": \"AWS::S3::Bucket\",\n            \"Properties\": {\n                \"BucketName\": \"b\"\n            }\n        }\n    }\n}",
			want: "{\n    \"Resources\": {\n        \"B\": {\n            \"Type\": \"AWS::S3::Bucket\",\n            \"Properties\": {\n                \"BucketName\": \"b\",\n                \"VersioningConfiguration\": {\n                    \"Status\": \"Enabled\"\n                }\n            }\n        }\n    }\n}",
			add:  []*graph.Attribute{versioning},
		},
		{
			name: "add to an object on one line",
			src:  "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\"BucketName\": \"b\"}\n    }\n  }\n}\n",
			want: "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\"BucketName\": \"b\", \"VersioningConfiguration\": {\"Status\": \"Enabled\"}}\n    }\n  }\n}\n",
			add:  []*graph.Attribute{versioning},
		},
		{
			name: "add to an empty object in a file laid out on lines",
			src:  "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {}\n    }\n  }\n}\n",
			want: "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"VersioningConfiguration\": {\n          \"Status\": \"Enabled\"\n        }\n      }\n    }\n  }\n}\n",
			add:  []*graph.Attribute{versioning},
		},
		{
			name:   "remove the last member takes the comma before it, CRLF",
			src:    "{\r\n  \"Resources\": {\r\n    \"B\": {\r\n      \"Type\": \"AWS::S3::Bucket\",\r\n      \"Properties\": {\r\n        \"BucketName\": \"b\",\r\n        \"AccessControl\": \"PublicRead\"\r\n      }\r\n    }\r\n  }\r\n}\r\n",
			want:   "{\r\n  \"Resources\": {\r\n    \"B\": {\r\n      \"Type\": \"AWS::S3::Bucket\",\r\n      \"Properties\": {\r\n        \"BucketName\": \"b\"\r\n      }\r\n    }\r\n  }\r\n}\r\n",
			remove: []string{"AccessControl"},
		},
		{
			name:   "remove the last member and add another",
			src:    "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"b\",\n        \"AccessControl\": \"PublicRead\"\n      }\n    }\n  }\n}\n",
			want:   "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"b\",\n        \"VersioningConfiguration\": {\n          \"Status\": \"Enabled\"\n        }\n      }\n    }\n  }\n}\n",
			remove: []string{"AccessControl"},
			add:    []*graph.Attribute{versioning},
		},
		{
			name:   "replace every member",
			src:    "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"AccessControl\": \"PublicRead\"}}}}\n",
			want:   "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"VersioningConfiguration\": {\"Status\": \"Enabled\"}}}}}\n",
			remove: []string{"AccessControl"},
			add:    []*graph.Attribute{versioning},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", tc.src, tc.want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				var drop []*graph.Attribute
				for _, name := range tc.remove {
					drop = append(drop, rs["B"].Body.Get(name))
				}
				return d.EditMap(rs["B"].Body, drop, tc.add)
			})
		})
	}
}

func TestRemoveResources(t *testing.T) {
	src := "{\n    \"Resources\": {\n        \"A\": {\n            \"Type\": \"AWS::SNS::Topic\"\n        },\n        \"B\": {\"Type\": \"AWS::SNS::Topic\"},\n        \"C\": {\n            \"Type\": \"AWS::SNS::Topic\"\n        }\n    }\n}"
	tests := []struct {
		name, want string
		drop       []string
	}{
		{"the first", "{\n    \"Resources\": {\n        \"B\": {\"Type\": \"AWS::SNS::Topic\"},\n        \"C\": {\n            \"Type\": \"AWS::SNS::Topic\"\n        }\n    }\n}", []string{"A"}},
		{"the last two", "{\n    \"Resources\": {\n        \"A\": {\n            \"Type\": \"AWS::SNS::Topic\"\n        }\n    }\n}", []string{"B", "C"}},
		{"all", "{\n    \"Resources\": {}\n}", []string{"A", "B", "C"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "", src, tc.want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
				var drop []*graph.Resource
				for _, a := range tc.drop {
					drop = append(drop, rs[a])
				}
				return d.RemoveResources(drop)
			})
		})
	}
}

func TestTerraformJSON(t *testing.T) {
	src := "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"b\": {\n        \"bucket\": \"b\"\n      }\n    }\n  }\n}\n"
	ref := &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "aws_s3_bucket.b", Attr: "id"}}}
	body := graph.MapValue(true, graph.Attr("bucket", ref), graph.Attr("versioning_configuration", graph.MapValue(true, graph.Attr("status", str("Enabled")))))
	t.Run("a resource of a new type", func(t *testing.T) {
		want := "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"b\": {\n        \"bucket\": \"b\"\n      }\n    },\n    \"aws_s3_bucket_versioning\": {\n      \"b\": {\n        \"bucket\": \"${aws_s3_bucket.b.id}\",\n        \"versioning_configuration\": {\n          \"status\": \"Enabled\"\n        }\n      }\n    }\n  }\n}\n"
		check(t, "main.tf.json", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.AddResource(rs["aws_s3_bucket.b"], graph.S3BucketVersioning, "b", body)
		})
	})
	t.Run("a resource of a type the file has", func(t *testing.T) {
		want := "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"b\": {\n        \"bucket\": \"b\"\n      },\n      \"c\": {\n        \"bucket\": \"${aws_s3_bucket.b.id}\",\n        \"versioning_configuration\": {\n          \"status\": \"Enabled\"\n        }\n      }\n    }\n  }\n}\n"
		check(t, "main.tf.json", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.AddResource(rs["aws_s3_bucket.b"], graph.S3Bucket, "c", body)
		})
	})
	t.Run("set a value", func(t *testing.T) {
		want := strings.Replace(src, `"bucket": "b"`, `"bucket": "${aws_s3_bucket.b.id}"`, 1)
		check(t, "main.tf.json", src, want, func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(rs["aws_s3_bucket.b"].Get("bucket").Value, ref)
		})
	})
	refused := []struct {
		name string
		do   op
	}{
		{"a template", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			root := graph.TemplateValue("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
				&graph.Ref{Address: "data.aws_caller_identity.current", Attr: "account_id"})
			return d.SetValue(rs["aws_s3_bucket.b"].Get("bucket").Value, root)
		}},
		{"a data source", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.AddResource(rs["aws_s3_bucket.b"], "data.aws_caller_identity", "current", graph.MapValue(true))
		}},
	}
	for _, tc := range refused {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			if _, err := run(t, "main.tf.json", src, tc.do); !errors.Is(err, jsonpatch.ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	src := "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"b\"}}}}"
	tests := []struct {
		name string
		do   op
	}{
		{"a computed value", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(value(rs["B"], "BucketName"), &graph.Value{Type: graph.Unknown})
		}},
		{"a Terraform template", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.SetValue(value(rs["B"], "BucketName"), graph.TemplateValue("${Logs.Arn}/*", &graph.Ref{Address: "Logs", Attr: "Arn"}))
		}},
		{"items of an object", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.RemoveItems(rs["B"].Body, nil)
		}},
		{"members of a string", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.EditMap(value(rs["B"], "BucketName"), nil, nil)
		}},
		{"a new resource in a template", func(d *jsonpatch.Doc, rs map[string]*graph.Resource) ([]patch.Edit, error) {
			return d.AddResource(rs["B"], graph.S3BucketVersioning, "v", graph.MapValue(true))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := run(t, "", src, tc.do); !errors.Is(err, jsonpatch.ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestNewRefusesABrokenFile(t *testing.T) {
	if _, err := jsonpatch.New(source.NewFile("t.json", []byte(`{"a": }`)), graph.CloudFormationJSON); err == nil {
		t.Fatal("no error")
	}
}
