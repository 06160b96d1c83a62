package fixers_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/fixers/yamlpatch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/source"
)

// load parses one file with the real parsers and returns it with its resources by address.
func load(t *testing.T, name, src string) (*source.File, graph.Format, map[string]*graph.Resource) {
	t.Helper()
	f := source.NewFile(name, []byte(src))
	format := detect.Classify(name, f.Src)
	g, diags := parsers.Load([]parsers.Input{{File: f, Format: format}})
	if diags.HasErrors() {
		t.Fatalf("%s does not parse: %v", name, diags)
	}
	rs := map[string]*graph.Resource{}
	for _, r := range g.Resources {
		rs[r.ID.Address] = r
	}
	return f, format, rs
}

// touched returns the 1-based lines of f an edit changes. A deletion that ends where a
// line starts does not change that line, nor does an insertion of whole lines.
func touched(f *source.File, edits []fixers.Edit) []int {
	var out []int
	for _, e := range edits {
		start := f.PosAt(e.Start)
		first, last := start.Line, start.Line
		switch {
		case e.End > e.Start:
			last = f.PosAt(e.End - 1).Line
		case start.Column == 1 && len(e.New) > 0 && e.New[len(e.New)-1] == '\n':
			continue
		}
		for l := first; l <= last; l++ {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestPlanTouchesOnlyTheLinesTheChangeNeeds plans one change per format and asserts which
// lines the edits touch, and that every other line is in the output byte for byte.
func TestPlanTouchesOnlyTheLinesTheChangeNeeds(t *testing.T) {
	tests := []struct {
		name, file, src string
		change          func(rs map[string]*graph.Resource) fixers.Change
		lines           []int
	}{
		{
			name: "terraform: a value next to a comment, CRLF",
			file: "main.tf",
			src:  "# Site bucket.\r\nresource \"aws_s3_bucket_acl\" \"a\" {\r\n  bucket = \"b\"\r\n  acl    = \"public-read\" # legacy\r\n}\r\n",
			change: func(rs map[string]*graph.Resource) fixers.Change {
				r := rs["aws_s3_bucket_acl.a"]
				return fixers.Change{Op: fixers.SetValue, Resource: r, Target: r.Get("acl").Value, New: graph.StringValue("private")}
			},
			lines: []int{4},
		},
		{
			name: "terraform: attributes added to an aligned run",
			file: "main.tf",
			src:  "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket            = \"b\"\n  block_public_acls = true\n\n  # the end\n}\n",
			change: func(rs map[string]*graph.Resource) fixers.Change {
				r := rs["aws_s3_bucket_public_access_block.p"]
				return fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "restrict_public_buckets", New: graph.BoolValue(true)}
			},
			lines: []int{2, 3},
		},
		{
			name: "yaml: a block sequence item with a short tag",
			file: "template.yaml",
			src:  "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub \"${AWS::StackName}\"\n      SecurityGroupIngress:\n        - CidrIp: 0.0.0.0/0\n          IpProtocol: tcp\n        - CidrIp: 10.0.0.0/8\n          IpProtocol: tcp\n",
			change: func(rs map[string]*graph.Resource) fixers.Change {
				r := rs["G"]
				l := r.Get("SecurityGroupIngress").Value
				return fixers.Change{Op: fixers.RemoveItem, Resource: r, Parent: l, Target: l.Items[0]}
			},
			lines: []int{7, 8},
		},
		{
			name: "json: the last member and the comma before it, no final newline",
			file: "template.json",
			src:  "{\n    \"Resources\": {\n        \"B\": {\n            \"Type\": \"AWS::S3::Bucket\",\n            \"Properties\": {\n                \"BucketName\": \"b\",\n                \"AccessControl\": \"PublicRead\"\n            }\n        }\n    }\n}",
			change: func(rs map[string]*graph.Resource) fixers.Change {
				r := rs["B"]
				return fixers.Change{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: r.Get("AccessControl")}
			},
			lines: []int{6, 7},
		},
		{
			name: "serverless: a resource",
			file: "serverless.yml",
			src:  "service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    A:\n      Type: AWS::SNS::Topic\n    B:\n      Type: AWS::SNS::Topic\n",
			change: func(rs map[string]*graph.Resource) fixers.Change {
				return fixers.Change{Op: fixers.RemoveResource, Resource: rs["A"]}
			},
			lines: []int{6, 7},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, format, rs := load(t, tc.file, tc.src)
			edits, err := fixers.Plan(f, format, []fixers.Change{tc.change(rs)})
			if err != nil {
				t.Fatal(err)
			}
			if got := touched(f, edits); !slices.Equal(got, tc.lines) {
				t.Errorf("edits touch lines %v, want %v (edits %+v)", got, tc.lines, edits)
			}
			out, err := fixers.Apply(f.Src, edits)
			if err != nil {
				t.Fatal(err)
			}
			checkUntouched(t, f, edits, tc.lines, out)
			load(t, tc.file, string(out))
		})
	}
}

// checkUntouched asserts that every line of f not in lines is in out, shifted by the
// edits before it, byte for byte.
func checkUntouched(t *testing.T, f *source.File, edits []fixers.Edit, lines []int, out []byte) {
	t.Helper()
	for l := 1; l <= f.LineCount(); l++ {
		if slices.Contains(lines, l) {
			continue
		}
		start, end := f.Offset(l, 1), f.LineEnd(l)
		shift := 0
		for _, e := range edits {
			if e.End <= start { // insertions at the line's start included
				shift += len(e.New) - (e.End - e.Start)
			}
		}
		if got := string(out[start+shift : end+shift]); got != string(f.Src[start:end]) {
			t.Errorf("line %d changed: %q, was %q", l, got, f.Src[start:end])
		}
	}
}

func TestPlanPlansTheSameChangeOnce(t *testing.T) {
	f, format, rs := load(t, "main.tf", "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n")
	r := rs["aws_s3_bucket_public_access_block.p"]
	set := fixers.Change{Op: fixers.SetValue, Resource: r, Target: r.Get("acl").Value, New: graph.StringValue("private")}
	add := fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "block_public_acls", New: graph.BoolValue(true)}
	edits, err := fixers.Plan(f, format, []fixers.Change{set, add, set, add})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := fixers.Apply(f.Src, edits)
	want := "resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket            = \"b\"\n  acl               = \"private\"\n  block_public_acls = true\n}\n"
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
}

func TestPlanErrors(t *testing.T) {
	f, format, rs := load(t, "template.yaml", "Parameters:\n  Acl:\n    Type: String\n    Default: PublicRead\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: !Ref Acl\n      BucketName: b\n")
	r := rs["B"]
	tests := []struct {
		name    string
		format  graph.Format
		changes []fixers.Change
		want    error
	}{
		{"a value from a parameter default", format, []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: r.Get("AccessControl").Value, New: graph.StringValue("Private")}}, fixers.ErrDefinedElsewhere},
		{"a change without its target", format, []fixers.Change{{Op: fixers.RemoveItem, Resource: r}}, fixers.ErrIncomplete},
		{"an unknown op", format, []fixers.Change{{Resource: r}}, fixers.ErrIncomplete},
		{"two values for one new attribute", format, []fixers.Change{
			{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "X", New: graph.StringValue("a")},
			{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "X", New: graph.StringValue("b")},
		}, fixers.ErrConflict},
		{"a format no patcher writes", graph.FormatNone, nil, fixers.ErrFormat},
		{"what the patcher does not support", format, []fixers.Change{{Op: fixers.AddResource, Resource: r, Kind: graph.S3BucketVersioning, Name: "v", New: graph.MapValue(true)}}, yamlpatch.ErrUnsupported},
		{"overlapping changes", format, []fixers.Change{
			{Op: fixers.SetValue, Resource: r, Target: r.Get("BucketName").Value, New: graph.StringValue("a")},
			{Op: fixers.RemoveAttribute, Resource: r, Parent: r.Body, Attr: r.Get("BucketName")},
		}, fixers.ErrOverlap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fixers.Plan(f, tc.format, tc.changes); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestPlanAddsAResourceOnce plans the data source that several fixes need: declared
// after the same resource it is written once; after another, or with another body, it
// would be declared twice.
func TestPlanAddsAResourceOnce(t *testing.T) {
	f, format, rs := load(t, "main.tf", "resource \"aws_s3_bucket_policy\" \"a\" {}\n\nresource \"aws_s3_bucket_policy\" \"b\" {}\n")
	add := func(after string, body *graph.Value) fixers.Change {
		return fixers.Change{Op: fixers.AddResource, Resource: rs[after], Kind: "data.aws_caller_identity", Name: "current", New: body}
	}
	empty := graph.MapValue(true)
	t.Run("after the same resource", func(t *testing.T) {
		edits, err := fixers.Plan(f, format, []fixers.Change{add("aws_s3_bucket_policy.a", empty), add("aws_s3_bucket_policy.a", graph.MapValue(true))})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := fixers.Apply(f.Src, edits)
		want := "resource \"aws_s3_bucket_policy\" \"a\" {}\n\ndata \"aws_caller_identity\" \"current\" {}\n\nresource \"aws_s3_bucket_policy\" \"b\" {}\n"
		if string(out) != want {
			t.Fatalf("got\n%s\nwant\n%s", out, want)
		}
	})
	conflicts := []struct {
		name    string
		changes []fixers.Change
	}{
		{"after another resource", []fixers.Change{add("aws_s3_bucket_policy.a", empty), add("aws_s3_bucket_policy.b", empty)}},
		{"with another body", []fixers.Change{add("aws_s3_bucket_policy.a", empty), add("aws_s3_bucket_policy.a", graph.MapValue(true, graph.Attr("provider", graph.StringValue("x"))))}},
	}
	for _, tc := range conflicts {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fixers.Plan(f, format, tc.changes); !errors.Is(err, fixers.ErrConflict) {
				t.Fatalf("err = %v, want ErrConflict", err)
			}
		})
	}
}
