package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a configuration file, at a line and column.
type Error struct {
	Path         string
	Line, Column int
	Msg          string
}

func (e Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg) }

// Errors are all the problems found in a configuration file, in file order.
type Errors []Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// document is a parsed configuration file: its YAML nodes (for positions) and the same
// content as plain values (for the schema validator).
type document struct {
	root  *yaml.Node // the top-level node; nil for an empty file
	value any
}

func decode(path string, src []byte) (*document, error) {
	var file yaml.Node
	if err := yaml.Unmarshal(src, &file); err != nil {
		return nil, Errors{yamlError(path, err)}
	}
	if len(file.Content) == 0 {
		return &document{value: map[string]any{}}, nil // an empty file is an empty config
	}
	root := file.Content[0]
	d := &decoder{path: path}
	v := d.value(root, 0)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return &document{root: root, value: v}, nil
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: ...") into an Error.
func yamlError(path string, err error) Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if l, convErr := strconv.Atoi(n); convErr == nil {
				line, msg = l, tail
			}
		}
	}
	return Error{Path: path, Line: line, Column: 1, Msg: "invalid YAML: " + msg}
}

// maxDepth and maxNodes bound what the decoder follows: aliases can make a small file
// deep, or exponentially large ("billion laughs").
const (
	maxDepth = 64
	maxNodes = 100_000
)

type decoder struct {
	path  string
	errs  Errors
	nodes int
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, Error{Path: d.path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// value converts a node into what encoding/json would produce for the same document,
// which is what the schema validator takes.
func (d *decoder) value(n *yaml.Node, depth int) any {
	if d.nodes++; depth > maxDepth || d.nodes > maxNodes {
		if len(d.errs) == 0 {
			d.fail(n, "the file is nested too deeply or expands too many aliases")
		}
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		return d.value(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if _, dup := m[k.Value]; dup {
				d.fail(k, "key %q is defined twice", k.Value)
				continue
			}
			m[k.Value] = d.value(n.Content[i+1], depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, it := range n.Content {
			s = append(s, d.value(it, depth+1))
		}
		return s
	}
	return scalar(n)
}

// scalar converts a scalar by its resolved tag; anything but null, bool, int and float
// (timestamps included) is a string.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// locate returns the node at a JSON-pointer-like path of keys and indexes below root, or
// the deepest node on the way when the path leaves the document; exact says which.
func locate(root *yaml.Node, tokens []string) (n *yaml.Node, exact bool) {
	n = root
	for _, tok := range tokens {
		n = resolve(n)
		next := child(n, tok)
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

func child(n *yaml.Node, tok string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		if k := keyNode(n, tok); k != nil {
			return valueOf(n, k)
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// keyNode returns the key node named name in mapping n, or nil.
func keyNode(n *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i]
		}
	}
	return nil
}

func valueOf(n, key *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i] == key {
			return n.Content[i+1]
		}
	}
	return nil
}
