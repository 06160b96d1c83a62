package config

import (
	"strings"
	"testing"
)

// TestValidatorApplicators checks that a violation under an applicator ($ref, anyOf,
// if/then, items) is reported once, at the value, with the failing sub-schemas' words and
// not the applicator's summary; keys holding "/" are found.
func TestValidatorApplicators(t *testing.T) {
	v := NewValidator("https://example.com/t.json", []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "additionalProperties": false,
  "required": ["a"],
  "properties": {
    "a": {"$ref": "#/$defs/port"},
    "b": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    "c": {"if": {"type": "string"}, "then": {"minLength": 2}},
    "d/e": {"type": "array", "items": {"$ref": "#/$defs/port"}}
  },
  "$defs": {"port": {"type": "integer", "minimum": 1}}
}`))
	src := "a: 0\nb: [x]\nc: x\nd/e: [1, -1, y]\nz: 1\n"
	want := []string{
		`t.yaml:1:4: a: got 0, want at least 1`,
		`t.yaml:2:4: b: got array, want string`,
		`t.yaml:2:4: b: got array, want integer`,
		`t.yaml:3:4: c: got 1 character, want at least 2`,
		`t.yaml:4:10: d/e.1: got -1, want at least 1`,
		`t.yaml:4:14: d/e.2: got string, want integer`,
		`t.yaml:5:1: unknown key "z" (valid: a, b, c, d/e)`,
	}
	_, errs := v.Decode("t.yaml", []byte(src))
	if got := strings.Split(errs.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, errs := v.Decode("t.yaml", []byte("b: 1\n")); errs.Error() != `t.yaml:1:1: missing key 'a'` {
		t.Errorf("a missing required key: %v", errs)
	}
}
