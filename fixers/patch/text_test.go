package patch

import (
	"strings"
	"testing"
)

var hcl = Syntax{LineComments: []string{"#", "//"}, BlockComments: true, TrailingComma: true}

func TestNewTextConventions(t *testing.T) {
	tests := []struct {
		name, src, nl, unit string
	}{
		{"LF, two spaces", "a {\n  b = 1\n    c = 2\n}\n", "\n", "  "},
		{"CRLF, four spaces", "a {\r\n    b = 1\r\n}", "\r\n", "    "},
		{"tabs", "a {\n\tb = 1\n}\n", "\n", "\t"},
		{"nothing indented: the default", "{}", "\n", "  "},
		{"blank lines do not count", "a\n \nb\n   c\n", "\n", "   "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			txt := NewText("f", []byte(tc.src), hcl, "  ")
			if txt.NL != tc.nl || txt.Unit != tc.unit {
				t.Fatalf("NL %q, Unit %q; want %q, %q", txt.NL, txt.Unit, tc.nl, tc.unit)
			}
		})
	}
}

func TestTail(t *testing.T) {
	tests := []struct {
		name, src string
		end       int
		tail      int
		eol       bool
	}{
		{"comma and line comment", `"a", # x` + "\n", 3, 8, true},
		{"block comment", `"a" /* x */` + "\r\n", 3, 11, true},
		{"another element follows", `"a", "b"`, 3, 3, false},
		{"end of file", `"a"`, 3, 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tail, eol := NewText("f", []byte(tc.src), hcl, "  ").Tail(tc.end)
			if tail != tc.tail || eol != tc.eol {
				t.Fatalf("Tail = %d, %v; want %d, %v", tail, eol, tc.tail, tc.eol)
			}
		})
	}
}

// remove applies Remove to the elements of src marked by ⟦ ⟧ (brackets at the ends of
// src, when it starts with "[", are the sequence's).
func remove(t *testing.T, src string, syntax Syntax, drop ...int) string {
	t.Helper()
	var elems []Span
	var b strings.Builder
	for {
		i := strings.Index(src, "⟦")
		if i < 0 {
			b.WriteString(src)
			break
		}
		b.WriteString(src[:i])
		src = src[i+len("⟦"):]
		j := strings.Index(src, "⟧")
		elems = append(elems, Span{Start: b.Len(), End: b.Len() + j})
		b.WriteString(src[:j])
		src = src[j+len("⟧"):]
	}
	text := b.String()
	s := Seq{Open: -1, Close: -1, Elems: elems}
	if strings.HasPrefix(text, "[") {
		s.Open, s.Close = 0, strings.LastIndex(text, "]")
	}
	out, err := Apply([]byte(text), NewText("f", []byte(text), syntax, "  ").Remove(s, drop))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestRemove(t *testing.T) {
	json := Syntax{}
	tests := []struct {
		name, src string
		syntax    Syntax
		drop      []int
		want      string
	}{
		{"inline middle", "[⟦a⟧, ⟦b⟧, ⟦c⟧]", hcl, []int{1}, "[a, c]"},
		{"inline last two", "[⟦a⟧, ⟦b⟧, ⟦c⟧]", hcl, []int{1, 2}, "[a]"},
		{"inline all", "[ ⟦a⟧, ⟦b⟧ ]", hcl, []int{0, 1}, "[]"},
		{"own lines, comment above", "[\n  ⟦a⟧,\n  # about b\n  ⟦b⟧, # b\n  ⟦c⟧,\n]", hcl, []int{1}, "[\n  a,\n  c,\n]"},
		{"own lines, the last keeps the comma before it in HCL", "[\n  ⟦a⟧,\n  ⟦b⟧\n]", hcl, []int{1}, "[\n  a,\n]"},
		{"own lines, the last takes the comma before it in JSON", "[\n  ⟦a⟧,\n  ⟦b⟧\n]", json, []int{1}, "[\n  a\n]"},
		{"own lines, CRLF", "[\r\n  ⟦a⟧,\r\n  ⟦b⟧,\r\n]", hcl, []int{0}, "[\r\n  b,\r\n]"},
		{"blocks: one blank line stays", "⟦a {}⟧\n\n⟦b {}⟧\n\n⟦c {}⟧\n", hcl, []int{1}, "a {}\n\nc {}\n"},
		{"blocks: the first takes the blank line after it", "⟦a {}⟧\n\n⟦b {}⟧\n", hcl, []int{0}, "b {}\n"},
		{"blocks: the last takes the blank line before it", "⟦a {}⟧\n\n⟦b {}⟧\n", hcl, []int{1}, "a {}\n"},
		{"blocks: no final newline stays so", "⟦a {}⟧\n⟦b {}⟧", hcl, []int{1}, "a {}"},
		{"blocks: no final newline, CRLF", "⟦a {}⟧\r\n\r\n⟦b {}⟧", hcl, []int{1}, "a {}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := remove(t, tc.src, tc.syntax, tc.drop...); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
