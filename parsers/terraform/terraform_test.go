package terraform

import (
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// wantResource is what a test asserts about one resource besides its body's content.
type wantResource struct {
	address, kind, native, name string
	whole, header, body         string // spans
}

func checkResources(t *testing.T, got []*graph.Resource, format graph.Format, scope string, want []wantResource) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got resources %v, want %d", addresses(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		gotRes := wantResource{r.ID.Address, string(r.Kind), r.Native, r.Name, span(r.Range), span(r.Header), span(r.Body.Range)}
		if gotRes != w {
			t.Errorf("resource %d:\n got %+v\nwant %+v", i, gotRes, w)
		}
		if r.Format != format || r.Scope != scope || r.ID.Path != r.Range.Path {
			t.Errorf("%s: format %v scope %q path %q, want %v %q %q", w.address, r.Format, r.Scope, r.ID.Path, format, scope, r.Range.Path)
		}
	}
}

func TestParseResources(t *testing.T) {
	f := readFile(t, "values.tf")
	got, diags := Parse(f)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	checkResources(t, got, graph.Terraform, "modules/web", []wantResource{
		{"aws_security_group.web", "aws_security_group", "aws_security_group", "web",
			"2:1#71-35:2#730", "2:1#71-2:36#106", "2:37#107-35:2#730"},
		{"data.aws_iam_policy_document.p", "data.aws_iam_policy_document", "aws_iam_policy_document", "p",
			"37:1#732-41:2#819", "37:1#732-37:35#766", "37:36#767-41:2#819"},
	})
	if !got[0].Body.Block {
		t.Error("a resource body is a block")
	}
}

// valueCase asserts one attribute or list item of a resource found by lookup's path.
type valueCase struct {
	path  string
	attr  string // span of name through value; "" for a list item
	name  string // span of the name
	at    string // span of the value
	value string // describe
	refs  []string
}

func checkValues(t *testing.T, r *graph.Resource, cases []valueCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			attr, v := lookup(r.Body, tc.path)
			if v == nil {
				t.Fatalf("%s not found in %s", tc.path, r.ID.Address)
			}
			var gotAttr, gotName string
			if attr != nil {
				gotAttr, gotName = span(attr.Range), span(attr.NameRange)
			}
			if gotAttr != tc.attr || gotName != tc.name {
				t.Errorf("attribute range %s name %s, want %s name %s", gotAttr, gotName, tc.attr, tc.name)
			}
			if got := span(v.Range); got != tc.at {
				t.Errorf("value range %s, want %s", got, tc.at)
			}
			if got := describe(v); got != tc.value {
				t.Errorf("value %s, want %s", got, tc.value)
			}
			if got := refs(v); !slices.Equal(got, tc.refs) {
				t.Errorf("refs %q, want %q", got, tc.refs)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	got, diags := Parse(readFile(t, "values.tf"))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	rs := byAddress(t, got)
	checkValues(t, rs["aws_security_group.web"], []valueCase{
		{"name", "3:3#111-3:17#125", "3:3#111-3:7#115", "3:12#120-3:17#125", `string "web"`, nil},
		{"vpc_id", "4:3#128-4:22#147", "4:3#128-4:9#134", "4:12#137-4:22#147", "unknown",
			[]string{"var.vpc_id[]@4:12#137-4:22#147"}},
		{"ingress[0]", "6:3#151-10:4#253", "6:3#151-6:10#158", "6:11#159-10:4#253", "block 3", nil},
		{"ingress[0].from_port", "7:5#165-7:21#181", "7:5#165-7:14#174", "7:19#179-7:21#181", `number -1 "-1"`, nil},
		{"ingress[0].to_port", "8:5#186-8:24#205", "8:5#186-8:12#193", "8:19#200-8:24#205", `number 2 "2"`, nil},
		{"ingress[0].cidr_blocks", "9:5#210-9:44#249", "9:5#210-9:16#221", "9:19#224-9:44#249", "list 2", nil},
		{"ingress[0].cidr_blocks[0]", "", "", "9:20#225-9:31#236", `string "0.0.0.0/0"`, nil},
		{"ingress[0].cidr_blocks[1]", "", "", "9:33#238-9:43#248", "unknown",
			[]string{"var.office[]@9:33#238-9:43#248"}},
		{"dynamic[0]", "12:3#257-17:4#362", "12:3#257-12:10#264", "12:21#275-17:4#362", "block 2", nil},
		{"dynamic[0].for_each", "13:5#281-13:25#301", "13:5#281-13:13#289", "13:16#292-13:25#301", "unknown",
			[]string{"var.rules[]@13:16#292-13:25#301"}},
		// The iterator of a dynamic block is a local symbol, not a resource type.
		{"dynamic[0].content[0].from_port", "15:7#322-15:37#352", "15:7#322-15:16#331", "15:19#334-15:37#352", "unknown", nil},
		{"tags", "19:3#366-22:4#418", "19:3#366-19:7#370", "19:10#373-22:4#418", "map 2", nil},
		{"tags.Name", "20:5#379-20:18#392", "20:5#379-20:9#383", "20:13#387-20:18#392", `string "web"`, nil},
		{"tags.env", "21:5#397-21:22#414", "21:5#397-21:10#402", "21:13#405-21:22#414", "unknown",
			[]string{"local.env[]@21:13#405-21:22#414"}},
		{"policy", "23:3#421-25:4#459", "23:3#421-23:9#427", "23:12#430-25:4#459", `string "{\"Effect\": \"Allow\"}\n"`, nil},
		{"ratio", "26:3#462-26:16#475", "26:3#462-26:8#467", "26:12#471-26:16#475", `number 1.5 "1.50"`, nil},
		{"public", "27:3#478-27:16#491", "27:3#478-27:9#484", "27:12#487-27:16#491", "bool true", nil},
		{"kms", "28:3#494-28:16#507", "28:3#494-28:6#497", "28:12#503-28:16#507", "null", nil},
		{"arn", "29:3#510-29:37#544", "29:3#510-29:6#513", "29:12#519-29:37#544", "unknown",
			[]string{"aws_s3_bucket.logs[arn]@29:12#519-29:37#544"}},
		{"doc", "30:3#547-30:47#591", "30:3#547-30:6#550", "30:12#556-30:47#591", "unknown",
			[]string{"data.aws_iam_policy_document.p[json]@30:12#556-30:47#591"}},
		{"body", "31:3#594-31:61#652", "31:3#594-31:7#598", "31:12#603-31:61#652", "unknown",
			[]string{"aws_s3_bucket.logs[arn]@31:36#627-31:58#649"}},
		{"prefix", "32:3#655-32:31#683", "32:3#655-32:9#661", "32:12#664-32:31#683", "unknown",
			[]string{"var.prefix[]@32:15#667-32:25#677"}},
		{"key", "33:3#686-33:20#703", "33:3#686-33:6#689", "33:12#695-33:20#703", "unknown", nil},
		{"vpc", "34:3#706-34:25#728", "34:3#706-34:6#709", "34:12#715-34:25#728", "unknown",
			[]string{"module.vpc[id]@34:12#715-34:25#728"}},
	})
	checkValues(t, rs["data.aws_iam_policy_document.p"], []valueCase{
		{"statement[0].actions[0]", "", "", "39:16#798-39:30#812", `string "s3:GetObject"`, nil},
	})
}

func TestParseOrderAndLabels(t *testing.T) {
	src := `resource "aws_security_group" "sg" {
  ingress { from_port = 22 }
  name = "a"
  dynamic "egress" {
    iterator = rule
    content { cidr_blocks = [rule.value, egress.value] }
  }
  description = "b"
}
`
	got, diags := Parse(source.NewFile("main.tf", []byte(src)))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	var order []string
	for _, a := range got[0].Body.Attrs {
		order = append(order, a.Name+strings.Join(a.Labels, ","))
	}
	if want := []string{"ingress", "name", "dynamicegress", "description"}; !slices.Equal(order, want) {
		t.Errorf("attributes in order %q, want %q", order, want)
	}
	if got := got[0].Scope; got != "." {
		t.Errorf("scope of a root file = %q, want %q", got, ".")
	}
	// `iterator = rule` renames the iterator: rule is local, egress is then a (bogus) type.
	checkValues(t, got[0], []valueCase{
		{"dynamic[0].content[0].cidr_blocks[0]", "", "", "6:30#149-6:40#159", "unknown", nil},
		{"dynamic[0].content[0].cidr_blocks[1]", "", "", "6:42#161-6:54#173", "unknown",
			[]string{"egress.value[]@6:42#161-6:54#173"}},
	})
}

// TestParsePositions checks that columns count code points while bytes count bytes, and
// that CRLF line endings and a missing final newline change neither.
func TestParsePositions(t *testing.T) {
	tests := []struct {
		name, src        string
		whole, acl, cidr string // spans of the resource, the acl attribute, the first list item
	}{
		{
			name:  "LF",
			src:   "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n  cidrs = [\"0.0.0.0/0\"]\n}\n",
			whole: "1:1#0-4:2#74", acl: "2:3#33-2:18#48", cidr: "3:12#60-3:23#71",
		},
		{
			name:  "CRLF",
			src:   "resource \"aws_s3_bucket\" \"b\" {\r\n  acl = \"private\"\r\n  cidrs = [\"0.0.0.0/0\"]\r\n}\r\n",
			whole: "1:1#0-4:2#77", acl: "2:3#34-2:18#49", cidr: "3:12#62-3:23#73",
		},
		{
			name:  "no final newline",
			src:   "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n  cidrs = [\"0.0.0.0/0\"]\n}",
			whole: "1:1#0-4:2#74", acl: "2:3#33-2:18#48", cidr: "3:12#60-3:23#71",
		},
		{
			// "é" is two bytes and "👍🏽" (a thumb with a skin tone, one grapheme) two code
			// points in eight bytes: hcl would count the grapheme as one column.
			name:  "UTF-8 before the value",
			src:   "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\" # é\n  cidrs = /*👍🏽*/ [\"0.0.0.0/0\"]\n}\n",
			whole: "1:1#0-4:2#92", acl: "2:3#33-2:18#48", cidr: "3:19#78-3:30#89",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := Parse(source.NewFile("main.tf", []byte(tc.src)))
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			if len(got) != 1 {
				t.Fatalf("got %v, want one resource", addresses(got))
			}
			acl, _ := lookup(got[0].Body, "acl")
			_, cidr := lookup(got[0].Body, "cidrs[0]")
			gotSpans := [3]string{span(got[0].Range), span(acl.Range), span(cidr.Range)}
			if want := [3]string{tc.whole, tc.acl, tc.cidr}; gotSpans != want {
				t.Errorf("resource, acl, cidr at %q, want %q", gotSpans, want)
			}
			if cidr.Str != "0.0.0.0/0" || acl.Value.Str != "private" {
				t.Errorf("values %q %q", acl.Value.Str, cidr.Str)
			}
		})
	}
}

func TestParseHeredocs(t *testing.T) {
	src := "resource \"aws_iam_policy\" \"p\" {\n" +
		"  plain = <<EOT\nline 1\n  line 2\nEOT\n" +
		"  flush = <<-EOT\n    line 1\n      line 2\n    EOT\n" +
		"  crlf = <<EOT\r\nline\r\nEOT\r\n" +
		"  templ = <<EOT\n${var.x}\nEOT\n" +
		"  escaped = <<EOT\n$${var.x}\nEOT\n" +
		"}\n"
	got, diags := Parse(source.NewFile("main.tf", []byte(src)))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	checkValues(t, got[0], []valueCase{
		{"plain", "2:3#34-5:4#67", "2:3#34-2:8#39", "2:11#42-5:4#67", `string "line 1\n  line 2\n"`, nil},
		{"flush", "6:3#70-9:8#116", "6:3#70-6:8#75", "6:11#78-9:8#116", `string "line 1\n  line 2\n"`, nil},
		{"crlf", "10:3#119-12:4#142", "10:3#119-10:7#123", "10:10#126-12:4#142", `string "line\r\n"`, nil},
		{"templ", "13:3#146-15:4#172", "13:3#146-13:8#151", "13:11#154-15:4#172", "unknown",
			[]string{"var.x[]@14:3#162-14:8#167"}},
		{"escaped", "16:3#175-18:4#204", "16:3#175-16:10#182", "16:13#185-18:4#204", `string "${var.x}\n"`, nil},
	})
}

func TestParseConstants(t *testing.T) {
	src := `resource "aws_security_group_rule" "r" {
  a = -22
  b = 8 * 1024
  c = (443)
  d = "${"on"}-${1 + 1}"
  e = true ? "yes" : "no"
  f = !false
  g = upper("x")
  h = [for p in [22] : p]
  i = { (var.k) = 1, x = 2 }
  j = { 80 = "http" }
  k = var.ports[0]
  l = aws_instance.web[*].id
  m = self.id
  n = path.module
  o = count.index
  p = "%{for a in [1]}${a}%{endfor}"
  q = "a" * 2
  r = ["a", "b"][0]
}
`
	got, diags := Parse(source.NewFile("main.tf", []byte(src)))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	tests := []struct{ path, value string }{
		{"a", `number -22 "-22"`},
		{"b", `number 8192 "8192"`},
		{"c", `number 443 "443"`},
		{"d", `string "on-2"`},
		{"e", `string "yes"`},
		{"f", "bool true"},
		{"g", "unknown"},
		{"h", "unknown"},
		{"i", "unknown"},
		{"j", "map 1"},
		{"j.80", `string "http"`},
		{"k", "unknown"},
		{"l", "unknown"},
		{"m", "unknown"},
		{"n", "unknown"},
		{"o", "unknown"},
		{"p", "unknown"}, // for loops are never evaluated
		{"q", "unknown"}, // a type error
		{"r", "unknown"}, // index expressions are never evaluated
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			_, v := lookup(got[0].Body, tc.path)
			if v == nil {
				t.Fatalf("%s not found", tc.path)
			}
			if d := describe(v); d != tc.value {
				t.Errorf("%s = %s, want %s", tc.path, d, tc.value)
			}
		})
	}
	var all []string
	got[0].Body.Walk(func(v *graph.Value) {
		for _, r := range v.Refs {
			all = append(all, r.Address+"."+r.Attr)
		}
	})
	// self, path and count name no configuration object; the index and splat are skipped.
	if want := []string{"var.k.", "var.ports.", "aws_instance.web."}; !slices.Equal(all, want) {
		t.Errorf("refs %q, want %q", all, want)
	}
}

func TestParseVarsFile(t *testing.T) {
	got, diags := Parse(source.NewFile("prod.tfvars", []byte("region = \"eu-west-1\"\ncidrs = [\"10.0.0.0/8\"]\n")))
	if len(got) != 0 || len(diags) != 0 {
		t.Errorf("a .tfvars file yields %v and %v, want nothing", addresses(got), diags)
	}
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string // addresses
		diags []string
	}{
		{
			name: "broken attribute: the other resources survive",
			src: "resource \"aws_s3_bucket\" \"a\" {\n  acl = \"private\"\n}\n\n" +
				"resource \"aws_s3_bucket\" \"broken\" {\n  acl = 1 +\n  x = 1\n}\n\n" +
				"resource \"aws_s3_bucket\" \"c\" {\n  acl = \"x\"\n}\n",
			want:  []string{"aws_s3_bucket.a", "aws_s3_bucket.c"},
			diags: []string{"error Invalid expression@6:12#99-7:1#100"},
		},
		{
			name: "block without braces",
			src: "resource \"aws_s3_bucket\" \"a\" {}\n" +
				"resource \"aws_s3_bucket\" \"nobrace\"\n" +
				"resource \"aws_s3_bucket\" \"c\" {}\n",
			want:  []string{"aws_s3_bucket.a", "aws_s3_bucket.c"},
			diags: []string{"error Invalid block definition@2:35#66-3:1#67"},
		},
		{
			// hcl reports the first error only (at the brace that ends the list), and the
			// list swallows the rest of the file: the block has no closing brace of its own.
			name: "unclosed list swallows the following blocks",
			src: "resource \"aws_s3_bucket\" \"a\" {}\n" +
				"resource \"aws_s3_bucket\" \"b\" {\n  acl = [1,\n}\n" +
				"resource \"aws_s3_bucket\" \"c\" {}\n",
			want:  []string{"aws_s3_bucket.a"},
			diags: []string{"error Invalid expression@4:1#75-4:2#76"},
		},
		{
			name:  "unclosed block",
			src:   "resource \"aws_s3_bucket\" \"a\" {\n  acl = \"x\"\n",
			diags: []string{"error Unclosed configuration block@1:30#29-1:31#30"},
		},
		{
			name: "duplicate address",
			src: "resource \"aws_s3_bucket\" \"a\" {}\n" +
				"data \"aws_s3_bucket\" \"a\" {}\n" +
				"resource \"aws_s3_bucket\" \"a\" {\n}\n",
			want:  []string{"aws_s3_bucket.a", "data.aws_s3_bucket.a", "aws_s3_bucket.a"},
			diags: []string{`error Duplicate resource "aws_s3_bucket" configuration@3:1#60-3:29#88`},
		},
		{
			name:  "wrong number of labels",
			src:   "resource \"aws_s3_bucket\" {}\ndata \"a\" \"b\" \"c\" {}\n",
			diags: []string{"error Invalid resource block@1:1#0-1:25#24", "error Invalid data block@2:1#28-2:17#44"},
		},
		{
			// hcl counts the thumb with its skin tone as one column, source as two.
			name:  "UTF-8 before the error",
			src:   "resource \"aws_s3_bucket\" \"é\" {\n  acl = \"👍🏽\" +\n}\n",
			diags: []string{"error Invalid expression@2:15#52-3:1#53"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := Parse(source.NewFile("main.tf", []byte(tc.src)))
			if a := addresses(got); !slices.Equal(a, tc.want) {
				t.Errorf("resources %q, want %q", a, tc.want)
			}
			if d := diagnostics(diags); !slices.Equal(d, tc.diags) {
				t.Errorf("diagnostics %q, want %q", d, tc.diags)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Path != "main.tf" {
					t.Errorf("diagnostic %v has no subject in main.tf", d)
				}
			}
		})
	}
}

// TestParseNestingLimit checks the guard that keeps hcl from overflowing the stack, which
// would crash the scanner: the limit itself parses, one more level is refused.
func TestParseNestingLimit(t *testing.T) {
	nested := func(open, operand, close string, n int) string {
		return "resource \"a\" \"b\" {\n  x = " + strings.Repeat(open, n) + operand + strings.Repeat(close, n) + "\n}\n"
	}
	tests := []struct {
		name  string
		src   string
		parse func(*source.File) ([]*graph.Resource, source.Diagnostics)
		diags []string
	}{
		// The resource's brace is the first level.
		{"brackets at the limit", nested("[", "", "]", maxNesting-1), Parse, nil},
		{"brackets over the limit", nested("[", "", "]", maxNesting), Parse,
			[]string{"error Nesting too deep@2:1006#1024-2:1007#1025"}},
		{"unary operators over the limit", nested("! ", "true", "", maxNesting), Parse,
			[]string{"error Nesting too deep@2:2005#2023-2:2006#2024"}},
		{"JSON arrays over the limit", `{"resource": {"a": {"b": {"x": ` + strings.Repeat("[", maxNesting) + "}}}}", ParseJSON,
			[]string{"error Nesting too deep@1:1028#1027-1:1029#1028"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := tc.parse(source.NewFile("main.tf", []byte(tc.src)))
			if d := diagnostics(diags); !slices.Equal(d, tc.diags) {
				t.Errorf("diagnostics %q, want %q", d, tc.diags)
			}
			if wantResources := len(tc.diags) == 0; (len(got) == 1) != wantResources {
				t.Errorf("resources %v, want %v", addresses(got), wantResources)
			}
		})
	}
}
