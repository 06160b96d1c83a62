package terraform

import (
	"fmt"
	"path"
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// converter holds what both syntaxes share while turning one file into resources: the
// file (every position is rebuilt from hcl's byte offsets, because hcl counts columns in
// grapheme clusters and source.Pos counts code points), the diagnostics so far and the
// headers of the addresses already declared.
type converter struct {
	f        *source.File
	format   graph.Format
	diags    source.Diagnostics
	declared map[string]source.Range
	locals   []string         // names bound by enclosing dynamic blocks: never references
	errs     []int            // where hcl's error diagnostics start (byte offsets)
	ev       *evaluator       // set when the file is evaluated as part of a module instance
	top      *hclsyntax.Block // the resource or data block whose body is being converted
}

func newConverter(f *source.File, format graph.Format) *converter {
	return &converter{f: f, format: format, declared: map[string]source.Range{}}
}

// rng converts an hcl range. Offsets are clamped into the file and the end never precedes
// the start, so that a range from a recovered, partial parse is still a valid span.
func (c *converter) rng(r hcl.Range) source.Range {
	start := max(0, min(r.Start.Byte, len(c.f.Src)))
	end := max(start, min(r.End.Byte, len(c.f.Src)))
	return c.span(start, end)
}

// span builds the range between two valid offsets.
func (c *converter) span(start, end int) source.Range {
	return source.Range{Path: c.f.Path, Start: c.f.PosAt(start), End: c.f.PosAt(end)}
}

// text returns the source bytes of r.
func (c *converter) text(r source.Range) string { return string(c.f.Src[r.Start.Byte:r.End.Byte]) }

// addDiags wraps hcl diagnostics, keeping their summary, detail and exact subject.
func (c *converter) addDiags(ds hcl.Diagnostics) {
	for _, d := range ds {
		sd := source.Diagnostic{Severity: source.Error, Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			sd.Severity = source.Warning
		}
		if d.Subject != nil {
			r := c.rng(*d.Subject)
			sd.Subject = &r
			if sd.Severity == source.Error {
				c.errs = append(c.errs, r.Start.Byte)
			}
		}
		c.diags = append(c.diags, sd)
	}
}

// resource builds a resource from a `resource` or `data` block's labels. ok is false when
// the labels are not exactly a type and a name (an error diagnostic then says so), and
// for a block with a syntax error: hcl recovers only part of its body, and rules would
// report every lost attribute as missing.
func (c *converter) resource(block string, labels []string, header, whole source.Range) (r *graph.Resource, ok bool) {
	if c.broken(whole) {
		return nil, false
	}
	if len(labels) != 2 {
		c.diags = append(c.diags, source.Diagnostic{
			Severity: source.Error,
			Summary:  fmt.Sprintf("Invalid %s block", block),
			Detail:   fmt.Sprintf("A %s block needs exactly two labels, the type and the name; found %d.", block, len(labels)),
			Subject:  &header,
		})
		return nil, false
	}
	typ, name := labels[0], labels[1]
	address, kind := typ+"."+name, graph.TerraformKind(typ)
	if block == "data" {
		address, kind = "data."+address, "data."+kind
	}
	c.checkUnique(block, typ, name, address, header)
	return &graph.Resource{
		ID:     graph.ID{Path: c.f.Path, Address: address},
		Kind:   kind,
		Native: typ,
		Format: c.format,
		Scope:  path.Dir(c.f.Path),
		Name:   name,
		Range:  whole,
		Header: header,
	}, true
}

// broken reports whether an hcl error starts inside r.
func (c *converter) broken(r source.Range) bool {
	for _, at := range c.errs {
		if at >= r.Start.Byte && at < r.End.Byte {
			return true
		}
	}
	return false
}

// checkUnique reports a second declaration of an address, as Terraform would; both
// resources are kept so that rules still check each of them.
func (c *converter) checkUnique(block, typ, name, address string, header source.Range) {
	first, dup := c.declared[address]
	if !dup {
		c.declared[address] = header
		return
	}
	c.diags = append(c.diags, source.Diagnostic{
		Severity: source.Error,
		Summary:  fmt.Sprintf("Duplicate %s %q configuration", block, typ),
		Detail: fmt.Sprintf("A %s %s named %q was already declared at %s:%d:%d. Names must be unique per type in each module.",
			typ, block, name, first.Path, first.Start.Line, first.Start.Column),
		Subject: &header,
	})
}

// known converts a wholly known cty value into a scalar Value. Collections produced by
// evaluation have no per-item ranges, so they stay Unknown rather than pretend to have them.
// literal says the source text of r is the number as written.
func (c *converter) known(v cty.Value, r source.Range, literal bool) *graph.Value {
	out := &graph.Value{Type: graph.Unknown, Range: r}
	switch {
	case !v.IsWhollyKnown() || v.IsMarked():
	case v.IsNull():
		out.Type = graph.Null
	case v.Type() == cty.String:
		out.Type, out.Str = graph.String, v.AsString()
	case v.Type() == cty.Bool:
		out.Type, out.Bool = graph.Bool, v.True()
	case v.Type() == cty.Number:
		out.Type = graph.Number
		out.Num, _ = v.AsBigFloat().Float64()
		if literal {
			out.Str = c.text(r)
		} else {
			out.Str = strconv.FormatFloat(out.Num, 'f', -1, 64)
		}
	}
	return out
}

// unknown builds an Unknown value with the references its traversals make.
func (c *converter) unknown(r source.Range, vars []hcl.Traversal) *graph.Value {
	return &graph.Value{Type: graph.Unknown, Range: r, Refs: c.refs(vars)}
}

// refs turns root traversals into Refs, skipping the ones that name no configuration
// object (self, each, count, path, terraform, dynamic block iterators) or are too short
// to name one.
//
// The Refs are allocated together, in one array of len(vars) that never grows.
func (c *converter) refs(vars []hcl.Traversal) []*graph.Ref {
	var out []*graph.Ref
	var refs []graph.Ref
	for _, t := range vars {
		if slices.Contains(c.locals, t.RootName()) {
			continue
		}
		address, attr, ok := refAddress(t)
		if !ok {
			continue
		}
		if refs == nil {
			refs, out = make([]graph.Ref, 0, len(vars)), make([]*graph.Ref, 0, len(vars))
		}
		refs = append(refs, graph.Ref{Address: address, Attr: attr, Range: c.rng(t.SourceRange())})
		out = append(out, &refs[len(refs)-1])
	}
	return out
}

// instanceRefs returns the references e makes (its variables vars), as refs does, naming the module instance's
// resources by their full address: the module path, and for a resource with count or
// for_each the instance the index selects when it is known (aws_s3_bucket.b[each.key]).
func (c *converter) instanceRefs(e hcl.Expression, vars []hcl.Traversal) []*graph.Ref {
	out := c.refs(vars)
	if len(out) == 0 {
		return nil
	}
	keys := c.indexKeys(e)
	for _, ref := range out {
		k := keys[ref.Range.Start.Byte]
		key := ""
		if c.ev.expanded[ref.Address] {
			key = k.key
		}
		if ref.Attr == "" {
			ref.Attr = k.attr
		}
		ref.Address = c.ev.prefix + ref.Address + key // one string
	}
	return out
}

// indexed is what follows a resource address in a traversal: the instance key and the
// attribute read after it (aws_s3_bucket.b[each.key].id: ["k"] and id).
type indexed struct{ key, attr string }

// indexKeys maps where a traversal starts to the known instance key it is indexed with,
// written either in the traversal (b[0]) or as an index expression (b[each.key]).
// It is nil when there is none, as for most expressions.
func (c *converter) indexKeys(e hcl.Expression) map[int]indexed {
	if ne, native := e.(hclsyntax.Expression); native {
		return c.syntaxIndexKeys(ne, c.ev.facts, nil) // without the closure, which would escape
	}
	var keys map[int]indexed
	nativeParts(e, func(ne hclsyntax.Expression) bool {
		keys = c.syntaxIndexKeys(ne, nil, keys) // a JSON string's template is parsed anew each time: not kept
		return true
	})
	return keys
}

// syntaxIndexKeys adds the instance keys of a native expression to keys, from the nodes
// its facts (from sf) list, and returns keys, made when the first is added.
func (c *converter) syntaxIndexKeys(e hclsyntax.Expression, sf *syntaxFacts, keys map[int]indexed) map[int]indexed {
	var nodes []hclsyntax.Node
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return keys
	case *hclsyntax.ScopeTraversalExpr: // the facts of a lone traversal are not walked
		nodes = []hclsyntax.Node{e}
	default:
		nodes = sf.of(e).indexes
	}
	if len(nodes) > 0 && keys == nil {
		keys = map[int]indexed{}
	}
	for _, n := range nodes {
		switch n := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			if k, ok := traversalIndex(n.Traversal); ok {
				keys[c.rng(n.SrcRange).Start.Byte] = indexed{key: instanceKey(k)}
			}
		case *hclsyntax.RelativeTraversalExpr:
			if at, k, ok := c.dynamicIndex(n.Source); ok && len(n.Traversal) > 0 {
				if a, isAttr := n.Traversal[0].(hcl.TraverseAttr); isAttr {
					keys[at] = indexed{key: k, attr: a.Name}
				}
			}
		case *hclsyntax.IndexExpr:
			if at, k, ok := c.dynamicIndex(n); ok && keys[at].attr == "" {
				keys[at] = indexed{key: k}
			}
		}
	}
	return keys
}

// dynamicIndex reads an index expression on a traversal, b[each.key]: where the
// traversal starts and the key, when it is known.
func (c *converter) dynamicIndex(e hclsyntax.Expression) (at int, key string, ok bool) {
	ix, isIndex := e.(*hclsyntax.IndexExpr)
	if !isIndex {
		return 0, "", false
	}
	coll, isTraversal := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
	if !isTraversal {
		return 0, "", false
	}
	k, diags := ix.Key.Value(c.ev.ctx)
	if diags.HasErrors() || !k.IsWhollyKnown() || k.IsNull() {
		return 0, "", false
	}
	return c.rng(coll.SrcRange).Start.Byte, instanceKey(k), true
}

// traversalIndex returns the index that follows a resource address in t, as in
// aws_s3_bucket.b[0].id or data.T.N["k"].json.
func traversalIndex(t hcl.Traversal) (cty.Value, bool) {
	parts := 1
	if t.RootName() == "data" {
		parts = 2
	}
	for _, step := range t[1:] {
		switch s := step.(type) {
		case hcl.TraverseAttr:
			if parts == 0 {
				return cty.NilVal, false
			}
			parts--
		case hcl.TraverseIndex:
			return s.Key, parts == 0
		}
	}
	return cty.NilVal, false
}

// instanceKey formats an instance key as Terraform addresses show it: [0], ["logs"].
func instanceKey(k cty.Value) string {
	if k.IsMarked() || !k.IsKnown() || k.IsNull() {
		return ""
	}
	switch k.Type() {
	case cty.String:
		return "[" + strconv.Quote(k.AsString()) + "]"
	case cty.Number:
		_, text := number(k.AsBigFloat())
		return "[" + text + "]"
	}
	return ""
}

// refAddress splits a traversal into the address of what it names and the attribute read
// from it: aws_s3_bucket.b[0].id → ("aws_s3_bucket.b", "id"). Index steps are skipped.
func refAddress(t hcl.Traversal) (address, attr string, ok bool) {
	root := t.RootName()
	parts := 1 // attribute steps that belong to the address
	switch root {
	case "", "self", "each", "count", "path", "terraform":
		return "", "", false
	case "data":
		parts = 2
	}
	address = root
	for _, step := range t[1:] {
		a, isAttr := step.(hcl.TraverseAttr)
		if !isAttr {
			continue
		}
		if parts == 0 {
			return address, a.Name, true
		}
		address += "." + a.Name
		parts--
	}
	return address, "", parts == 0
}

// maxNesting bounds how deeply a file may nest brackets and unary operators. hcl's parsers
// recurse once per level, and a crafted file of some hundred thousand "[" or "!" exhausts
// the goroutine stack: a fatal error that no recover catches. Real configurations nest a
// few dozen levels.
const maxNesting = 1000

// tooDeep returns an error diagnostic when src nests deeper than maxNesting, else nil. It
// looks at raw bytes, strings and comments included, so it may refuse a file hcl could
// parse, but never lets one through that would crash it.
func tooDeep(f *source.File) source.Diagnostics {
	depth, unary := 0, 0 // open brackets; the run of "!" and "-" before the next operand
	for i, b := range f.Src {
		switch b {
		case '{', '[', '(':
			depth, unary = depth+1, 0
		case '}', ']', ')':
			depth, unary = max(0, depth-1), 0
		case '!', '-':
			unary++
		case ' ', '\t':
		default:
			unary = 0
		}
		if depth+unary > maxNesting {
			r := f.Range(i, i+1)
			return source.Diagnostics{{
				Severity: source.Error,
				Summary:  "Nesting too deep",
				Detail:   fmt.Sprintf("Brackets and unary operators nest more than %d levels here; the file is not read.", maxNesting),
				Subject:  &r,
			}}
		}
	}
	return nil
}
