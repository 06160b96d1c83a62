package config

import (
	"bytes"
	"encoding/json"
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

// compiled is the embedded schema, compiled once. It is part of the binary, so a failure
// is a build defect that every test run catches.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

var printer = message.NewPrinter(language.English)

// validateSchema checks doc against the schema and returns each violation at the line of
// the offending key or value.
func validateSchema(path string, doc *document) Errors {
	sch, err := compiled()
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
		errs = append(errs, schemaErrors(path, doc.root, leaf)...)
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
func schemaErrors(path string, root *yaml.Node, e *jsonschema.ValidationError) Errors {
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
			errs = append(errs, at(keyNode(node, name), unknownKey(where, name)))
		}
		return errs
	}
	msg := e.ErrorKind.LocalizedString(printer)
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
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(Schema, &s) // the embedded schema: compiled() reports it if broken
	return slices.Sorted(maps.Keys(s.Properties))
})
