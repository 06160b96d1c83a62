package terraform

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// rootSchema asks the JSON body for the `resource` and `data` properties without labels:
// hcl then accepts them repeated or as arrays of objects, as Terraform does, and hands each
// object over as a body whose type properties are read as expressions, which keep ranges.
var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "resource"}, {Type: "data"}}}

// ParseJSON reads a JSON-syntax file (.tf.json, .tfvars.json) into the same resources Parse
// builds. A resource's header is its name's key, and its range runs from that key to the
// end of its object. JSON objects become Maps (never Blocks: JSON cannot tell a nested
// block from an object value), arrays become Lists, and strings holding a template are
// Unknown unless the template is constant.
func ParseJSON(f *source.File) ([]*graph.Resource, source.Diagnostics) {
	if diags := tooDeep(f); diags != nil {
		return nil, diags
	}
	file, hdiags := hcljson.Parse(f.Src, f.Path)
	c := newConverter(f, graph.TerraformJSON)
	c.addDiags(hdiags)
	content, _, cdiags := file.Body.PartialContent(rootSchema)
	c.addDiags(cdiags)
	var out []*graph.Resource
	for _, b := range content.Blocks {
		types, diags := b.Body.JustAttributes()
		c.addDiags(diags)
		for _, t := range sortedAttributes(types) {
			c.jsonBlocks(t, 2, func(labels []string, header hcl.Range, body hcl.Expression) {
				r, ok := c.resource(b.Type, labels, c.rng(header), c.rng(hcl.RangeBetween(header, body.Range())))
				if ok {
					r.Body = c.jsonValue(body, true)
					out = append(out, r)
				}
			})
		}
	}
	return out, c.diags
}

// jsonBlocks calls fn with the blocks declared under a, a property of a block type's
// object ({"aws_s3_bucket": {"b": {body}}} for a resource, {"name": {body}} for a
// variable), where each level may also be an array of objects: their labels, a's name
// first, the key of the last one, which is the block's header, and their body's object.
func (c *converter) jsonBlocks(a *hcl.Attribute, labels int, fn func(labels []string, header hcl.Range, body hcl.Expression)) {
	c.jsonLabels([]string{a.Name}, a.NameRange, a.Expr, labels-1, fn)
}

// jsonLabels reads the objects of e, which has the labels so far and left more to come.
func (c *converter) jsonLabels(labels []string, key hcl.Range, e hcl.Expression, left int, fn func([]string, hcl.Range, hcl.Expression)) {
	for _, obj := range c.jsonObjects(e) {
		if left <= 0 {
			fn(labels, key, obj)
			continue
		}
		// jsonObjects returned objects only, and hcl reported any broken one when parsing.
		pairs, _ := hcl.ExprMap(obj)
		for _, p := range pairs {
			c.jsonLabels(append(slices.Clip(labels), jsonKey(p.Key)), p.Key.Range(), p.Value, left-1, fn)
		}
	}
}

// jsonAttrs returns the properties of a block's object as its arguments, as hcl's
// JustAttributes reads a JSON body: "//" is a comment, and a repeated name keeps its
// first value.
func jsonAttrs(obj hcl.Expression) hcl.Attributes {
	pairs, _ := hcl.ExprMap(obj)
	attrs := make(hcl.Attributes, len(pairs))
	for _, p := range pairs {
		name := jsonKey(p.Key)
		if _, dup := attrs[name]; dup || name == "//" {
			continue
		}
		attrs[name] = &hcl.Attribute{
			Name: name, Expr: p.Value, Range: hcl.RangeBetween(p.Key.Range(), p.Value.Range()), NameRange: p.Key.Range(),
		}
	}
	return attrs
}

// jsonObjects returns the objects where Terraform expects block content: the value itself
// or each item of an array; null stands for none.
func (c *converter) jsonObjects(e hcl.Expression) []hcl.Expression {
	switch c.jsonStart(e) {
	case '{':
		return []hcl.Expression{e}
	case '[':
		items, diags := hcl.ExprList(e)
		c.addDiags(diags)
		objects := make([]hcl.Expression, 0, len(items))
		for _, it := range items {
			if c.jsonStart(it) == '{' {
				objects = append(objects, it)
				continue
			}
			c.invalidJSON(it)
		}
		return objects
	case 'n':
		return nil
	}
	c.invalidJSON(e)
	return nil
}

func (c *converter) invalidJSON(e hcl.Expression) {
	r := c.rng(e.Range())
	c.diags = append(c.diags, source.Diagnostic{
		Severity: source.Error,
		Summary:  "Incorrect JSON value type",
		Detail:   "A JSON object, or an array of objects, is required here to declare blocks.",
		Subject:  &r,
	})
}

// jsonValue converts a JSON value. In a body (a resource's object), "//" properties are
// comments, as in Terraform.
func (c *converter) jsonValue(e hcl.Expression, body bool) *graph.Value {
	r := c.rng(e.Range())
	switch c.jsonStart(e) {
	case '{':
		pairs, diags := hcl.ExprMap(e)
		if diags.HasErrors() {
			return c.unknown(r, nil)
		}
		return c.jsonObject(e, pairs, r, body)
	case '[':
		exprs, diags := hcl.ExprList(e)
		if diags.HasErrors() {
			return c.unknown(r, nil)
		}
		items := make([]*graph.Value, len(exprs))
		for i, it := range exprs {
			items[i] = c.jsonValue(it, false)
		}
		return &graph.Value{Type: graph.List, Items: items, Range: r}
	}
	v, diags := e.Value(nil) // a nil context returns strings verbatim, templates unparsed
	if diags.HasErrors() {
		return c.unknown(r, nil)
	}
	if v.Type() == cty.String && isTemplate(v.AsString()) {
		return c.jsonTemplate(v.AsString(), r)
	}
	return c.known(v, r, true)
}

func (c *converter) jsonObject(e hcl.Expression, pairs []hcl.KeyValuePair, r source.Range, body bool) *graph.Value {
	attrs := make([]*graph.Attribute, 0, len(pairs))
	for _, p := range pairs {
		name := jsonKey(p.Key)
		if body && name == "//" {
			continue
		}
		if body && name == "dynamic" {
			if blocks, ok := c.jsonDynamic(p.Value); ok {
				attrs = append(attrs, blocks...)
				continue
			}
		}
		if !body && isTemplate(name) {
			// A computed key leaves the map's shape unknown, as in the native syntax,
			// unless the object is evaluated.
			return c.jsonComputed(e, r)
		}
		attrs = append(attrs, &graph.Attribute{
			Name:      name,
			NameRange: c.rng(p.Key.Range()),
			Range:     c.rng(hcl.RangeBetween(p.Key.Range(), p.Value.Range())),
			Value:     c.jsonValue(p.Value, false),
		})
	}
	return &graph.Value{Type: graph.Map, Attrs: attrs, Range: r}
}

// jsonDynamic converts the value e of a body's "dynamic" property:
// {"ingress": {"for_each": …, "iterator": …, "content": {…}}}, each label's value an
// object or an array of them. Each block is expanded as the native syntax expands it
// when its for_each is known; else it keeps the native shape, an attribute "dynamic"
// labelled "ingress", in which the iterator is no reference. ok is false, and the property
// is kept as written, when it is not such an object.
func (c *converter) jsonDynamic(e hcl.Expression) ([]*graph.Attribute, bool) {
	if c.jsonStart(e) != '{' {
		return nil, false
	}
	pairs, diags := hcl.ExprMap(e)
	if diags.HasErrors() {
		return nil, false
	}
	out := []*graph.Attribute{}
	for _, p := range pairs {
		blocks := []hcl.Expression{p.Value}
		if c.jsonStart(p.Value) == '[' {
			if blocks, diags = hcl.ExprList(p.Value); diags.HasErrors() {
				return nil, false
			}
		}
		for _, b := range blocks {
			if c.jsonStart(b) != '{' {
				return nil, false
			}
			label := jsonKey(p.Key)
			if generated, ok := c.jsonDynamicBlock(label, p.Key.Range(), b); ok {
				out = append(out, generated...)
				continue
			}
			out = append(out, c.jsonDynamicAsWritten(label, p.Key.Range(), b))
		}
	}
	return out, true
}

// jsonDynamicAsWritten is a dynamic block that is not expanded, in the native shape: its
// body converted with its iterator bound as a local name. Its name is the label's key,
// where the block starts (several blocks share the "dynamic" key).
func (c *converter) jsonDynamicAsWritten(label string, labelKey hcl.Range, b hcl.Expression) *graph.Attribute {
	c.locals = append(c.locals, jsonIterator(label, jsonAttrs(b)))
	defer func() { c.locals = c.locals[:len(c.locals)-1] }()
	body := c.jsonValue(b, true)
	body.Block = true
	return &graph.Attribute{Name: "dynamic", Labels: []string{label}, NameRange: c.rng(labelKey),
		Range: c.rng(hcl.RangeBetween(labelKey, b.Range())), Value: body}
}

// jsonIterator is the name a dynamic block's content uses for the current element: the
// label unless "iterator" renames it.
func jsonIterator(label string, attrs hcl.Attributes) string {
	if it, ok := attrs["iterator"]; ok {
		if kw := hcl.ExprAsKeyword(it.Expr); kw != "" {
			return kw
		}
	}
	return label
}

// jsonDynamicBlock expands one dynamic block, the object b under the key of its label,
// when it is evaluated and its for_each is known. The generated blocks span the block,
// and take its label's key as their header.
func (c *converter) jsonDynamicBlock(label string, key hcl.Range, b hcl.Expression) ([]*graph.Attribute, bool) {
	attrs := jsonAttrs(b)
	forEach, content := attrs["for_each"], attrs["content"]
	if c.ev == nil || forEach == nil || content == nil || c.jsonStart(content.Expr) != '{' {
		return nil, false
	}
	bodies, ok := c.generate(label, jsonIterator(label, attrs), forEach.Expr, func() *graph.Value { return c.jsonValue(content.Expr, true) })
	if !ok {
		return nil, false
	}
	header, whole := c.rng(key), c.rng(hcl.RangeBetween(key, b.Range()))
	out := make([]*graph.Attribute, len(bodies))
	for i, body := range bodies {
		body.Range = whole
		markComputed(body, header)
		out[i] = &graph.Attribute{Name: label, NameRange: header, Range: whole, Value: body}
	}
	return out, true
}

// jsonTemplate converts a string holding "${" or "%{" as the native syntax converts a
// template: constant ones (an escaped "$${" included) are Strings, the others Unknown with
// their references. hcl positions the template as if its decoded text started after the
// opening quote, so escapes and invalid UTF-8 (decoded to three-byte U+FFFD) shift the
// positions of references: they are kept inside the string rather than past it.
func (c *converter) jsonTemplate(s string, r source.Range) *graph.Value {
	start := hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	tmpl, diags := hclsyntax.ParseTemplate([]byte(s), c.f.Path, start)
	if diags.HasErrors() {
		c.addDiags(diags)
		return c.unknown(r, nil)
	}
	if c.ev != nil {
		// The value, whatever its type, is the string's: a list a template evaluates to
		// has its items at the string too.
		v := c.computed(tmpl, r)
		c.clampRefs(v, r)
		return v
	}
	v := c.expr(tmpl)
	v.Range = r
	c.clampRefs(v, r)
	return v
}

// jsonComputed converts a JSON value that is not a structure with known keys: evaluated
// in a module instance, else Unknown with its references.
func (c *converter) jsonComputed(e hcl.Expression, r source.Range) *graph.Value {
	vars := e.Variables()
	if c.ev == nil {
		v := c.unknown(r, vars)
		c.clampRefs(v, r)
		return v
	}
	v, ok := c.ev.evaluate(e, r, vars)
	if !ok {
		v = &graph.Value{Type: graph.Unknown, Range: r}
	}
	v.Refs = c.instanceRefs(e, vars)
	c.clampRefs(v, r)
	return v
}

// clampRefs keeps the references of a value read from a JSON string inside the string.
func (c *converter) clampRefs(v *graph.Value, r source.Range) {
	for _, ref := range v.Refs {
		start := min(max(ref.Range.Start.Byte, r.Start.Byte), r.End.Byte)
		end := min(max(ref.Range.End.Byte, start), r.End.Byte)
		ref.Range = c.span(start, end)
	}
}

// jsonKey returns an object key: hcl gives JSON keys as string expressions, which a nil
// context evaluates verbatim.
func jsonKey(k hcl.Expression) string {
	v, _ := k.Value(nil)
	if v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// jsonStart returns the first byte of a JSON value, which tells its type without asking
// hcl to build (and fail with) a diagnostic: '{', '[', 'n' for null, or another byte.
func (c *converter) jsonStart(e hcl.Expression) byte {
	start := e.Range().Start.Byte
	if start < 0 || start >= len(c.f.Src) {
		return 0
	}
	return c.f.Src[start]
}

func isTemplate(s string) bool {
	return strings.Contains(s, "${") || strings.Contains(s, "%{")
}

// sortedAttributes returns hcl attributes, which come in a map, in source order.
func sortedAttributes(m hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *hcl.Attribute) int { return x.Range.Start.Byte - y.Range.Start.Byte })
	return out
}
