package source

import "testing"

func TestPosAtAndOffset(t *testing.T) {
	src := []byte("ab\r\nçé = 1\n\nlast")
	f := NewFile("x.tf", src)
	tests := []struct {
		name string
		off  int
		want Pos
	}{
		{"start", 0, Pos{Line: 1, Column: 1, Byte: 0}},
		{"before CR", 2, Pos{Line: 1, Column: 3, Byte: 2}},
		{"second line", 4, Pos{Line: 2, Column: 1, Byte: 4}},
		{"after two 2-byte runes", 8, Pos{Line: 2, Column: 3, Byte: 8}},
		{"empty line", 13, Pos{Line: 3, Column: 1, Byte: 13}},
		{"last line", 17, Pos{Line: 4, Column: 4, Byte: 17}},
		{"end of file", len(src), Pos{Line: 4, Column: 5, Byte: len(src)}},
		{"clamped", 999, Pos{Line: 4, Column: 5, Byte: len(src)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := f.PosAt(tc.off)
			if got != tc.want {
				t.Fatalf("PosAt(%d) = %+v, want %+v", tc.off, got, tc.want)
			}
			if back := f.Offset(got.Line, got.Column); back != got.Byte {
				t.Fatalf("Offset(%d, %d) = %d, want %d", got.Line, got.Column, back, got.Byte)
			}
		})
	}
}

// TestByteOrderMark asserts that a UTF-8 byte order mark is no column: line 1 starts
// after it, as in every editor, and offsets inside it are line 1, column 1.
func TestByteOrderMark(t *testing.T) {
	f := NewFile("t.yaml", []byte("\xEF\xBB\xBFkey: é\nnext\n"))
	tests := []struct {
		off  int
		want Pos
	}{
		{0, Pos{Line: 1, Column: 1, Byte: 0}},
		{2, Pos{Line: 1, Column: 1, Byte: 2}},
		{3, Pos{Line: 1, Column: 1, Byte: 3}},
		{8, Pos{Line: 1, Column: 6, Byte: 8}},
		{11, Pos{Line: 2, Column: 1, Byte: 11}},
	}
	for _, tc := range tests {
		if got := f.PosAt(tc.off); got != tc.want {
			t.Errorf("PosAt(%d) = %+v, want %+v", tc.off, got, tc.want)
		}
	}
	if got := f.Offset(1, 1); got != 3 {
		t.Errorf("Offset(1, 1) = %d, want 3 (after the mark)", got)
	}
	if got := string(f.Line(1)); got != "key: é" {
		t.Errorf("Line(1) = %q, want the line without the mark", got)
	}
}

func TestLines(t *testing.T) {
	f := NewFile("x", []byte("one\r\ntwo\nthree"))
	for i, want := range []string{"one", "two", "three"} {
		if got := string(f.Line(i + 1)); got != want {
			t.Errorf("Line(%d) = %q, want %q", i+1, got, want)
		}
	}
	if f.LineCount() != 3 {
		t.Errorf("LineCount = %d, want 3", f.LineCount())
	}
	if f.Line(0) != nil || f.Line(4) != nil {
		t.Error("out-of-range lines must be nil")
	}
}

func TestDiagnostics(t *testing.T) {
	r := NewFile("main.tf", []byte("x\ny = \n")).Range(2, 5)
	ds := Diagnostics{
		{Severity: Warning, Summary: "odd"},
		Errorf(&r, "invalid expression"),
	}
	if !ds.HasErrors() {
		t.Fatal("HasErrors = false")
	}
	want := "odd\nmain.tf:2:1: invalid expression"
	if ds.Error() != want {
		t.Fatalf("Error() = %q, want %q", ds.Error(), want)
	}
}
