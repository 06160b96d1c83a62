package config

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
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
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
			if err != nil {
				return nil, err
			}
			c := jsonschema.NewCompiler()
			if err := c.AddResource(url, doc); err != nil {
				return nil, err
			}
			return c.Compile(url)
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

var printer = message.NewPrinter(language.English)

// validateSchema checks doc against the schema and returns each violation at the line of
// the offending key or value.
func (v *Validator) validate(path string, doc *document) Errors {
	sch, err := v.compiled()
	if err != nil {
		return Errors{{Path: path, Line: 1, Column: 1, Msg: "internal error: the configuration schema does not compile: " + err.Error()}}
	}
	err = sch.Validate(doc.value)
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		if err != nil {
			return Errors{{Path: path, Line: 1, Column: 1, Msg: err.Error()}}
		}
		return nil
	}
	var errs Errors
	for _, leaf := range leaves(verr) {
		errs = append(errs, v.schemaErrors(path, doc.root, leaf)...)
	}
	return errs
}

// leaves returns the errors without causes: the specific violations.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// schemaErrors words one violation and places it: an unknown key at the key itself,
// anything else at the value.
func (v *Validator) schemaErrors(path string, root *yaml.Node, e *jsonschema.ValidationError) Errors {
	where := strings.Join(e.InstanceLocation, ".")
	at := func(n *yaml.Node, msg string) Error {
		if n == nil {
			return Error{Path: path, Line: 1, Column: 1, Msg: msg}
		}
		return Error{Path: path, Line: n.Line, Column: n.Column, Msg: msg}
	}
	node := (*yaml.Node)(nil)
	if root != nil {
		node = locate(root, e.InstanceLocation)
	}
	if k, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && node != nil && node.Kind == yaml.MappingNode {
		var errs Errors
		for _, name := range k.Properties {
			errs = append(errs, at(keyNode(node, name), v.unknownKey(where, name)))
		}
		return errs
	}
	msg := e.ErrorKind.LocalizedString(printer)
	if where != "" {
		msg = where + ": " + msg
	}
	return Errors{at(node, msg)}
}

func (v *Validator) unknownKey(where, name string) string {
	if where == "" {
		return fmt.Sprintf("unknown key %q (valid: %s)", name, strings.Join(v.topKeys(), ", "))
	}
	return fmt.Sprintf("%s: unknown key %q", where, name)
}
