package cases

import (
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

func TestSectionEncoding(t *testing.T) {
	tests := []struct {
		name, path string
		data, file string
	}{
		{name: "main.tf", path: "main.tf", data: "a\nb\n", file: "a\nb\n"},
		{name: "main.tf#crlf", path: "main.tf", data: "a\nb\n", file: "a\r\nb\r\n"},
		{name: "main.tf#noeol", path: "main.tf", data: "a\nb\n", file: "a\nb"},
		{name: "main.tf#crlf,noeol", path: "main.tf", data: "a\nb\n", file: "a\r\nb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, flags := SplitName(tc.name)
			if path != tc.path {
				t.Errorf("path = %q, want %q", path, tc.path)
			}
			if got := string(Decode([]byte(tc.data), flags)); got != tc.file {
				t.Errorf("decode = %q, want %q", got, tc.file)
			}
			data, ok := Encode([]byte(tc.file), flags)
			if string(data) != tc.data || !ok {
				t.Errorf("encode = %q, %v; want %q, true", data, ok, tc.data)
			}
		})
	}
}

func TestEncodeMixedLineEndings(t *testing.T) {
	if _, ok := Encode([]byte("a\r\nb\nc\r\n"), []string{"crlf"}); ok {
		t.Error("a CRLF file with a bare \\n encoded without complaint")
	}
}

func TestLineDiff(t *testing.T) {
	got := LineDiff("a\nb\nc\n", "a\nc\nd\n")
	want := "2: - \"b\\n\"\n3: + \"d\\n\"\n"
	if got != want {
		t.Errorf("lineDiff = %q, want %q", got, want)
	}
}

func TestFormatUnresolved(t *testing.T) {
	meta := &rules.Meta{ID: "AWS-S3-001"}
	at := func(line, col int) source.Range {
		return source.Range{Path: "main.tf", Start: source.Pos{Line: line, Column: col}, End: source.Pos{Line: line, Column: col + 7}}
	}
	us := []rules.Unresolved{
		{Rule: meta, Range: at(3, 12), Reason: "acl is not known statically"},
		{Rule: meta, Range: at(9, 5), Reason: "bucket properties are not known statically"},
	}
	want := "main.tf:3:12: AWS-S3-001 acl is not known statically\nmain.tf:9:5: AWS-S3-001 bucket properties are not known statically\n"
	if got := FormatUnresolved(us); got != want {
		t.Errorf("FormatUnresolved = %q, want %q", got, want)
	}
	if got := FormatUnresolved(nil); got != "" {
		t.Errorf("FormatUnresolved(nil) = %q, want \"\"", got)
	}
}

func TestLineDiffNumbersBothSides(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\n", "a\n", ""},
		{"a\nb\n", "x\na\nb\n", "1: + \"x\\n\"\n"},
		{"a\nb\nc\nd\n", "a\nB\nc\nd\ne\n", "2: - \"b\\n\"\n2: + \"B\\n\"\n5: + \"e\\n\"\n"},
		{"a \n", "a\n", "1: - \"a \\n\"\n1: + \"a\\n\"\n"},
	}
	for _, tc := range tests {
		if got := LineDiff(tc.want, tc.got); got != tc.diff {
			t.Errorf("LineDiff(%q, %q) = %q, want %q", tc.want, tc.got, got, tc.diff)
		}
	}
}
