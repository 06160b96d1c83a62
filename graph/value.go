package graph

import (
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/source"
)

// Type is the shape of a Value.
type Type uint8

const (
	Unknown Type = iota // not resolvable statically: rules skip it (RULES.md decision 5)
	Null
	String
	Number
	Bool
	List
	Map
)

var typeNames = [...]string{"unknown", "null", "string", "number", "bool", "list", "map"}

func (t Type) String() string { return typeNames[t] }

// Value is an attribute's value with the exact source range of every part, so that a
// finding can point at one list item and a fixer can delete just that item.
type Value struct {
	Type  Type
	Str   string       // String; for Number the literal as written
	Num   float64      // Number
	Bool  bool         // Bool
	Items []*Value     // List
	Attrs []*Attribute // Map, in source order; repeated names are kept (HCL blocks)

	// Block marks a Map that is an HCL nested block (`ingress { ... }`) rather than an
	// expression; fixers delete and insert blocks differently from list items.
	Block bool
	// Range covers the expression, scalar, list item or block (including a YAML short tag).
	Range source.Range
	// Refs are the references the expression makes, resolved to resources by graph.New.
	Refs []*Ref
	// Origin, when set, is where a computed value was defined (a CFN parameter default):
	// reports show it as a related location and fixers never edit such a value.
	Origin *source.Range
	// Template is, for an Unknown string built from text and parts not statically known
	// (a Terraform string template, a CloudFormation Fn::Sub), the text with each unknown
	// part written `${...}`: "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess". Rules
	// may match the known text around the unknown parts; "" for any other value.
	Template string
	// Trace is how a computed value was produced, from where it started to the last
	// symbol it passed through (a variable's default, the local that reads it, the module
	// argument that passes it on); nil for a value written where it is used. It is shared
	// by every part of the value: never modify it in place.
	Trace []Step
}

// Step is one link of a Trace: a place in the source and what it is.
type Step struct {
	Range source.Range `json:"range"`
	// What names the step: "var.admin_cidr default", "local.cidrs", "module.web argument cidr",
	// "parameter AnyCidr default".
	What string `json:"what"`
}

// Attribute is a named value: an HCL attribute or block, a YAML/JSON mapping entry.
type Attribute struct {
	Name      string       // as written: "acl", "AccessControl"
	Labels    []string     // HCL block labels: `dynamic "ingress"` has Name "dynamic", Labels ["ingress"]
	NameRange source.Range // the key or block type
	Range     source.Range // key through the end of the value (the whole block for a block)
	Value     *Value
}

// Ref is one reference from an expression to something else in the configuration.
type Ref struct {
	// Address names the target in its scope: "aws_s3_bucket.logs", "data.aws_iam_policy_document.p",
	// "var.cidr", "local.x", or a CloudFormation logical ID / parameter name.
	Address string
	// Attr is the attribute read from the target: "id", "arn", "Arn"; "" for a plain Ref.
	Attr  string
	Range source.Range
	// Whole is set when the expression is this reference and nothing else
	// (`aws_s3_bucket.b.id`, `"${aws_s3_bucket.b.id}"`, `!Ref B`, `!GetAtt B.Arn`), so that
	// its value is the target's: `"${aws_s3_bucket.b.id}-logs"` names another bucket.
	Whole  bool
	Target *Resource // set by graph.New when Address names a resource in the same scope
}

// PartOf returns copies of refs that are not Whole: the references of a value computed
// from the values that made them (a function call, a string with them inside).
func PartOf(refs []*Ref) []*Ref {
	out := make([]*Ref, len(refs))
	for i, r := range refs {
		c := *r
		c.Whole = false
		out[i] = &c
	}
	return out
}

// Known reports whether v holds a statically known value (which may be null).
func (v *Value) Known() bool { return v != nil && v.Type != Unknown }

// Location makes a Value locatable for reports.
func (v *Value) Location() source.Range { return v.Range }

// Location makes an Attribute locatable for reports.
func (a *Attribute) Location() source.Range { return a.Range }

// AsString returns a known string (numbers and bools as written in YAML/JSON are scalars
// too, and CloudFormation treats every scalar as a string).
func (v *Value) AsString() (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.Type {
	case String:
		return v.Str, true
	case Number:
		if v.Str != "" {
			return v.Str, true
		}
		return strconv.FormatFloat(v.Num, 'f', -1, 64), true
	case Bool:
		return strconv.FormatBool(v.Bool), true
	}
	return "", false
}

// AsInt returns a known integer, accepting numeric strings ("22") as CloudFormation does.
func (v *Value) AsInt() (int, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type {
	case Number:
		if v.Num == float64(int(v.Num)) {
			return int(v.Num), true
		}
	case String:
		n, err := strconv.Atoi(strings.TrimSpace(v.Str))
		return n, err == nil
	}
	return 0, false
}

// AsBool returns a known boolean, accepting "true"/"false" strings in any case.
func (v *Value) AsBool() (b, ok bool) {
	if v == nil {
		return false, false
	}
	switch v.Type {
	case Bool:
		return v.Bool, true
	case String:
		switch strings.ToLower(v.Str) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// IsTrue is true only for a known true: Unknown is never assumed to be true.
func (v *Value) IsTrue() bool { b, ok := v.AsBool(); return ok && b }

// IsFalse is true only for a known false: Unknown is never assumed to be false.
func (v *Value) IsFalse() bool { b, ok := v.AsBool(); return ok && !b }

// Get returns the first attribute of a Map named by any of names (aliases across formats:
// Get("acl", "AccessControl")), or nil.
func (v *Value) Get(names ...string) *Attribute {
	if v == nil || v.Type != Map {
		return nil
	}
	for _, a := range v.Attrs {
		for _, n := range names {
			if a.Name == n {
				return a
			}
		}
	}
	return nil
}

// Lookup walks a path of attribute names through nested maps and returns the value or nil.
// Each step takes the first attribute of that name.
func (v *Value) Lookup(path ...string) *Value {
	for _, name := range path {
		a := v.Get(name)
		if a == nil {
			return nil
		}
		v = a.Value
	}
	return v
}

// Elements returns every element stored under name: each repeated HCL block, each item of
// a list, or the single value. It is how views read `ingress` blocks and
// `SecurityGroupIngress` lists alike.
func (v *Value) Elements(names ...string) []*Value {
	if v == nil || v.Type != Map {
		return nil
	}
	var out []*Value
	for _, a := range v.Attrs {
		for _, n := range names {
			if a.Name != n {
				continue
			}
			if a.Value.Type == List {
				out = append(out, a.Value.Items...)
			} else {
				out = append(out, a.Value)
			}
		}
	}
	return out
}

// Strings returns the known string items of a list (or the single string), each with its
// Value so that a finding can point at the offending item. Unknown items are skipped.
func (v *Value) Strings() []*Value {
	if v == nil {
		return nil
	}
	var out []*Value
	switch v.Type {
	case String:
		out = append(out, v)
	case List:
		for _, it := range v.Items {
			if it.Type == String {
				out = append(out, it)
			}
		}
	}
	return out
}

// Walk calls fn for v and every value nested in it, depth first.
func (v *Value) Walk(fn func(*Value)) {
	if v == nil {
		return
	}
	fn(v)
	for _, it := range v.Items {
		it.Walk(fn)
	}
	for _, a := range v.Attrs {
		a.Value.Walk(fn)
	}
}

// Constructors for the small value trees fixes write. They carry no ranges.

// StringValue returns a known string value.
func StringValue(s string) *Value { return &Value{Type: String, Str: s} }

// BoolValue returns a known boolean value.
func BoolValue(b bool) *Value { return &Value{Type: Bool, Bool: b} }

// MapValue returns a map of the given attributes in order; Block marks an HCL nested block.
func MapValue(block bool, attrs ...*Attribute) *Value {
	return &Value{Type: Map, Block: block, Attrs: attrs}
}

// TemplateValue returns a Terraform string template that a fix writes as is: text is what
// goes between the quotes, interpolations included
// (`arn:aws:iam::${data.aws_caller_identity.current.account_id}:root`), and refs are the
// references it makes. Like any interpolated string the parsers read, it is Unknown; its
// text is in Str, which only the Terraform native patcher writes (the others refuse it).
func TemplateValue(text string, refs ...*Ref) *Value {
	return &Value{Type: Unknown, Str: text, Refs: refs}
}

// Attr returns an attribute for a value tree built with the constructors above.
func Attr(name string, v *Value) *Attribute { return &Attribute{Name: name, Value: v} }

// Element is one element stored under a name in a map (ElementsAt): a list item, a nested
// block or the single value, with where a finding about it points (the item, or the
// attribute from its name) and the list or map that holds it.
type Element struct {
	At     interface{ Location() source.Range }
	Value  *Value
	Holder *Value
}

// ElementsAt is Elements for one name, keeping each element's location and holder.
func (v *Value) ElementsAt(name string) []Element {
	if v == nil || v.Type != Map {
		return nil
	}
	var out []Element
	for _, a := range v.Attrs {
		if a.Name != name {
			continue
		}
		if a.Value.Type == List {
			for _, it := range a.Value.Items {
				out = append(out, Element{At: it, Value: it, Holder: a.Value})
			}
			continue
		}
		out = append(out, Element{At: a, Value: a.Value, Holder: v})
	}
	return out
}

// DynamicBlocks returns the Terraform `dynamic` blocks of v generating blocks named by one
// of names: those the loader left unexpanded, as their for_each is not statically known.
func (v *Value) DynamicBlocks(names ...string) []*Attribute {
	if v == nil || v.Type != Map {
		return nil
	}
	var out []*Attribute
	for _, a := range v.Attrs {
		if a.Name == "dynamic" && len(a.Labels) == 1 && slices.Contains(names, a.Labels[0]) {
			out = append(out, a)
		}
	}
	return out
}

// UnexpandedBlocks returns an Unknown value spanning each DynamicBlocks of v named name: such
// a block may generate any number of blocks, so what they hold is not statically known.
func (v *Value) UnexpandedBlocks(name string) []*Value {
	var out []*Value
	for _, a := range v.DynamicBlocks(name) {
		out = append(out, &Value{Type: Unknown, Range: a.Range})
	}
	return out
}

// ReadsOnlyResources reports whether v has references and every one resolves to a resource
// of the scan that is not a data source: an unknown v is then the attribute of a resource
// the scan declares (an id computed at apply time), not a value from outside.
func (v *Value) ReadsOnlyResources() bool {
	if v == nil || len(v.Refs) == 0 {
		return false
	}
	for _, ref := range v.Refs {
		if ref.Target == nil || strings.HasPrefix(string(ref.Target.Kind), "data.") {
			return false
		}
	}
	return true
}
