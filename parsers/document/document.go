// Package document is the positioned tree that CloudFormation templates and serverless.yml
// files are read into, from YAML and JSON alike. Every node carries its exact source range
// (start and end, line, column and byte), so that findings point at the right bytes and
// fixers can replace exactly those bytes without re-encoding the document.
package document

import (
	"fmt"

	"github.com/iacscan/iacscan/source"
)

// Kind is the shape of a node. Aliases are resolved: an alias node has the kind of the
// node it stands for (see Node.Alias).
type Kind uint8

const (
	Scalar Kind = iota + 1
	Mapping
	Sequence
)

// Style is how a node is written; fixers keep it when they replace a value.
type Style uint8

const (
	Plain        Style = iota // a plain scalar, or a block (indented) collection
	SingleQuoted              // 'text'
	DoubleQuoted              // "text", and every JSON string
	Literal                   // a | block scalar
	Folded                    // a > block scalar
	Flow                      // a {…} or […] collection, and every JSON object and array
)

// Quoted reports whether a scalar is written between quotes.
func (s Style) Quoted() bool { return s == SingleQuoted || s == DoubleQuoted }

// The core tags. YAML resolves untagged nodes to them; JSON values get the same tags by
// their JSON type, so that readers of the tree never look at the input format.
const (
	StrTag   = "!!str"
	IntTag   = "!!int"
	FloatTag = "!!float"
	BoolTag  = "!!bool"
	NullTag  = "!!null"
	MapTag   = "!!map"
	SeqTag   = "!!seq"
	mergeTag = "!!merge"
)

// Node is one node of a document.
type Node struct {
	Kind Kind
	// Tag is a core tag ("!!str", "!!int", ...) or an application tag as written ("!Ref").
	Tag string
	// Value is the decoded text of a scalar (escapes, folding and quotes resolved).
	Value string
	Style Style
	// Range is the node's exact span, including a tag or anchor written before it (for
	// `!Ref X` it starts at the "!"). An empty value (`Key:`) has an empty range right after
	// its colon.
	Range source.Range
	Pairs []Pair  // Mapping, in source order
	Items []*Node // Sequence
	// Alias, when set, is the anchored node this alias (`*name`) stands for. The alias node
	// copies that node's kind, tag, value and children, but Range is the `*name` span.
	Alias *Node
}

// Pair is one entry of a mapping.
type Pair struct {
	Key, Value *Node
	// Merged marks an entry brought in by a YAML merge key (`<<: *defaults`): it is written
	// elsewhere, usually under an anchor that other mappings share.
	Merged bool
}

// Pair returns the first entry of a mapping whose key is the scalar key, or nil (also when
// n is not a mapping).
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i := range n.Pairs {
		if p := &n.Pairs[i]; p.Key.Kind == Scalar && p.Key.Value == key {
			return p
		}
	}
	return nil
}

// Get returns the value of the first entry of a mapping whose key is key, or nil.
func (n *Node) Get(key string) *Node {
	if p := n.Pair(key); p != nil {
		return p.Value
	}
	return nil
}

// shortMapping is the most entries of a mapping searched for duplicate keys one by one:
// most mappings are this short, and a map for each cost more than the comparisons.
const shortMapping = 8

// firstKey returns the first scalar key of pairs equal to key, or nil.
func firstKey(pairs []Pair, key string) *Node {
	for _, p := range pairs {
		if p.Key.Kind == Scalar && p.Key.Value == key {
			return p.Key
		}
	}
	return nil
}

// duplicates warns about keys defined twice in one mapping: CloudFormation rejects such
// templates, and which of the two values a tool keeps differs from tool to tool.
func duplicates(pairs []Pair) source.Diagnostics {
	if len(pairs) < 2 {
		return nil
	}
	var diags source.Diagnostics
	var seen map[string]*Node // for long mappings; short ones are searched
	if len(pairs) > shortMapping {
		seen = make(map[string]*Node, len(pairs))
	}
	for i, p := range pairs {
		if p.Key.Kind != Scalar {
			continue
		}
		var first *Node
		if seen != nil {
			if first = seen[p.Key.Value]; first == nil {
				seen[p.Key.Value] = p.Key
			}
		} else {
			first = firstKey(pairs[:i], p.Key.Value)
		}
		if first == nil {
			continue
		}
		r := p.Key.Range
		diags = append(diags, source.Diagnostic{
			Severity: source.Warning,
			Summary:  fmt.Sprintf("duplicate key %q", p.Key.Value),
			Detail:   fmt.Sprintf("first defined at line %d", first.Range.Start.Line),
			Subject:  &r,
		})
	}
	return diags
}
