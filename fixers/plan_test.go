package fixers_test

import (
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/source"
)

// parse loads one file with the real parsers and returns its file and first resource.
func parse(t *testing.T, name, src string) (*source.File, graph.Format, *graph.Resource) {
	t.Helper()
	f := source.NewFile(name, []byte(src))
	format := detect.Classify(name, f.Src)
	g, diags := parsers.Load([]parsers.Input{{File: f, Format: format}})
	if diags.HasErrors() || len(g.Resources) == 0 {
		t.Fatalf("parse %s: %v (%d resources)", name, diags, len(g.Resources))
	}
	return f, format, g.Resources[0]
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name, file, src, want string
		change                func(r *graph.Resource) fixers.Change
	}{
		{
			name: "hcl: set a value, comment kept", file: "main.tf",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\" # legacy\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\" # legacy\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.SetValue, Resource: r, Target: r.Get("acl").Value, New: graph.StringValue("private")}
			},
		},
		{
			name: "hcl: remove one CIDR of a one-line list", file: "main.tf",
			src:  "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n}\n",
			want: "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"10.0.0.0/8\"]\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				l := r.Get("cidr_blocks").Value
				return fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: l, Target: l.Items[1]}
			},
		},
		{
			name: "hcl: remove the first CIDR, CRLF file", file: "main.tf",
			src:  "resource \"aws_security_group_rule\" \"r\" {\r\n  cidr_blocks = [\"0.0.0.0/0\", \"10.0.0.0/8\"]\r\n}\r\n",
			want: "resource \"aws_security_group_rule\" \"r\" {\r\n  cidr_blocks = [\"10.0.0.0/8\"]\r\n}\r\n",
			change: func(r *graph.Resource) fixers.Change {
				l := r.Get("cidr_blocks").Value
				return fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: l, Target: l.Items[0]}
			},
		},
		{
			name: "hcl: remove a block with its comment", file: "main.tf",
			src:  "resource \"aws_security_group\" \"g\" {\n  name = \"g\"\n\n  # SSH\n  ingress {\n    from_port = 22\n  }\n}\n",
			want: "resource \"aws_security_group\" \"g\" {\n  name = \"g\"\n\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: r.Get("ingress")}
			},
		},
		{
			name: "hcl: add a nested block with tabs", file: "main.tf",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n\tbucket = \"b\"\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n\tbucket = \"b\"\n\tversioning {\n\t\tenabled = true\n\t}\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "versioning",
					New: graph.MapValue(true, graph.Attr("enabled", graph.BoolValue(true)))}
			},
		},
		{
			name: "hcl: add an attribute realigns the run", file: "main.tf",
			src:  "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket            = \"b\"\n  block_public_acls = true\n}",
			want: "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket                  = \"b\"\n  block_public_acls       = true\n  restrict_public_buckets = true\n}",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "restrict_public_buckets", New: graph.BoolValue(true)}
			},
		},
		{
			name: "hcl: add a resource after the bucket", file: "main.tf",
			src:  "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
			want: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n\nresource \"aws_s3_bucket_versioning\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				ref := &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "aws_s3_bucket.b", Attr: "id"}}}
				return fixers.Change{Op: fixers.AddResource, Resource: r, Kind: "aws_s3_bucket_versioning", Name: "b",
					New: graph.MapValue(true, graph.Attr("bucket", ref),
						graph.Attr("versioning_configuration", graph.MapValue(true, graph.Attr("status", graph.StringValue("Enabled")))))}
			},
		},
		{
			name: "yaml: set a quoted scalar keeps the quotes", file: "t.yaml",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: 'PublicRead'\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: 'Private'\n",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.SetValue, Resource: r, Target: r.Get("AccessControl").Value, New: graph.StringValue("Private")}
			},
		},
		{
			name: "yaml: remove a block sequence item", file: "t.yaml",
			src:  "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          CidrIp: 0.0.0.0/0\n        - {IpProtocol: tcp, CidrIp: 10.0.0.0/8}\n",
			want: "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, CidrIp: 10.0.0.0/8}\n",
			change: func(r *graph.Resource) fixers.Change {
				l := r.Get("SecurityGroupIngress").Value
				return fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: l, Target: l.Items[0]}
			},
		},
		{
			name: "yaml: add a nested property in block style", file: "t.yaml",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"b-${AWS::Region}\"",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"b-${AWS::Region}\"\n      VersioningConfiguration:\n        Status: Enabled",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "VersioningConfiguration",
					New: graph.MapValue(false, graph.Attr("Status", graph.StringValue("Enabled")))}
			},
		},
		{
			name: "yaml: add to a flow mapping", file: "t.yaml",
			src:  "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: b}\n",
			want: "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: b, VersioningConfiguration: {Status: Enabled}}\n",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "VersioningConfiguration",
					New: graph.MapValue(false, graph.Attr("Status", graph.StringValue("Enabled")))}
			},
		},
		{
			name: "json: remove the last list element, 4-space indent", file: "t.json",
			src:  "{\n    \"Resources\": {\n        \"G\": {\n            \"Type\": \"AWS::EC2::SecurityGroup\",\n            \"Properties\": {\n                \"SecurityGroupIngress\": [\n                    {\"CidrIp\": \"10.0.0.0/8\"},\n                    {\"CidrIp\": \"0.0.0.0/0\"}\n                ]\n            }\n        }\n    }\n}\n",
			want: "{\n    \"Resources\": {\n        \"G\": {\n            \"Type\": \"AWS::EC2::SecurityGroup\",\n            \"Properties\": {\n                \"SecurityGroupIngress\": [\n                    {\"CidrIp\": \"10.0.0.0/8\"}\n                ]\n            }\n        }\n    }\n}\n",
			change: func(r *graph.Resource) fixers.Change {
				l := r.Get("SecurityGroupIngress").Value
				return fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: l, Target: l.Items[1]}
			},
		},
		{
			name: "json: add a property, 2-space indent", file: "t.json",
			src:  "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"b\"\n      }\n    }\n  }\n}",
			want: "{\n  \"Resources\": {\n    \"B\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"b\",\n        \"VersioningConfiguration\": {\n          \"Status\": \"Enabled\"\n        }\n      }\n    }\n  }\n}",
			change: func(r *graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "VersioningConfiguration",
					New: graph.MapValue(false, graph.Attr("Status", graph.StringValue("Enabled")))}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, format, r := parse(t, tc.file, tc.src)
			edits, err := fixers.Plan(f, format, []fixers.Change{tc.change(r)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := fixers.Apply(f.Src, edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
			parse(t, tc.file, string(got)) // the result must parse
		})
	}
}
