package terraform

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/internal/lazyregexp"
)

// yamlDecode is yamldecode(): mappings become objects, sequences tuples, scalars strings,
// numbers, bools or null, as Terraform's go-cty-yaml decodes them. Where go-cty-yaml's
// versions disagree or read YAML 1.1 (yes/no/on/off, 0x1F, 1_000, 0777, timestamps, .inf,
// explicit tags, merge keys, non-string keys), decoding fails and the value stays Unknown
// rather than guessed.
var yamlDecode = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		dec := yaml.NewDecoder(strings.NewReader(args[0].AsString()))
		var doc, extra yaml.Node
		if err := dec.Decode(&doc); err != nil || len(doc.Content) != 1 {
			return cty.NilVal, fmt.Errorf("invalid YAML document: %v", err)
		}
		if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
			return cty.NilVal, errors.New("yamldecode() takes a single YAML document")
		}
		c := &yamlConverter{budget: maxYAMLNodes}
		return c.value(doc.Content[0], maxValueDepth)
	},
})

// maxYAMLNodes bounds the nodes one yamldecode() call converts, aliases expanded: a few
// nested aliases to aliases would otherwise expand to billions.
const maxYAMLNodes = 1 << 16

type yamlConverter struct{ budget int }

var errYAMLTooLarge = errors.New("YAML document too large or too deep")

// value converts n, at most depth levels deep.
func (c *yamlConverter) value(n *yaml.Node, depth int) (cty.Value, error) {
	if c.budget--; c.budget < 0 || depth == 0 {
		return cty.NilVal, errYAMLTooLarge
	}
	if n.Style&yaml.TaggedStyle != 0 {
		return cty.NilVal, fmt.Errorf("line %d: explicit tag %s", n.Line, n.Tag)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias, depth-1)
	case yaml.SequenceNode:
		items := make([]cty.Value, len(n.Content))
		for i, it := range n.Content {
			v, err := c.value(it, depth-1)
			if err != nil {
				return cty.NilVal, err
			}
			items[i] = v
		}
		return cty.TupleVal(items), nil
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.ScalarNode:
		if n.Style != 0 { // quoted, literal or folded
			return cty.StringVal(n.Value), nil
		}
		return plainScalar(n.Value)
	}
	return cty.NilVal, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// mapping converts a mapping whose keys are strings to an object.
func (c *yamlConverter) mapping(n *yaml.Node, depth int) (cty.Value, error) {
	attrs := make(map[string]cty.Value, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := c.value(n.Content[i], depth-1)
		if err != nil {
			return cty.NilVal, err
		}
		if k.Type() != cty.String || k.IsNull() || n.Content[i].Kind != yaml.ScalarNode ||
			n.Content[i].Style == 0 && k.AsString() == "<<" {
			return cty.NilVal, fmt.Errorf("line %d: mapping keys must be strings", n.Content[i].Line)
		}
		if _, dup := attrs[k.AsString()]; dup {
			return cty.NilVal, fmt.Errorf("line %d: duplicate key %q", n.Content[i].Line, k.AsString())
		}
		if attrs[k.AsString()], err = c.value(n.Content[i+1], depth-1); err != nil {
			return cty.NilVal, err
		}
	}
	return cty.ObjectVal(attrs), nil
}

// yamlNumber is a decimal number every go-cty-yaml version reads alike: no leading
// zero, underscore, base prefix or long exponent.
var yamlNumber = lazyregexp.New(`^[-+]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?$`)

// plainScalar resolves an unquoted scalar: null, true/false, a number, else a string,
// unless go-cty-yaml may read it otherwise.
func plainScalar(s string) (cty.Value, error) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return cty.NullVal(cty.DynamicPseudoType), nil
	case "true", "True", "TRUE":
		return cty.True, nil
	case "false", "False", "FALSE":
		return cty.False, nil
	}
	if yamlNumber.MatchString(s) {
		return cty.ParseNumberVal(s)
	}
	if ambiguousScalar(s) {
		return cty.NilVal, fmt.Errorf("the YAML scalar %q may be read as a bool, number or timestamp", s)
	}
	return cty.StringVal(s), nil
}

// ambiguousScalar reports whether go-cty-yaml may read s as something other than a
// string: a YAML 1.1 bool, an infinity, or what starts like a number and holds only what
// a number in any base, or a timestamp, may.
func ambiguousScalar(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "on", "n", "no", "off", ".inf", "+.inf", "-.inf", ".nan":
		return true
	}
	if !strings.ContainsAny(s[:1], "0123456789+-.") {
		return false
	}
	if len(s) > 4 && strings.Trim(s[:4], "0123456789") == "" && s[4] == '-' {
		return true // a timestamp
	}
	return strings.Trim(s, "0123456789abcdefABCDEFoOxX_+-.") == "" && strings.Count(s, ".") < 2
}
