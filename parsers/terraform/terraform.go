// Package terraform reads Terraform configuration, native syntax (.tf, .tfvars) and JSON
// syntax (.tf.json, .tfvars.json), into graph resources: one per `resource` and `data`
// block, with every attribute, nested block, list item and reference at its exact range.
//
// Parse and ParseJSON read one file: only literal and constant values are known. Scans use
// LoadModules, which evaluates modules as `terraform plan` would: the .tf and .tf.json
// files of a directory are one module, whose declarations either syntax reads; variables
// come from every source in Terraform's order, then locals, Terraform's functions,
// attributes of other resources set in the configuration, count and for_each instances,
// dynamic blocks and local or installed modules. A .tf.json file's blocks are read as
// ParseJSON reads them, keeping its ranges, and every expression of either syntax is
// evaluated through hcl.Expression, where a JSON string is the template it holds. A
// computed value keeps the range of the expression it was written at (in JSON the whole
// string), and its Origin says where it was defined. What depends on anything else (a
// data source, a variable without a value, an attribute known only after apply) stays
// Unknown, with the references it makes: it is never guessed.
package terraform

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// Parse reads a native-syntax file. Syntax errors become diagnostics; the resources hcl
// recovers around them are still returned, but not a block the error is in, whose body
// hcl recovers only in part. A .tfvars file has no resources.
func Parse(f *source.File) ([]*graph.Resource, source.Diagnostics) {
	if diags := tooDeep(f); diags != nil {
		return nil, diags
	}
	file, hdiags := hclsyntax.ParseConfig(f.Src, f.Path, hcl.InitialPos)
	c := newConverter(f, graph.Terraform)
	c.addDiags(hdiags)
	body := file.Body.(*hclsyntax.Body) // ParseConfig's documented type, even on errors
	var out []*graph.Resource
	for _, b := range body.Blocks {
		if b.Type != "resource" && b.Type != "data" || !c.closed(b) {
			continue
		}
		r, ok := c.resource(b.Type, b.Labels, c.rng(b.DefRange()), c.rng(b.Range()))
		if !ok {
			continue
		}
		r.Body = c.body(b)
		out = append(out, r)
	}
	return out, c.diags
}

// closed reports whether hcl found the block's closing brace. After its first syntax error
// hcl stops reporting errors and may end a block anywhere, even at the end of the file
// after swallowing the blocks that follow: such a block is not a resource to check.
func (c *converter) closed(b *hclsyntax.Block) bool {
	at := b.CloseBraceRange.Start.Byte
	return at >= 0 && at < len(c.f.Src) && c.f.Src[at] == '}'
}

// body converts a block's body into a Map with its attributes and nested blocks in source
// order. hclsyntax keeps attributes in a map and blocks in a slice, so the two are merged
// by position.
func (c *converter) body(b *hclsyntax.Block) *graph.Value {
	v := &graph.Value{
		Type:  graph.Map,
		Block: true,
		Range: c.rng(hcl.RangeBetween(b.OpenBraceRange, b.CloseBraceRange)),
	}
	attrs := make([]*hclsyntax.Attribute, 0, len(b.Body.Attributes))
	for _, a := range b.Body.Attributes {
		attrs = append(attrs, a)
	}
	slices.SortFunc(attrs, func(x, y *hclsyntax.Attribute) int { return x.SrcRange.Start.Byte - y.SrcRange.Start.Byte })
	blocks := b.Body.Blocks
	v.Attrs = make([]*graph.Attribute, 0, len(attrs)+len(blocks))
	for len(attrs) > 0 || len(blocks) > 0 {
		if len(blocks) == 0 || len(attrs) > 0 && attrs[0].SrcRange.Start.Byte < blocks[0].TypeRange.Start.Byte {
			if b == c.top && attrs[0].Name == "depends_on" {
				v.Attrs = append(v.Attrs, c.dependsOn(attrs[0]))
				attrs = attrs[1:]
				continue
			}
			v.Attrs = append(v.Attrs, c.attribute(attrs[0]))
			attrs = attrs[1:]
			continue
		}
		v.Attrs = append(v.Attrs, c.nestedBlocks(blocks[0])...)
		blocks = blocks[1:]
	}
	return v
}

// dependsOn converts a resource's depends_on: in a module instance, its items are the
// references they make, Unknown, as Terraform orders by them and never reads them.
// Computing them built each resource named there, all its instances and attributes,
// as a value no rule reads: the most values of any one attribute in terraform-aws-eks.
func (c *converter) dependsOn(a *hclsyntax.Attribute) *graph.Attribute {
	list, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if c.ev == nil || !ok {
		return c.attribute(a)
	}
	items := make([]*graph.Value, len(list.Exprs))
	for i, e := range list.Exprs {
		v := &graph.Value{Type: graph.Unknown, Range: c.rng(e.Range())}
		v.Refs = markWhole(e, c.instanceRefs(e, c.ev.variables(e)))
		items[i] = v
	}
	return &graph.Attribute{
		Name:      a.Name,
		NameRange: c.rng(a.NameRange),
		Range:     c.rng(a.SrcRange),
		Value:     &graph.Value{Type: graph.List, Items: items, Range: c.rng(list.Range())},
	}
}

func (c *converter) attribute(a *hclsyntax.Attribute) *graph.Attribute {
	return &graph.Attribute{
		Name:      a.Name,
		NameRange: c.rng(a.NameRange),
		Range:     c.rng(a.SrcRange),
		Value:     c.expr(a.Expr),
	}
}

// nestedBlocks converts a nested block: a dynamic block whose for_each is known becomes
// the blocks it generates, any other block itself.
func (c *converter) nestedBlocks(b *hclsyntax.Block) []*graph.Attribute {
	if c.ev != nil && b.Type == "dynamic" && len(b.Labels) == 1 {
		if out, ok := c.dynamic(b); ok {
			return out
		}
	}
	return []*graph.Attribute{c.nestedBlock(b)}
}

// dynamic expands a dynamic block into one block per element of its for_each, each
// converted from the content block with the iterator bound. The generated blocks span
// the dynamic block; what they read from the iterator has the for_each's origin, and
// the rest, written once for every block, the dynamic block's header as origin, so that
// no fixer edits one generated block in place.
func (c *converter) dynamic(b *hclsyntax.Block) ([]*graph.Attribute, bool) {
	forEach, ok := b.Body.Attributes["for_each"]
	content := contentBlock(b)
	if !ok || content == nil {
		return nil, false
	}
	bodies, ok := c.generate(b.Labels[0], iterator(b), forEach.Expr, func() *graph.Value { return c.body(content) })
	if !ok {
		return nil, false
	}
	header, whole := c.rng(b.DefRange()), c.rng(b.Range())
	out := make([]*graph.Attribute, len(bodies))
	for i, body := range bodies {
		body.Range = whole
		markComputed(body, header)
		out[i] = &graph.Attribute{Name: b.Labels[0], NameRange: c.rng(b.LabelRanges[0]), Range: whole, Value: body}
	}
	return out, true
}

// generate converts a dynamic block's content once per element of its for_each, with
// the iterator name bound to the element; ok is false when for_each is not known.
func (c *converter) generate(label, name string, forEach hcl.Expression, content func() *graph.Value) (bodies []*graph.Value, ok bool) {
	at := c.rng(forEach.Range())
	coll, diags := c.ev.meter.in(forEach, c.ev.ctx, at)
	if diags.HasErrors() || !coll.IsWhollyKnown() || coll.IsNull() || coll.IsMarked() || !coll.CanIterateElements() ||
		c.ev.meter.allow(coll.LengthInt(), at, fmt.Sprintf("dynamic %q for_each", label)) < coll.LengthInt() {
		return nil, false
	}
	origin := c.ev.derive(forEach, c.rng(forEach.Range()), fmt.Sprintf("dynamic %q for_each", label))
	parent, saved, had := c.ev.ctx, c.ev.origins[name], hasOrigin(c.ev, name)
	defer func() {
		c.ev.ctx = parent
		restoreOrigin(c.ev, name, saved, had)
	}()
	c.ev.origins[name] = origin
	c.locals = append(c.locals, name)
	defer func() { c.locals = c.locals[:len(c.locals)-1] }()
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		c.ev.ctx = parent.NewChild()
		c.ev.ctx.Variables = map[string]cty.Value{name: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
		bodies = append(bodies, content())
	}
	return bodies, true
}

// contentBlock returns a dynamic block's content block, or nil.
func contentBlock(b *hclsyntax.Block) *hclsyntax.Block {
	for _, nb := range b.Body.Blocks {
		if nb.Type == "content" {
			return nb
		}
	}
	return nil
}

func hasOrigin(ev *evaluator, name string) bool { _, ok := ev.origins[name]; return ok }

// restoreOrigin puts back the origin a nested iterator of the same name shadowed.
func restoreOrigin(ev *evaluator, name string, saved origin, had bool) {
	if had {
		ev.origins[name] = saved
		return
	}
	delete(ev.origins, name)
}

func (c *converter) nestedBlock(b *hclsyntax.Block) *graph.Attribute {
	if b.Type == "dynamic" && len(b.Labels) == 1 {
		// Inside a dynamic block its iterator (the label unless `iterator` renames it)
		// is a local symbol like each, not a reference to a resource type.
		c.locals = append(c.locals, iterator(b))
		defer func() { c.locals = c.locals[:len(c.locals)-1] }()
		if c.ev != nil {
			defer c.ev.unknownIterator(iterator(b))()
		}
	}
	return &graph.Attribute{
		Name:      b.Type,
		Labels:    b.Labels,
		NameRange: c.rng(b.TypeRange),
		Range:     c.rng(b.Range()),
		Value:     c.body(b),
	}
}

// unknownIterator binds the iterator of a dynamic block whose for_each is not known,
// while its content is converted as written; the returned function unbinds it. Reading
// it.key or it.value fails either way, but an unknown root name makes hcl rank every
// name of the context by Levenshtein distance for a "did you mean" nobody reads, while
// an attribute missing from an empty object fails at once. A name the context already
// has is left alone.
func (ev *evaluator) unknownIterator(name string) func() {
	for ctx := ev.ctx; ctx != nil; ctx = ctx.Parent() {
		if _, bound := ctx.Variables[name]; bound {
			return func() {}
		}
	}
	parent := ev.ctx
	ev.ctx = parent.NewChild()
	ev.ctx.Variables = map[string]cty.Value{name: cty.EmptyObjectVal}
	return func() { ev.ctx = parent }
}

// iterator returns the name a dynamic block's content uses for the current element.
func iterator(b *hclsyntax.Block) string {
	if a, ok := b.Body.Attributes["iterator"]; ok {
		if name := hcl.ExprAsKeyword(a.Expr); name != "" {
			return name
		}
	}
	return b.Labels[0]
}

// blockBody converts the body of a module file's block: a native block's, or the object
// that declares it in JSON.
func (c *converter) blockBody(fb fileBlock) *graph.Value {
	if fb.native != nil {
		c.top = fb.native
		defer func() { c.top = nil }()
		return c.body(fb.native)
	}
	return c.jsonValue(fb.json.body, true)
}
