package document

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/source"
)

const stylesYAML = `plain: hello world
single: 'it''s'
double: "a\"b"
literal: |
  line one
   line two

folded: >-
  folded
  text
keep: |+2 # c
    kept

multi: plain
  continued
empty:
tagged: !Ref Bucket
tagline: !Sub
  text ${X}
flowmap: {Key: env, Value: prod}
flowseq: [a, b, ] # c
num: 22
date: 2012-10-17
`

// crlfYAML has CRLF line ends, multi-byte characters before values, a comment after a
// value and no final newline.
const crlfYAML = "Resources:\r\n" +
	"  SG:\r\n" +
	"    Type: AWS::EC2::SecurityGroup\r\n" +
	"    Properties:\r\n" +
	"      SecurityGroupIngress:\r\n" +
	"        - IpProtocol: tcp\r\n" +
	"          CidrIp: \"0.0.0.0/0\"\r\n" +
	"        - {IpProtocol: udp, CidrIp: 10.0.0.0/8}\r\n" +
	"      Tags:\r\n" +
	"      - Key: née\r\n" +
	"        Value: ünïcødé # c\r\n" +
	"      Note: |\r\n" +
	"        a\r\n" +
	"        b"

const anchorsYAML = `base: &base
  Runtime: nodejs18.x
  Memory: 128
list: &l [a, b]
fn:
  <<: *base
  Memory: 256
  Handler: h
copy: *l
top: &t !Ref X
again: *t
---
second: doc
`

const flowYAML = `ports: [22, # ssh
  443
  ]
empty: {}
none: []
nested: [[a], {b: c}]
items:
  -
  - !GetAtt A.B
`

func TestYAMLRanges(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		checks []check
	}{
		{"scalar styles", stylesYAML, []check{
			{"", "1:1(0)-23:17(293)", strings.TrimSuffix(stylesYAML, "\n")},
			{"plain@key", "1:1(0)-1:6(5)", "plain"},
			{"plain", "1:8(7)-1:19(18)", "hello world"},
			{"single", "2:9(27)-2:16(34)", "'it''s'"},
			{"double", "3:9(43)-3:15(49)", `"a\"b"`},
			{"literal", "4:10(59)-6:12(83)", "|\n  line one\n   line two"},
			{"folded", "8:9(93)-10:7(111)", ">-\n  folded\n  text"},
			{"keep", "11:7(118)-12:9(134)", "|+2 # c\n    kept"},
			{"multi", "14:8(143)-15:12(160)", "plain\n  continued"},
			{"empty", "16:7(167)-16:7(167)", ""},
			{"tagged", "17:9(176)-17:20(187)", "!Ref Bucket"},
			{"tagline", "18:10(197)-19:12(213)", "!Sub\n  text ${X}"},
			{"flowmap", "20:10(223)-20:33(246)", "{Key: env, Value: prod}"},
			{"flowmap.Key", "20:16(229)-20:19(232)", "env"},
			{"flowmap.Value@key", "20:21(234)-20:26(239)", "Value"},
			{"flowseq", "21:10(256)-21:18(264)", "[a, b, ]"},
			{"flowseq[1]", "21:14(260)-21:15(261)", "b"},
		}},
		{"CRLF, UTF-8 and no final newline", crlfYAML, []check{
			{"Resources.SG@key", "2:3(14)-2:5(16)", "SG"},
			{"Resources.SG.Type", "3:11(29)-3:34(52)", "AWS::EC2::SecurityGroup"},
			{"Resources.SG.Properties.SecurityGroupIngress", "6:9(108)-8:48(205)",
				"- IpProtocol: tcp\r\n          CidrIp: \"0.0.0.0/0\"\r\n        - {IpProtocol: udp, CidrIp: 10.0.0.0/8}"},
			{"Resources.SG.Properties.SecurityGroupIngress[0]", "6:11(110)-7:30(156)",
				"IpProtocol: tcp\r\n          CidrIp: \"0.0.0.0/0\""},
			{"Resources.SG.Properties.SecurityGroupIngress[0].CidrIp", "7:19(145)-7:30(156)", `"0.0.0.0/0"`},
			{"Resources.SG.Properties.SecurityGroupIngress[1]", "8:11(168)-8:48(205)", "{IpProtocol: udp, CidrIp: 10.0.0.0/8}"},
			{"Resources.SG.Properties.SecurityGroupIngress[1].CidrIp", "8:37(194)-8:47(204)", "10.0.0.0/8"},
			{"Resources.SG.Properties.Tags", "10:7(226)-11:23(265)", "- Key: née\r\n        Value: ünïcødé"},
			{"Resources.SG.Properties.Tags[0].Key", "10:14(233)-10:17(237)", "née"},
			{"Resources.SG.Properties.Tags[0].Value", "11:16(254)-11:23(265)", "ünïcødé"},
			{"Resources.SG.Properties.Note", "12:13(283)-14:10(306)", "|\r\n        a\r\n        b"},
		}},
		{"anchors, aliases and merge keys", anchorsYAML, []check{
			{"base", "1:7(6)-3:14(47)", "&base\n  Runtime: nodejs18.x\n  Memory: 128"},
			{"list", "4:7(54)-4:16(63)", "&l [a, b]"},
			{"fn", "6:3(70)-8:13(106)", "<<: *base\n  Memory: 256\n  Handler: h"},
			{"fn.Memory", "7:11(90)-7:14(93)", "256"},
			{"fn.Runtime", "2:12(23)-2:22(33)", "nodejs18.x"},
			{"copy", "9:7(113)-9:9(115)", "*l"},
			{"copy[1]", "4:14(61)-4:15(62)", "b"},
			{"top", "10:6(121)-10:15(130)", "&t !Ref X"},
			{"again", "11:8(138)-11:10(140)", "*t"},
		}},
		{"flow collections and empty items", flowYAML, []check{
			{"ports", "1:8(7)-3:4(27)", "[22, # ssh\n  443\n  ]"},
			{"ports[1]", "2:3(20)-2:6(23)", "443"},
			{"empty", "4:8(35)-4:10(37)", "{}"},
			{"none", "5:7(44)-5:9(46)", "[]"},
			{"nested[0]", "6:10(56)-6:13(59)", "[a]"},
			{"nested[1].b", "6:19(65)-6:20(66)", "c"},
			{"items", "8:3(78)-9:16(95)", "-\n  - !GetAtt A.B"},
			{"items[0]", "8:4(79)-8:4(79)", ""},
			{"items[1]", "9:5(84)-9:16(95)", "!GetAtt A.B"},
		}},
		{"byte order mark", "\xEF\xBB\xBFkey: value\nnext: é\n", []check{
			{"key@key", "1:1(3)-1:4(6)", "key"}, // the mark is no column
			{"key", "1:6(8)-1:11(13)", "value"},
			{"next", "2:7(20)-2:8(22)", "é"},
		}},
		// yaml.v3 reads `,`, `[` and `]` as part of a tag, and only word characters in an
		// anchor: the ranges end where it ends them.
		{"tag with flow indicators", "a: !x,y\nb: &n-1_z v\nc: !,\n", []check{
			{"a", "1:4(3)-1:8(7)", "!x,y"},
			{"b", "2:4(11)-2:12(19)", "&n-1_z v"},
			{"c", "3:4(23)-3:6(25)", "!,"},
		}},
		{"lone CR line ends", "a: 1\rb: [x,\r  y]\r", []check{
			{"a", "1:4(3)-1:5(4)", "1"},
			{"b", "1:9(8)-1:17(16)", "[x,\r  y]"},
			{"b[1]", "1:15(14)-1:16(15)", "y"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile("t.yaml", []byte(tc.src))
			root, diags := ParseYAML(f)
			if len(diags) != 0 || root == nil {
				t.Fatalf("ParseYAML: %v, diagnostics %v", root, diags)
			}
			checkRanges(t, f, root, tc.checks)
		})
	}
}

func TestYAMLValues(t *testing.T) {
	f := source.NewFile("t.yaml", []byte(stylesYAML+"anchor: &a {k: v}\nalias: *a\n"))
	root, diags := ParseYAML(f)
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
		{"plain", Scalar, StrTag, "hello world", Plain},
		{"single", Scalar, StrTag, "it's", SingleQuoted},
		{"double", Scalar, StrTag, `a"b`, DoubleQuoted},
		{"literal", Scalar, StrTag, "line one\n line two\n", Literal},
		{"folded", Scalar, StrTag, "folded text", Folded},
		{"keep", Scalar, StrTag, "  kept\n\n", Literal},
		{"multi", Scalar, StrTag, "plain continued", Plain},
		{"empty", Scalar, NullTag, "", Plain},
		{"tagged", Scalar, "!Ref", "Bucket", Plain},
		{"tagline", Scalar, "!Sub", "text ${X}", Plain},
		{"flowmap", Mapping, MapTag, "", Flow},
		{"flowseq", Sequence, SeqTag, "", Flow},
		{"num", Scalar, IntTag, "22", Plain},
		{"date", Scalar, "!!timestamp", "2012-10-17", Plain},
		{"alias", Mapping, MapTag, "", Flow},
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
	if alias, anchor := root.Get("alias"), root.Get("anchor"); alias.Alias != anchor || alias.Pairs[0] != anchor.Pairs[0] {
		t.Errorf("alias resolves to %p, want the anchored node %p with its entries", alias.Alias, anchor)
	}
}

func TestYAMLMergeKeys(t *testing.T) {
	src := "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 0\n  w: 5\nd:\n  <<: not-a-map\n"
	f := source.NewFile("t.yaml", []byte(src))
	root, diags := ParseYAML(f)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	tests := []struct {
		path string
		want string // key=value pairs in order
	}{
		{"c", "x=0 w=5 y=2 z=4"}, // own keys first and winning; the first merged mapping wins
		{"d", "<<=not-a-map"},    // a merge of a scalar is kept as written
		{"a", "x=1 y=2"},         // the anchored mapping itself is untouched
		{"b", "y=3 z=4"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var got []string
			for _, p := range root.Get(tc.path).Pairs {
				got = append(got, p.Key.Value+"="+p.Value.Value)
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("pairs %q, want %q", s, tc.want)
			}
		})
	}
}

func TestYAMLDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
		root bool // whether a tree is still returned
	}{
		{"unclosed flow sequence", "a: 1\nb: [c, d\n", "error t.yaml:2:1: YAML syntax error: did not find expected ',' or ']'", false},
		{"unclosed flow sequence after other lines", "x: 1\ny: 2\nz: [a\n\n\n", "error t.yaml:3:1: YAML syntax error: did not find expected ',' or ']'", false},
		{"sequence entry in a mapping", "a: 1\n- b\n", "error t.yaml:2:1: YAML syntax error: did not find expected key", false},
		{"mapping in a plain scalar", "a: 1\nb: c: d\n", "error t.yaml:2:1: YAML syntax error: mapping values are not allowed in this context", false},
		{"bad indentation", "a:\n  b: c\n d: e\n", "error t.yaml:3:2: YAML syntax error: did not find expected key", false},
		{"tab indentation", "a:\n\tb: c\n", "error t.yaml:2:1: YAML syntax error: found character that cannot start any token", false},
		{"escape yaml.v3 rejects", "a: \"x\\/y\"\n", "error t.yaml:1:1: YAML syntax error: found unknown escape character", false},
		{"unknown anchor", "a: *nope\n", "error t.yaml:1:1: YAML syntax error: unknown anchor 'nope' referenced", false},
		{"UTF-16", "\xFF\xFEa\x00:\x00", "error t.yaml:1:1: UTF-16 files are not supported: save the file as UTF-8", false},
		{"duplicate key", "a: 1\nb: 2\n  # c\na: 3\n", "warning t.yaml:4:1: duplicate key \"a\": first defined at line 1", true},
		{"empty file", "", "", false},
		{"comments only", "# nothing\n", "", false},
		{"second document ignored", "a: 1\n---\n[broken\n", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, diags := ParseYAML(source.NewFile("t.yaml", []byte(tc.src)))
			if got := diagString(diags); got != tc.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if (root != nil) != tc.root {
				t.Errorf("root = %v, want a tree: %v", root, tc.root)
			}
		})
	}
}

func TestYAMLSyntaxErrorRange(t *testing.T) {
	f := source.NewFile("t.yaml", []byte("a:\n  b: c\n d: e\n"))
	_, diags := ParseYAML(f)
	if len(diags) != 1 || diags[0].Subject == nil {
		t.Fatalf("diagnostics %v, want one with a range", diags)
	}
	if got, want := spanOf(*diags[0].Subject), "3:2(11)-3:6(15)"; got != want {
		t.Errorf("range %s, want %s (the text of the offending line)", got, want)
	}
}

func TestYAMLAliasExpansionLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 8; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	root, diags := ParseYAML(source.NewFile("laughs.yaml", []byte(b.String())))
	if root != nil || len(diags) != 1 || !strings.Contains(diags[0].Summary, "aliases expand the document to more than") {
		t.Fatalf("root %v, diagnostics %v; want a nil tree and the expansion diagnostic", root != nil, diags)
	}
	if got, want := diags[0].Subject.Start.Line, 5; got != want {
		t.Errorf("diagnostic at line %d, want %d (the alias that crossed the limit)", got, want)
	}
}

// TestYAMLByteErrors asserts that the errors libyaml reports without a line (invalid
// UTF-8, control characters) are placed at the offending byte, not at 1:1.
func TestYAMLByteErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a: 1\nb: \xff\n", "x.yaml:2:4: invalid leading UTF-8 octet"},
		{"a: 1\nb: x\x01y\n", "x.yaml:2:5: control characters are not allowed"},
		{"a: 1\nb: \xc3\n", "x.yaml:2:4: invalid trailing UTF-8 octet"},
		{"a: é\nb: \u0085x\x7f\n", "x.yaml:2:6: control characters are not allowed"},
	}
	for _, tc := range tests {
		_, diags := ParseYAML(source.NewFile("x.yaml", []byte(tc.src)))
		if len(diags) != 1 {
			t.Fatalf("%q: diagnostics %v, want one", tc.src, diags)
		}
		d := diags[0]
		if got := fmt.Sprintf("%s:%d:%d: %s", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column, d.Detail); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestYAMLLinesPaths asserts that the "\n"-only search finds the lines the byte-by-byte
// walk finds, on text without the other breaks, and that the walk is taken when they are
// there.
func TestYAMLLinesPaths(t *testing.T) {
	for _, src := range []string{"", "\n", "a", "a\n", "\xEF\xBB\xBFa: 1\n\nb: 2", "x\n\n\ny\nz\n", "é: ü\n"} {
		if got, want := newlineStarts([]byte(src), []int{0}), breakStarts([]byte(src), []int{0}); !slices.Equal(got, want) {
			t.Errorf("%q: newlineStarts %v, breakStarts %v", src, got, want)
		}
	}
	for src, want := range map[string][]int{"a\rb\r\nc": {0, 2, 5}, "a\u0085b\u2028c\u2029d\n": {0, 3, 7, 11, 13}} {
		if got := yamlLines([]byte(src)); !slices.Equal(got, want) {
			t.Errorf("yamlLines(%q) = %v, want %v", src, got, want)
		}
	}
}
