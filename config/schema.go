package config

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/kaptinlin/jsonschema"
	"go.yaml.in/yaml/v3"
)

const schemaURL = "https://github.com/iacscan/iacscan/blob/main/config/schema.json"

// Validator checks YAML files against an embedded JSON Schema and places each violation at
// the line and column of the offending key or value. The configuration and custom rule
// files are both validated with one.
type Validator struct {
	compiled func() (*jsonschema.Schema, error)
	topKeys  func() []string
}

// NewValidator returns a validator for the JSON Schema text schema, published at url. The
// schema is compiled on first use: it is part of the binary, so a failure is a build
// defect that every test run catches.
func NewValidator(url string, schema []byte) *Validator {
	return &Validator{
		compiled: sync.OnceValues(func() (*jsonschema.Schema, error) {
			c := jsonschema.NewCompiler()
			// The schemas are self-contained: never fetch a $ref over the network.
			delete(c.Loaders, "http")
			delete(c.Loaders, "https")
			return c.Compile(schema, url)
		}),
		topKeys: sync.OnceValue(func() []string {
			var s struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			_ = json.Unmarshal(schema, &s) // compiled() reports a broken schema
			return slices.Sorted(maps.Keys(s.Properties))
		}),
	}
}

// Decode parses src, the content of the file at path, and validates it: it returns the
// top-level node (nil for an empty file) and every problem found, in file order.
func (v *Validator) Decode(path string, src []byte) (*yaml.Node, Errors) {
	doc, err := decode(path, src)
	if err != nil {
		var errs Errors
		if !errors.As(err, &errs) {
			errs = Errors{{Path: path, Line: 1, Column: 1, Msg: err.Error()}}
		}
		return nil, errs
	}
	errs := v.validate(path, doc)
	slices.SortStableFunc(errs, func(a, b Error) int { return cmp.Or(a.Line-b.Line, a.Column-b.Column) })
	return doc.root, errs
}

// configSchema validates .iacscan.yaml.
var configSchema = NewValidator(schemaURL, Schema)

// validate checks doc against the schema and returns each violation at the line of the
// offending key or value.
func (v *Validator) validate(path string, doc *document) Errors {
	sch, err := v.compiled()
	if err != nil {
		return Errors{{Path: path, Line: 1, Column: 1, Msg: "internal error: the schema does not compile: " + err.Error()}}
	}
	res := sch.Validate(doc.value)
	if res.IsValid() {
		return nil
	}
	var errs Errors
	for _, p := range violations(res, nil) {
		if e, ok := v.place(path, doc.root, p); ok {
			errs = append(errs, e)
		}
	}
	return errs
}

// violation is one specific failure: the keyword's error and the instance location as
// separate keys and indexes (the library's locations do not escape "/" in keys).
type violation struct {
	at  []string
	err *jsonschema.EvaluationError
	key bool // at names a key that the schema does not allow
}

// violations walks a result tree and returns its specific failures. An applicator's
// summary ("property x does not match", "value does not match the reference schema") is
// left out when a failing sub-result says what is wrong.
func violations(r *jsonschema.EvaluationResult, at []string) []violation {
	if seg, ok := strings.CutPrefix(r.InstanceLocation, "/"); ok {
		at = append(slices.Clip(at), seg)
	}
	var out []violation
	for _, kw := range slices.Sorted(maps.Keys(r.Errors)) {
		if explained(r, kw) {
			continue
		}
		e := r.Errors[kw]
		out = append(out, violation{at: at, err: e,
			key: e.Code == "false_schema_mismatch" && strings.HasPrefix(r.EvaluationPath, "/additionalProperties/")})
	}
	for _, d := range r.Details {
		if !d.IsValid() {
			out = append(out, violations(d, at)...)
		}
	}
	return out
}

// explained reports whether the error of keyword kw in r is an applicator's summary of
// failing sub-results that are themselves reported.
func explained(r *jsonschema.EvaluationResult, kw string) bool {
	switch kw {
	case "$ref", "$dynamicRef":
		return slices.ContainsFunc(r.Details, func(d *jsonschema.EvaluationResult) bool {
			return !d.IsValid() && d.EvaluationPath == ""
		})
	case "properties", "patternProperties", "additionalProperties", "items", "prefixItems",
		"allOf", "anyOf", "oneOf", "dependentSchemas", "propertyNames", "then", "else",
		"unevaluatedItems", "unevaluatedProperties":
		return slices.ContainsFunc(r.Details, func(d *jsonschema.EvaluationResult) bool {
			rest, ok := strings.CutPrefix(d.EvaluationPath, "/"+kw)
			return !d.IsValid() && ok && (rest == "" || rest[0] == '/')
		})
	}
	return false
}

// place words one violation and places it: an unknown key at the key itself, anything
// else at the value. It drops a violation of a key that is absent: the library checks a
// missing required key's schema against null, and the "missing key" error says it all.
func (v *Validator) place(path string, root *yaml.Node, p violation) (Error, bool) {
	at := p.at
	if p.key {
		at = at[:len(at)-1]
	}
	where := strings.Join(at, ".")
	node, exact := (*yaml.Node)(nil), len(at) == 0
	if root != nil {
		node, exact = locate(root, at)
	}
	if !exact {
		return Error{}, false
	}
	var msg string
	if p.key {
		name := p.at[len(p.at)-1]
		msg = v.unknownKey(where, name)
		if node != nil && node.Kind == yaml.MappingNode {
			node = keyNode(node, name)
		}
	} else {
		msg = describe(p.err, node)
		if where != "" {
			msg = where + ": " + msg
		}
	}
	if node == nil {
		return Error{Path: path, Line: 1, Column: 1, Msg: msg}, true
	}
	return Error{Path: path, Line: node.Line, Column: node.Column, Msg: msg}, true
}

// describe words a violation of the value at node for the user from the library's error
// code and parameters; codes our schemas cannot produce keep the library's English message.
func describe(e *jsonschema.EvaluationError, node *yaml.Node) string {
	p := func(name string) any { return e.Params[name] }
	switch e.Code {
	case "type_mismatch":
		return fmt.Sprintf("got %v, want %s", p("received"), strings.ReplaceAll(fmt.Sprint(p("expected")), ", ", " or "))
	case "value_not_in_enum":
		if want := fmt.Sprint(p("expected")); strings.Contains(want, ", ") {
			return fmt.Sprintf("got %s, want one of: %s", quote(p("received")), want)
		}
		return fmt.Sprintf("got %s, want %v", quote(p("received")), p("expected"))
	case "value_below_minimum":
		return fmt.Sprintf("got %v, want at least %v", p("value"), p("minimum"))
	case "value_above_maximum":
		return fmt.Sprintf("got %v, want at most %v", p("value"), p("maximum"))
	case "missing_required_property":
		return fmt.Sprintf("missing key %v", p("property"))
	case "missing_required_properties":
		return fmt.Sprintf("missing keys %v", p("properties"))
	case "string_too_short":
		if fmt.Sprint(p("min_length")) == "1" {
			return "must not be empty"
		}
		return fmt.Sprintf("got %s, want at least %v", count(p("length"), "character"), p("min_length"))
	case "pattern_mismatch":
		return fmt.Sprintf("%s does not match the pattern %v", quote(p("value")), p("pattern"))
	case "items_too_short":
		return fmt.Sprintf("got %s, want at least %v", count(p("count"), "item"), p("min_items"))
	case "too_few_properties":
		return fmt.Sprintf("got %s, want at least %v", count(keys(node), "key"), p("min_properties"))
	case "too_many_properties":
		return fmt.Sprintf("got %s, want at most %v", count(keys(node), "key"), p("max_properties"))
	}
	return e.Error()
}

// keys returns the number of keys of a mapping node (0 for an empty file's nil root).
func keys(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return len(resolve(n).Content) / 2
}

// count says "1 key" or "2 keys".
func count(n any, noun string) string {
	if s := fmt.Sprint(n); s != "1" {
		return s + " " + noun + "s"
	}
	return "1 " + noun
}

// quote shows a string value in quotes, and any other value as it is.
func quote(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func (v *Validator) unknownKey(where, name string) string {
	if where == "" {
		return fmt.Sprintf("unknown key %q (valid: %s)", name, strings.Join(v.topKeys(), ", "))
	}
	return fmt.Sprintf("%s: unknown key %q", where, name)
}
