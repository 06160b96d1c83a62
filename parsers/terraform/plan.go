package terraform

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// A Terraform plan in its JSON representation (`terraform show -json PLAN`) knows what
// evaluating the configuration alone cannot: the variables given with -var or from a
// secret store in CI, and the values of data sources and of other resources' attributes.
//
// When the plan's directory is a root module of the scan, the plan feeds that
// evaluation: its variables are the root module's (a value from it is traced as
// "var.admin_cidr from the plan", defined at the value in the plan), and what the
// evaluation still leaves Unknown takes the planned value. The findings then point at the
// .tf attribute that produces the value, once: the plan's own view of a resource the
// configuration declares is not added. Without the configuration, the plan's resources
// are read from it, ranged in the plan file, as resources of the TerraformPlan format;
// nothing edits a plan.

// plan is one plan file, read with positions.
type plan struct {
	file *source.File
	dir  string // the root module directory it was made in: the plan file's own
	// vars are the root module's variable values, by name.
	vars map[string]*document.Node
	// changes are the resource_changes entries that leave a resource (not deletions).
	changes []planChange
	// config indexes the configuration section's resources by their address without
	// instance keys ("module.web.aws_s3_bucket.b"), for the references they make.
	config map[string]*document.Node
	// rootConfig are the addresses of the root module's own resources in the
	// configuration section, which tell the root module the plan was made in.
	rootConfig map[string]bool
}

// planChange is one resource instance the plan leaves in place or creates.
type planChange struct {
	entry   *document.Node // the resource_changes entry
	address string         // "module.web.aws_s3_bucket.b[0]"
	config  string         // the address without the resource's own key
	prefix  string         // the module path of the address: "module.web."
	mode    string         // "managed" or "data"
	typ     string
	name    string
	after   *document.Node // the planned values
	unknown *document.Node // after_unknown: what is known only after apply
}

// readPlan reads a plan's JSON representation. A file that is not one gives an error
// diagnostic.
func readPlan(f *source.File) (*plan, source.Diagnostics) {
	root, diags := document.ParseJSON(f)
	if root == nil {
		return nil, diags
	}
	whole := root.Range
	if root.Kind != document.Mapping || root.Get("format_version") == nil {
		return nil, append(diags, source.Errorf(&whole, "not a Terraform plan in JSON (terraform show -json): no format_version"))
	}
	if v := root.Get("format_version"); v.Kind == document.Scalar && !strings.HasPrefix(v.Value, "0.") && !strings.HasPrefix(v.Value, "1.") {
		return nil, append(diags, source.Errorf(&v.Range, "Terraform plan JSON format %s is not supported (1.x is)", v.Value))
	}
	p := &plan{file: f, dir: path.Dir(f.Path), vars: map[string]*document.Node{}, config: map[string]*document.Node{}, rootConfig: map[string]bool{}}
	if vs := root.Get("variables"); vs != nil && vs.Kind == document.Mapping {
		for _, pr := range vs.Pairs {
			if v := pr.Value.Get("value"); v != nil {
				p.vars[pr.Key.Value] = v
			}
		}
	}
	if cfg := root.Get("configuration"); cfg != nil {
		p.indexConfig(cfg.Get("root_module"), "")
		for address := range p.config {
			if !strings.HasPrefix(address, "module.") {
				p.rootConfig[address] = true
			}
		}
	}
	if rc := root.Get("resource_changes"); rc != nil && rc.Kind == document.Sequence {
		for _, e := range rc.Items {
			if c, ok := readChange(e); ok {
				p.changes = append(p.changes, c)
			}
		}
	}
	return p, diags
}

// readChange reads a resource_changes entry; ok is false for one that removes the
// resource or lacks what names it.
func readChange(e *document.Node) (planChange, bool) {
	str := func(key string) string {
		if n := e.Get(key); n != nil && n.Kind == document.Scalar {
			return n.Value
		}
		return ""
	}
	c := planChange{entry: e, address: str("address"), mode: str("mode"), typ: str("type"), name: str("name")}
	change := e.Get("change")
	if c.address == "" || c.typ == "" || c.name == "" || change == nil {
		return c, false
	}
	c.after, c.unknown = change.Get("after"), change.Get("after_unknown")
	if c.after == nil || c.after.Kind != document.Mapping {
		return c, false // deleted, or nothing planned
	}
	if m := str("module_address"); m != "" {
		c.prefix = m + "."
	}
	local := c.typ + "." + c.name
	if c.mode == "data" {
		local = "data." + local
	}
	c.config = c.prefix + local
	return c, true
}

// indexConfig records the configuration resources of a module and of the modules it
// calls, by address without instance keys.
func (p *plan) indexConfig(m *document.Node, prefix string) {
	if m == nil {
		return
	}
	if rs := m.Get("resources"); rs != nil && rs.Kind == document.Sequence {
		for _, r := range rs.Items {
			if a := r.Get("address"); a != nil && a.Kind == document.Scalar {
				p.config[prefix+a.Value] = r
			}
		}
	}
	if calls := m.Get("module_calls"); calls != nil && calls.Kind == document.Mapping {
		for _, c := range calls.Pairs {
			p.indexConfig(c.Value.Get("module"), prefix+"module."+c.Key.Value+".")
		}
	}
}

// moduleKeys drops the instance keys of module calls from a module path
// ("module.web[0]." → "module.web."), as the configuration section names them.
func moduleKeys(prefix string) string {
	var b strings.Builder
	depth := 0
	for _, r := range prefix {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// variable returns a plan variable's value as a cty value, and false when its JSON does
// not read as one.
func (p *plan) variable(name string) (cty.Value, bool) {
	n := p.vars[name]
	src := p.file.Src[n.Range.Start.Byte:n.Range.End.Byte]
	ty, err := ctyjson.ImpliedType(src)
	if err != nil {
		return cty.NilVal, false
	}
	v, err := ctyjson.Unmarshal(src, ty)
	return v, err == nil
}

// resources returns the plan's own view of its resources: every change not in skip (the
// addresses the configuration of the scan declares), ranged in the plan.
func (p *plan) resources(skip func(planChange) bool) []*graph.Resource {
	var out []*graph.Resource
	known := map[string]bool{}
	for _, c := range p.changes {
		known[c.address] = true
	}
	for _, c := range p.changes {
		if skip != nil && skip(c) {
			continue
		}
		kind := c.typ
		if c.mode == "data" {
			kind = "data." + c.typ
		}
		header := c.entry.Range
		if a := c.entry.Get("address"); a != nil {
			header = a.Range
		}
		body := planBody(c.after, c.unknown, c.after.Range)
		p.addRefs(c, body, known)
		out = append(out, &graph.Resource{
			ID:     graph.ID{Path: p.file.Path, Address: c.address},
			Kind:   graph.Kind(kind),
			Native: c.typ,
			Format: graph.TerraformPlan,
			Scope:  p.file.Path,
			Name:   c.name,
			Range:  c.entry.Range,
			Header: header,
			Body:   body,
		})
	}
	return out
}

// addRefs gives the top-level values of a plan resource the references its configuration
// expression makes to other resources of the plan, so that the graph links them as it
// links the configuration: `bucket = aws_s3_bucket.b.id` names the bucket.
func (p *plan) addRefs(c planChange, body *graph.Value, known map[string]bool) {
	cfg := p.config[moduleKeys(c.config)]
	if cfg == nil {
		return
	}
	exprs := cfg.Get("expressions")
	for _, a := range body.Attrs {
		e := exprs.Get(a.Name)
		if e == nil || e.Get("references") == nil {
			continue
		}
		var refs []*graph.Ref
		for _, r := range e.Get("references").Items {
			if ref := resolvePlanRef(c.prefix, r.Value, known); ref != nil && !slices.ContainsFunc(refs, func(x *graph.Ref) bool { return x.Address == ref.Address }) {
				ref.Range = a.Value.Range
				refs = append(refs, ref)
			}
		}
		if len(refs) == 1 && a.Value.Type != graph.List && a.Value.Type != graph.Map {
			refs[0].Whole = true // the value is the one resource's attribute
		}
		a.Value.Refs = append(a.Value.Refs, refs...)
	}
}

// resolvePlanRef resolves a configuration reference ("aws_s3_bucket.b.id",
// "aws_s3_bucket.b[0]") made in the module at prefix to a resource of the plan: the
// longest prefix of it that is one, and the attribute after it.
func resolvePlanRef(prefix, ref string, known map[string]bool) *graph.Ref {
	if strings.HasPrefix(ref, "var.") || strings.HasPrefix(ref, "local.") || strings.HasPrefix(ref, "module.") {
		return nil
	}
	parts := strings.Split(ref, ".")
	for n := len(parts); n >= 2; n-- {
		address := prefix + strings.Join(parts[:n], ".")
		if known[address] {
			attr := ""
			if n < len(parts) {
				attr = parts[n]
			}
			return &graph.Ref{Address: address, Attr: attr}
		}
	}
	return nil
}

// planBody converts planned values (after) into a resource body: a list of objects is
// a nested block repeated (Terraform prints `ingress { }` blocks so), a null is an
// argument not set, and what after_unknown marks is Unknown, ranged at its mark.
func planBody(after, unknown *document.Node, r source.Range) *graph.Value {
	v := &graph.Value{Type: graph.Map, Block: true, Range: r}
	for _, p := range after.Pairs {
		unk := unknown.Get(p.Key.Value)
		if isTrue(unk) {
			v.Attrs = append(v.Attrs, &graph.Attribute{Name: p.Key.Value, NameRange: p.Key.Range, Range: pairSpan(p), Value: &graph.Value{Type: graph.Unknown, Range: p.Value.Range}})
			continue
		}
		if p.Value.Tag == document.NullTag {
			continue
		}
		if blocks(p.Value) {
			for i, it := range p.Value.Items {
				b := planBody(it, item(unk, i), it.Range)
				v.Attrs = append(v.Attrs, &graph.Attribute{Name: p.Key.Value, NameRange: p.Key.Range, Range: it.Range, Value: b})
			}
			continue
		}
		v.Attrs = append(v.Attrs, &graph.Attribute{Name: p.Key.Value, NameRange: p.Key.Range, Range: pairSpan(p), Value: planValue(p.Value, unk)})
	}
	if unknown != nil && unknown.Kind == document.Mapping {
		for _, p := range unknown.Pairs {
			if isTrue(p.Value) && after.Get(p.Key.Value) == nil {
				v.Attrs = append(v.Attrs, &graph.Attribute{Name: p.Key.Value, NameRange: p.Key.Range, Range: pairSpan(p), Value: &graph.Value{Type: graph.Unknown, Range: p.Value.Range}})
			}
		}
	}
	return v
}

// blocks reports whether a planned value is a list of objects: nested blocks.
func blocks(n *document.Node) bool {
	return n.Kind == document.Sequence && len(n.Items) > 0 &&
		!slices.ContainsFunc(n.Items, func(it *document.Node) bool { return it.Kind != document.Mapping })
}

// planValue converts a planned value; unknown is its after_unknown part.
func planValue(n, unknown *document.Node) *graph.Value {
	if isTrue(unknown) {
		return &graph.Value{Type: graph.Unknown, Range: n.Range}
	}
	v := &graph.Value{Range: n.Range}
	switch n.Kind {
	case document.Sequence:
		v.Type = graph.List
		for i, it := range n.Items {
			v.Items = append(v.Items, planValue(it, item(unknown, i)))
		}
	case document.Mapping:
		v.Type = graph.Map
		for _, p := range n.Pairs {
			v.Attrs = append(v.Attrs, &graph.Attribute{Name: p.Key.Value, NameRange: p.Key.Range, Range: pairSpan(p), Value: planValue(p.Value, unknown.Get(p.Key.Value))})
		}
	default:
		switch n.Tag {
		case document.NullTag:
			v.Type = graph.Null
		case document.BoolTag:
			v.Type, v.Bool = graph.Bool, n.Value == "true"
		case document.IntTag, document.FloatTag:
			f, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				v.Type = graph.Unknown
				break
			}
			v.Type, v.Num, v.Str = graph.Number, f, n.Value
		default:
			v.Type, v.Str = graph.String, n.Value
		}
	}
	return v
}

func isTrue(n *document.Node) bool {
	return n != nil && n.Kind == document.Scalar && n.Tag == document.BoolTag && n.Value == "true"
}

// item returns the i-th item of an after_unknown list, or nil.
func item(n *document.Node, i int) *document.Node {
	if n == nil || n.Kind != document.Sequence || i >= len(n.Items) {
		return nil
	}
	return n.Items[i]
}

func pairSpan(p document.Pair) source.Range {
	return source.Range{Path: p.Key.Range.Path, Start: p.Key.Range.Start, End: p.Value.Range.End}
}

// planStep is the trace step of a value the plan gives.
func planStep(r source.Range, what string) []graph.Step {
	return []graph.Step{{Range: r, What: fmt.Sprintf("%s from the plan", what)}}
}

// ParsePlan reads the resources a plan's JSON representation plans, on its own: ranged in
// the plan file, of the TerraformPlan format.
func ParsePlan(f *source.File) ([]*graph.Resource, source.Diagnostics) {
	p, diags := readPlan(f)
	if p == nil {
		return nil, diags
	}
	return p.resources(nil), diags
}
