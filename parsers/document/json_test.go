package document

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/source"
)

const json2 = `{
  "Resources": {
    "SG": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "SecurityGroupIngress": [
          {"CidrIp": "0.0.0.0/0", "FromPort": 22}
        ]
      }
    }
  }
}
`

const json4 = `{
    "Resources": {
        "SG": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "SecurityGroupIngress": [
                    {"CidrIp": "0.0.0.0/0", "FromPort": 22}
                ]
            }
        }
    }
}
`

const jsonMin = `{"Resources":{"SG":{"Type":"AWS::EC2::SecurityGroup","Properties":{"SecurityGroupIngress":[{"CidrIp":"0.0.0.0/0","FromPort":22}]}}}}`

// jsonCRLF has a byte order mark, CRLF line ends, UTF-8 before values, a duplicate key
// and no final newline.
const jsonCRLF = "\xEF\xBB\xBF{\r\n    \"Kéy\": \"vé\",\r\n    \"Dup\": 1,\r\n    \"Dup\": [ ],\r\n    \"E\": {}\r\n}"

const (
	sgKey   = "Resources.SG@key"
	sgType  = "Resources.SG.Type"
	ingress = "Resources.SG.Properties.SecurityGroupIngress"
)

func TestJSONRanges(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		checks []check
	}{
		{"2-space indentation", json2, []check{
			{sgKey, "3:5(23)-3:9(27)", `"SG"`},
			{sgType, "4:15(45)-4:40(70)", `"AWS::EC2::SecurityGroup"`},
			{ingress, "6:33(126)-8:10(187)", "[\n          {\"CidrIp\": \"0.0.0.0/0\", \"FromPort\": 22}\n        ]"},
			{ingress + "[0]", "7:11(138)-7:50(177)", `{"CidrIp": "0.0.0.0/0", "FromPort": 22}`},
			{ingress + "[0].CidrIp", "7:22(149)-7:33(160)", `"0.0.0.0/0"`},
			{ingress + "[0].FromPort", "7:47(174)-7:49(176)", "22"},
		}},
		{"4-space indentation", json4, []check{
			{sgKey, "3:9(29)-3:13(33)", `"SG"`},
			{sgType, "4:21(57)-4:46(82)", `"AWS::EC2::SecurityGroup"`},
			{ingress, "6:41(152)-8:18(231)", "[\n                    {\"CidrIp\": \"0.0.0.0/0\", \"FromPort\": 22}\n                ]"},
			{ingress + "[0]", "7:21(174)-7:60(213)", `{"CidrIp": "0.0.0.0/0", "FromPort": 22}`},
			{ingress + "[0].CidrIp", "7:32(185)-7:43(196)", `"0.0.0.0/0"`},
			{ingress + "[0].FromPort", "7:57(210)-7:59(212)", "22"},
		}},
		{"minified", jsonMin, []check{
			{"", "1:1(0)-1:133(132)", jsonMin},
			{sgKey, "1:15(14)-1:19(18)", `"SG"`},
			{sgType, "1:28(27)-1:53(52)", `"AWS::EC2::SecurityGroup"`},
			{ingress, "1:91(90)-1:129(128)", `[{"CidrIp":"0.0.0.0/0","FromPort":22}]`},
			{ingress + "[0]", "1:92(91)-1:128(127)", `{"CidrIp":"0.0.0.0/0","FromPort":22}`},
			{ingress + "[0].CidrIp", "1:102(101)-1:113(112)", `"0.0.0.0/0"`},
			{ingress + "[0].FromPort", "1:125(124)-1:127(126)", "22"},
		}},
		{"BOM, CRLF, UTF-8 and no final newline", jsonCRLF, []check{
			{"", "1:1(3)-6:2(72)", jsonCRLF[3:]},
			{"Kéy@key", "2:5(10)-2:10(16)", `"Kéy"`},
			{"Kéy", "2:12(18)-2:16(23)", `"vé"`},
			{"Dup", "3:12(37)-3:13(38)", "1"},
			{"E", "5:10(67)-5:12(69)", "{}"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile("t.json", []byte(tc.src))
			root, diags := ParseJSON(f)
			if root == nil || diags.HasErrors() {
				t.Fatalf("ParseJSON: %v, diagnostics %v", root, diags)
			}
			checkRanges(t, f, root, tc.checks)
		})
	}
}

func TestJSONValues(t *testing.T) {
	src := `{"s": "a\/b\u00e9\n", "i": -22, "f": 1.5e3, "t": true, "n": null, "l": [], "m": {}, "bad": "` + "\xff" + `"}`
	root, diags := ParseJSON(source.NewFile("t.json", []byte(src)))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	tests := []struct {
		path  string
		kind  Kind
		tag   string
		value string
		style Style
	}{
		{"s", Scalar, StrTag, "a/bé\n", DoubleQuoted},
		{"i", Scalar, IntTag, "-22", Plain},
		{"f", Scalar, FloatTag, "1.5e3", Plain},
		{"t", Scalar, BoolTag, "true", Plain},
		{"n", Scalar, NullTag, "null", Plain},
		{"l", Sequence, SeqTag, "", Flow},
		{"m", Mapping, MapTag, "", Flow},
		{"bad", Scalar, StrTag, "\uFFFD", DoubleQuoted},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			n := find(t, root, tc.path)
			if n.Kind != tc.kind || n.Tag != tc.tag || n.Value != tc.value || n.Style != tc.style {
				t.Errorf("got kind %d tag %q value %q style %d, want %d %q %q %d",
					n.Kind, n.Tag, n.Value, n.Style, tc.kind, tc.tag, tc.value, tc.style)
			}
		})
	}
}

func TestJSONDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
		root bool // whether a tree is still returned
	}{
		{"duplicate keys", jsonCRLF, `warning t.json:4:5: duplicate key "Dup": first defined at line 3`, true},
		{"truncated", `{"a": [1, 2`, "error t.json:1:12: JSON syntax error: unexpected end of input", false},
		{"empty file", "", "error t.json:1:1: JSON syntax error: unexpected end of input", false},
		{"trailing comma", `{"a": 1,}`, "error t.json:1:9: JSON syntax error: invalid character '}' looking for beginning of object key string", false},
		{"missing colon", "{\n  \"a\" 1\n}", "error t.json:2:7: JSON syntax error: invalid character '1' after object key", false},
		{"bad literal", "[\n  tru\n]", "error t.json:2:3: JSON syntax error: invalid character '\\n' in literal true (expecting 'e')", false},
		{"second value", "{} {}", "error t.json:1:4: JSON syntax error: unexpected data after the top-level value", false},
		{"trailing garbage", "{}\nx", "error t.json:2:1: JSON syntax error: invalid character 'x' looking for beginning of value", false},
		{"too deep", strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001), "error t.json:1:10001: JSON syntax error: nesting deeper than 10000 levels", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, diags := ParseJSON(source.NewFile("t.json", []byte(tc.src)))
			if got := diagString(diags); got != tc.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if (root != nil) != tc.root {
				t.Errorf("root = %v, want a tree: %v", root, tc.root)
			}
		})
	}
}

// jsonAgreeSeeds are inputs where a JSON decoder may stray from encoding/json: bad UTF-8
// and escaped surrogates in strings, number forms, nesting at the bound, data after the
// value.
var jsonAgreeSeeds = []string{
	"\"a\xffb\xc3\"", "\"\xed\xa0\x80\"", `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00"`,
	`["\ud800\ud800", "\uDFFF"]`, `{"a": "\u0000\u001f\/\b\f\n\r\t"}`, "\"\x7f\"", "\"\x01\"",
	`[-0, 0.5, 1e10, 1E+2, -1.5e-3, 12345678901234567890123]`, `[01]`, `[1.]`, `[.5]`, `[+1]`, `[-]`,
	`{"a":1,}`, `[1,]`, `{"a":1 "b":2}`, `{1:2}`, `{} {}`, `{} x`, `[] `, " \t\r\n[]\n", `[true,false,null]`,
	`[tru]`, `[nul]`, `"x" "y"`, `1`, `-`, `{"a":{"a":{"a":[]}}}`, "\xEF\xBB\xBF[1]", "\xEF\xBB\xBF",
	`{"dup": 1, "dup": 2, "other": {"x": 1, "x": 1}}`, "{\"a\"\x00:1}", `[1]]`, `]`, `}`,
	strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
	strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
	strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
	strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
}

// TestJSONDecodersAgree checks the seeds where the decoders could differ: the jsontext
// decoder accepts only what encoding/json accepts, and builds the same tree.
func TestJSONDecodersAgree(t *testing.T) {
	for _, src := range append(jsonSeeds, jsonAgreeSeeds...) {
		checkDecodersAgree(t, []byte(src))
	}
}

func checkDecodersAgree(t *testing.T, src []byte) {
	t.Helper()
	file := source.NewFile("agree.json", src)
	base := 0
	if bytes.HasPrefix(src, utf8BOM) {
		base = len(utf8BOM)
	}
	want, wantDiags := parseJSONStd(file, base)
	got, gotDiags, ok := parseJSONFast(file, base)
	if !ok {
		return // ParseJSON gives encoding/json's result
	}
	if wantDiags.HasErrors() {
		t.Fatalf("%q: jsontext accepts what encoding/json rejects: %v", src, wantDiags)
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Fatalf("%q: the decoders build different trees", src)
	}
}
