package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// schema is the part of JSON Schema (draft 2020-12) that schema.json uses, interpreted
// here. A general JSON Schema library compiled the meta-schemas of five drafts in its
// package initialisation, whatever the run: 1.7 MB and 21,000 allocations, most of the
// start-up of a one-file pre-commit scan. Loading fails on any keyword not listed here,
// so schema.json cannot come to use one that this file would silently ignore.
type schema struct {
	Schema      string `json:"$schema"`
	ID          string `json:"$id"`
	Title       string `json:"title"`
	Description string `json:"description"`

	Ref                  string             `json:"$ref"`
	Defs                 map[string]*schema `json:"$defs"`
	Type                 types              `json:"type"`
	Enum                 []any              `json:"enum"`
	MinLength            *int               `json:"minLength"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties *additional        `json:"additionalProperties"`
	Items                *schema            `json:"items"`
}

// additional is additionalProperties: false, true or a schema.
type additional struct {
	allowed bool
	schema  *schema
}

func (a *additional) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &a.allowed); err == nil {
		return nil
	}
	a.allowed, a.schema = true, &schema{}
	return strictJSON(b, a.schema)
}

// jsonTypes are JSON Schema's type names, in the order messages list them.
var jsonTypes = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

// types is the type keyword: one name or several.
type types []string

func (t *types) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = types{one}
	} else if err := json.Unmarshal(b, (*[]string)(t)); err != nil {
		return err
	}
	for _, name := range *t {
		if !slices.Contains(jsonTypes, name) {
			return fmt.Errorf("unknown type %q", name)
		}
	}
	return nil
}

func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// compiled is the embedded schema, loaded on first use. It is part of the binary, so a
// failure is a build defect that every test run catches.
var compiled = sync.OnceValues(func() (*schema, error) {
	var s schema
	if err := strictJSON(Schema, &s); err != nil {
		return nil, err
	}
	return &s, s.checkRefs(&s)
})

// checkRefs fails on a $ref that is not to one of root's $defs.
func (s *schema) checkRefs(root *schema) error {
	if s == nil {
		return nil
	}
	if s.Ref != "" && root.def(s.Ref) == nil {
		return fmt.Errorf("unresolvable $ref %q", s.Ref)
	}
	subs := slices.Collect(maps.Values(s.Properties))
	subs = append(subs, s.Items)
	if s.AdditionalProperties != nil {
		subs = append(subs, s.AdditionalProperties.schema)
	}
	for _, sub := range subs {
		if err := sub.checkRefs(root); err != nil {
			return err
		}
	}
	return nil
}

// def resolves a reference to one of the $defs of s, the root.
func (s *schema) def(ref string) *schema {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil
	}
	return s.Defs[name]
}

// violation is one place where the document breaks the schema: at the keys and indexes
// of at, either properties the schema does not allow (unknown), or msg.
type violation struct {
	at      []string
	msg     string
	unknown []string
}

// validate appends to out where v, found at at, breaks s. As in JSON Schema validators,
// a value of the wrong type is reported for that alone.
func (s *schema) validate(root *schema, v any, at []string, out *[]violation) {
	if s.Ref != "" {
		root.def(s.Ref).validate(root, v, at, out)
	}
	if len(s.Type) > 0 && !s.Type.match(v) {
		*out = append(*out, violation{at: at, msg: fmt.Sprintf("got %s, want %s", typeOf(v), s.Type.want())})
		return
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return equalJSON(e, v) }) {
		*out = append(*out, violation{at: at, msg: enumMessage(s.Enum)})
	}
	if str, ok := v.(string); ok && s.MinLength != nil && utf8.RuneCountInString(str) < *s.MinLength {
		*out = append(*out, violation{at: at, msg: fmt.Sprintf("minLength: got %d, want %d", utf8.RuneCountInString(str), *s.MinLength)})
	}
	switch v := v.(type) {
	case map[string]any:
		var unknown []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub := s.Properties[k]
			if sub == nil && s.AdditionalProperties != nil {
				if sub = s.AdditionalProperties.schema; !s.AdditionalProperties.allowed {
					unknown = append(unknown, k)
				}
			}
			if sub != nil {
				sub.validate(root, v[k], append(slices.Clip(at), k), out)
			}
		}
		if unknown != nil {
			*out = append(*out, violation{at: at, unknown: unknown})
		}
	case []any:
		if s.Items != nil {
			for i, it := range v {
				s.Items.validate(root, it, append(slices.Clip(at), strconv.Itoa(i)), out)
			}
		}
	}
}

// typeOf is the JSON type of a decoded value; every number is a "number".
func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// match reports whether v has one of the types; an integer is a number without fraction.
func (t types) match(v any) bool {
	got := typeOf(v)
	if slices.Contains(t, got) {
		return true
	}
	if got != "number" || !slices.Contains(t, "integer") {
		return false
	}
	f, isFloat := v.(float64)
	return !isFloat || f == math.Trunc(f)
}

// want lists the types in JSON Schema's order: "boolean or integer or string".
func (t types) want() string {
	var names []string
	for _, name := range jsonTypes {
		if slices.Contains(t, name) {
			names = append(names, name)
		}
	}
	return strings.Join(names, " or ")
}

// equalJSON compares two JSON values of the kinds an enum lists: strings, numbers,
// booleans and null.
func equalJSON(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	switch a.(type) {
	case nil, bool, string:
		return a == b
	}
	return false
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func enumMessage(want []any) string {
	shown := make([]string, len(want))
	for i, w := range want {
		shown[i] = display(w)
	}
	if len(shown) == 1 {
		return "value must be " + shown[0]
	}
	return "value must be one of " + strings.Join(shown, ", ")
}

// display shows an enum value: a string in single quotes.
func display(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case []any, map[string]any:
		return "value"
	}
	return fmt.Sprintf("%v", v)
}

func quote(s string) string {
	s = strconv.Quote(s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

// validateSchema checks doc against the schema and returns each violation at the line of
// the offending key or value.
func validateSchema(path string, doc *document) Errors {
	sch, err := compiled()
	if err != nil {
		return Errors{{Path: path, Line: 1, Column: 1, Msg: "internal error: the configuration schema does not load: " + err.Error()}}
	}
	var found []violation
	sch.validate(sch, doc.value, nil, &found)
	var errs Errors
	for _, v := range found {
		errs = append(errs, schemaErrors(path, doc.root, v)...)
	}
	return errs
}

// schemaErrors words one violation and places it: an unknown key at the key itself,
// anything else at the value.
func schemaErrors(path string, root *yaml.Node, v violation) Errors {
	where := strings.Join(v.at, ".")
	at := func(n *yaml.Node, msg string) Error {
		if n == nil {
			return Error{Path: path, Line: 1, Column: 1, Msg: msg}
		}
		return Error{Path: path, Line: n.Line, Column: n.Column, Msg: msg}
	}
	node := (*yaml.Node)(nil)
	if root != nil {
		node = locate(root, v.at)
	}
	msg := v.msg
	if v.unknown != nil {
		if node != nil && node.Kind == yaml.MappingNode {
			var errs Errors
			for _, name := range v.unknown {
				errs = append(errs, at(keyNode(node, name), unknownKey(where, name)))
			}
			return errs
		}
		quoted := make([]string, len(v.unknown))
		for i, name := range v.unknown {
			quoted[i] = quote(name)
		}
		msg = "additional properties " + strings.Join(quoted, ", ") + " not allowed"
	}
	if where != "" {
		msg = where + ": " + msg
	}
	return Errors{at(node, msg)}
}

func unknownKey(where, name string) string {
	if where == "" {
		return fmt.Sprintf("unknown key %q (valid: %s)", name, strings.Join(topKeys(), ", "))
	}
	return fmt.Sprintf("%s: unknown key %q", where, name)
}

// topKeys are the top-level keys the schema allows, sorted.
var topKeys = sync.OnceValue(func() []string {
	sch, err := compiled()
	if err != nil {
		return nil // validateSchema reports it
	}
	return slices.Sorted(maps.Keys(sch.Properties))
})
