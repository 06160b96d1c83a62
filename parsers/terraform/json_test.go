package terraform

import (
	"slices"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func TestParseJSONResources(t *testing.T) {
	got, diags := ParseJSON(readFile(t, "values.tf.json"))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	checkResources(t, got, graph.TerraformJSON, "modules/web", []wantResource{
		{"aws_security_group.web", "aws_security_group", "aws_security_group", "web",
			"5:7#91-21:8#718", "5:7#91-5:12#96", "5:14#98-21:8#718"},
		{"data.aws_iam_policy_document.p", "data.aws_iam_policy_document", "aws_iam_policy_document", "p",
			"26:7#781-26:56#830", "26:7#781-26:10#784", "26:12#786-26:56#830"},
	})
	if got[0].Body.Block {
		t.Error("a JSON body is an object, not a block")
	}
}

func TestParseJSONValues(t *testing.T) {
	got, diags := ParseJSON(readFile(t, "values.tf.json"))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	rs := byAddress(t, got)
	web := rs["aws_security_group.web"]
	if _, v := lookup(web.Body, "//"); v != nil {
		t.Error(`"//" in a body is a comment, not an attribute`)
	}
	checkValues(t, web, []valueCase{
		{"name", "7:9#153-7:22#166", "7:9#153-7:15#159", "7:17#161-7:22#166", `string "web"`, nil},
		{"vpc_id", "8:9#176-8:34#201", "8:9#176-8:17#184", "8:19#186-8:34#201", "unknown",
			[]string{"var.vpc_id[]@8:22#189-8:32#199"}},
		{"ingress", "9:9#211-12:10#373", "9:9#211-9:18#220", "9:20#222-12:10#373", "list 2", nil},
		{"ingress[0]", "", "", "10:11#234-10:89#312", "map 3", nil},
		{"ingress[0].from_port", "10:12#235-10:27#250", "10:12#235-10:23#246", "10:25#248-10:27#250", `number -1 "-1"`, nil},
		{"ingress[0].cidr_blocks[0]", "", "", "10:59#282-10:70#293", `string "0.0.0.0/0"`, nil},
		{"ingress[0].cidr_blocks[1]", "", "", "10:72#295-10:87#310", "unknown",
			[]string{"var.office[]@10:75#298-10:85#308"}},
		{"ingress[1].from_port", "11:12#325-11:30#343", "11:12#325-11:23#336", "11:25#338-11:30#343", `number 22.5 "22.50"`, nil},
		{"ingress[1].cidr_blocks", "11:32#345-11:49#362", "11:32#345-11:45#358", "11:47#360-11:49#362", "list 0", nil},
		{"tags.Name", "13:18#392-13:31#406", "13:18#392-13:24#398", "13:26#400-13:31#406", `string "wéb"`, nil},
		// After "é" the column is one less than the byte offset suggests.
		{"tags.env", "13:33#408-13:54#429", "13:33#408-13:38#413", "13:40#415-13:54#429", "unknown",
			[]string{"local.env[]@13:43#418-13:52#427"}},
		{"computed", "14:9#440-14:38#469", "14:9#440-14:19#450", "14:21#452-14:38#469", "unknown",
			[]string{"var.k[]@14:25#456-14:30#461"}},
		{"public", "15:9#479-15:23#493", "15:9#479-15:17#487", "15:19#489-15:23#493", "bool true", nil},
		{"kms", "16:9#503-16:20#514", "16:9#503-16:14#508", "16:16#510-16:20#514", "null", nil},
		{"arn", "17:9#524-17:46#561", "17:9#524-17:14#529", "17:16#531-17:46#561", "unknown",
			[]string{"aws_s3_bucket.logs[arn]@17:19#534-17:44#559"}},
		{"escaped", "18:9#571-18:31#593", "18:9#571-18:18#580", "18:20#582-18:31#593", `string "${var.x}"`, nil},
		{"constant", "19:9#603-19:33#627", "19:9#603-19:19#613", "19:21#615-19:33#627", `string "a-b"`, nil},
		{"body", "20:9#637-20:82#710", "20:9#637-20:15#643", "20:17#645-20:82#710", "unknown",
			[]string{"data.aws_iam_policy_document.p[json]@20:43#671-20:78#706"}},
	})
	checkValues(t, rs["data.aws_iam_policy_document.p"], []valueCase{
		{"statement", "26:13#787-26:55#829", "26:13#787-26:24#798", "26:26#800-26:55#829", "map 1", nil},
		{"statement.actions[0]", "", "", "26:39#813-26:53#827", `string "s3:GetObject"`, nil},
	})
}

// TestParseJSONShapes covers the ways Terraform's JSON syntax lets each level repeat.
func TestParseJSONShapes(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // addresses
		diags     []string
	}{
		{
			name: "resource repeated and as an array of objects",
			src: `{"resource": [{"aws_s3_bucket": {"a": {}}}, {"aws_s3_bucket": {"b": {}}}],
 "resource": {"aws_s3_bucket_acl": {"a": {}}}}`,
			want: []string{"aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket_acl.a"},
		},
		{
			name: "types and names as arrays",
			src:  `{"resource": {"aws_s3_bucket": [{"a": {}}, {"b": [{}]}]}}`,
			want: []string{"aws_s3_bucket.a", "aws_s3_bucket.b"},
		},
		{
			name: "root array",
			src:  `[{"data": {"aws_iam_policy_document": {"p": {}}}}]`,
			want: []string{"data.aws_iam_policy_document.p"},
		},
		{
			name:  "the same name twice",
			src:   "{\"resource\": {\"aws_s3_bucket\": {\"a\": [{},\n{}]}}}",
			want:  []string{"aws_s3_bucket.a", "aws_s3_bucket.a"},
			diags: []string{`error Duplicate resource "aws_s3_bucket" configuration@1:33#32-1:36#35`},
		},
		{
			name:  "null and scalars where objects belong",
			src:   "{\"resource\": {\"aws_s3_bucket\": {\"a\": null, \"b\": 5, \"c\": [1]}}}",
			diags: []string{"error Incorrect JSON value type@1:49#48-1:50#49", "error Incorrect JSON value type@1:58#57-1:59#58"},
		},
		{
			name: "syntax error: the other resources survive",
			src: "{\"resource\": {\"aws_s3_bucket\": {\n\"a\": {\"acl\": \"x\"},\n" +
				"\"broken\": {\"acl\": },\n\"c\": {\"acl\": \"y\"}}}}\n",
			want:  []string{"aws_s3_bucket.a", "aws_s3_bucket.c"},
			diags: []string{"error Missing JSON value@3:19#70-3:20#71"},
		},
		{
			name: "unclosed object",
			src:  "{\"resource\": {\"aws_s3_bucket\": {\"a\": {\"acl\": \"x\"}\n",
			diags: []string{
				"error Unclosed object@1:32#31-1:33#32",
				"error Unclosed object@1:14#13-1:15#14",
				"error Unclosed object@1:1#0-1:2#1",
				"error Root value must be object@1:1#0-1:2#1",
			},
		},
		{
			name:  "not JSON at all",
			src:   `resource "aws_s3_bucket" "a" {}`,
			diags: []string{"error Invalid JSON keyword@1:1#0-1:9#8", "error Root value must be object@1:1#0-1:9#8"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := ParseJSON(source.NewFile("main.tf.json", []byte(tc.src)))
			if a := addresses(got); !slices.Equal(a, tc.want) {
				t.Errorf("resources %q, want %q", a, tc.want)
			}
			if d := diagnostics(diags); !slices.Equal(d, tc.diags) {
				t.Errorf("diagnostics %q, want %q", d, tc.diags)
			}
		})
	}
}

func TestParseJSONCRLF(t *testing.T) {
	src := "{\r\n  \"resource\": {\"aws_s3_bucket\": {\"b\": {\r\n    \"acl\": \"private\"\r\n  }}}\r\n}"
	got, diags := ParseJSON(source.NewFile("main.tf.json", []byte(src)))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	checkResources(t, got, graph.TerraformJSON, ".", []wantResource{
		{"aws_s3_bucket.b", "aws_s3_bucket", "aws_s3_bucket", "b", "2:34#36-4:4#69", "2:34#36-2:37#39", "2:39#41-4:4#69"},
	})
	checkValues(t, got[0], []valueCase{
		{"acl", "3:5#48-3:21#64", "3:5#48-3:10#53", "3:12#55-3:21#64", `string "private"`, nil},
	})
}

func TestParseJSONTemplates(t *testing.T) {
	src := `{"resource": {"a": {"b": {
  "broken": "${",
  "loop": "%{for a in [1]}${a}%{endfor}",
  "for": "${[for a in [1]: a]}",
  "sum": "${1 + 1}",
  "if": "%{if true}yes%{endif}",
  "call": "${upper(var.x)}"
}}}}`
	got, diags := ParseJSON(source.NewFile("main.tf.json", []byte(src)))
	// Terraform reads every JSON string as a template, so a broken one is an error; the
	// resource is still checked, its value Unknown.
	if d, want := diagnostics(diags), []string{"error Missing expression@2:16#42-2:16#42"}; !slices.Equal(d, want) {
		t.Errorf("diagnostics %q, want %q", d, want)
	}
	if len(got) != 1 {
		t.Fatalf("got %v, want one resource", addresses(got))
	}
	checkValues(t, got[0], []valueCase{
		{"broken", "2:3#29-2:17#43", "2:3#29-2:11#37", "2:13#39-2:17#43", "unknown", nil},
		{"loop", "3:3#47-3:41#85", "3:3#47-3:9#53", "3:11#55-3:41#85", "unknown", nil},
		{"for", "4:3#89-4:32#118", "4:3#89-4:8#94", "4:10#96-4:32#118", "unknown", nil},
		// A lone interpolation yields its value unconverted, as in Terraform.
		{"sum", "5:3#122-5:20#139", "5:3#122-5:8#127", "5:10#129-5:20#139", `number 2 "2"`, nil},
		{"if", "6:3#143-6:32#172", "6:3#143-6:7#147", "6:9#149-6:32#172", `string "yes"`, nil},
		{"call", "7:3#176-7:28#201", "7:3#176-7:9#182", "7:11#184-7:28#201", "unknown",
			[]string{"var.x[]@7:20#193-7:25#198"}},
	})
}
