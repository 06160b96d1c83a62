// Package cloudformation reads CloudFormation templates (YAML or JSON) into graph
// resources: one per entry of Resources, whose body is the resource's Properties.
//
// Templates are evaluated the way CloudFormation will deploy them, as far as the template
// and the options tell: Refs to parameters take their override or Default, Conditions are
// evaluated and a resource whose Condition is false does not exist, Fn::If picks its branch
// (when its condition is unknown, the value is what both branches agree on and Unknown
// where they differ, so that a rule reports only what either deployment would have),
// Fn::Sub, Join, Select, Split, FindInMap and Base64 compute their result, AWS::NoValue
// removes the property, and the AWS::LanguageExtensions transform's Fn::ForEach is
// expanded (as are its Fn::Length and FindInMap's DefaultValue). Whatever depends on
// something only known at deploy time (a parameter without a default, a pseudo parameter,
// an attribute of a resource, GetAZs, an import) is Unknown and keeps the references made
// inside it. A computed value's Range is where it is written (the `!Ref`) and its Origin
// where it was defined (the parameter default, the mapping entry, the branch of the
// Fn::If), so that reports show both and fixers never edit it.
//
// Its Trace (shared by its parts) explains it, from where it started: "parameter Env
// default", "parameter Env from --cfn-param", "Mappings Acl.dev.Value" (after the steps
// of its keys), "condition IsProd is false" (after the steps of the values it compared,
// before those of the branch), "Fn::ForEach::Buckets item" (after those of the item),
// "anchor &name". A function passes on the trace of its one traced input; it adds a step
// of its own ("Fn::Sub") only when it combines several, or when none has one and it is
// the whole explanation.
package cloudformation

import (
	"io/fs"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Options are the deploy-time inputs of a scan's templates.
type Options struct {
	// Params overrides parameter values by name, as `aws cloudformation deploy
	// --parameter-overrides` does; a parameter a template does not declare is ignored.
	// An overridden value's Origin is the parameter's name in Parameters, the place in the
	// template that the value stands for.
	Params map[string]string
	// ParamFiles names the file each override of Params was read from (`--cfn-params`);
	// an override it does not list was given on the command line (`--cfn-param`). It only
	// changes how a value is explained (graph.Value.Trace).
	ParamFiles map[string]string
	// Files is the tree rain modules (!Rain::Module) are read from, rooted where the
	// templates' paths are relative to; nil reads none.
	Files fs.FS
	// Budget bounds the expansion of Fn::ForEach loops (budget.Limits; zero fields take
	// the defaults).
	Budget budget.Limits
}

// Parse reads the resources of a template file of the given format
// (graph.CloudFormationYAML or graph.CloudFormationJSON) with no parameter overrides.
func Parse(f *source.File, format graph.Format) ([]*graph.Resource, source.Diagnostics) {
	return ParseWith(f, format, Options{})
}

// ParseWith reads the resources of a template file evaluated with opts.
func ParseWith(f *source.File, format graph.Format, opts Options) ([]*graph.Resource, source.Diagnostics) {
	parse := document.ParseYAML
	if format == graph.CloudFormationJSON {
		parse = document.ParseJSON
	}
	template, diags := parse(f)
	switch {
	case template == nil && diags.HasErrors():
		return nil, diags
	case template == nil:
		r := f.Range(0, 0)
		return nil, append(diags, source.Errorf(&r, "the template is empty"))
	case template.Kind != document.Mapping:
		return nil, append(diags, source.Errorf(&template.Range, "the template is not a mapping"))
	}
	rs, more := NewConverter(f, format, opts, template).Resources(template)
	return rs, append(diags, more...)
}

// Resources reads the resources of a template mapping, evaluated with no overrides.
func Resources(f *source.File, format graph.Format, template *document.Node) ([]*graph.Resource, source.Diagnostics) {
	return NewConverter(f, format, Options{}, template).Resources(template)
}

// Resources reads the entries of template's Resources mapping, expanding Fn::ForEach and
// leaving out the resources whose Condition is false. An entry that is not a mapping with
// a Type is reported and skipped.
func (c *Converter) Resources(template *document.Node) ([]*graph.Resource, source.Diagnostics) {
	section := template.Get("Resources")
	if section == nil {
		return nil, nil
	}
	if section.Kind != document.Mapping {
		return nil, source.Diagnostics{source.Errorf(&section.Range, "Resources is not a mapping")}
	}
	var (
		rs    []*graph.Resource
		diags source.Diagnostics
	)
	var calls []moduleCall // rain modules that could not be expanded
	var add func(id string, key, value *document.Node)
	add = func(id string, key, value *document.Node) {
		if c.isForEach(key) { // loops nest
			if diag := c.forEach(document.Pair{Key: key, Value: value}, 0, add); diag != nil {
				diags = append(diags, *diag)
			}
			return
		}
		if modulePath, typ, ok := rainModule(value); ok {
			more, d, missing := c.expandModule(id, key, value, modulePath, typ)
			rs, diags = append(rs, more...), append(diags, d...)
			if missing != nil {
				calls = append(calls, *missing)
			}
			return
		}
		if sam, d, ok := c.samResources(id, key, value); ok {
			rs = append(rs, sam...)
			diags = append(diags, d...)
			return
		}
		r, diag := c.resource(id, key, value)
		if r != nil {
			rs = append(rs, r)
		}
		if diag != nil {
			diags = append(diags, *diag)
		}
	}
	for _, p := range section.Pairs {
		add(p.Key.Value, p.Key, p.Value)
	}
	rs = append(rs, c.implicitAPIs(section)...)
	c.readByOutputs(template.Get("Outputs"), rs)
	if d := missingModules(calls); d != nil {
		diags = append(diags, *d)
	}
	diags, c.budgetDiags = append(diags, c.budgetDiags...), nil
	return rs, diags
}

// declared returns the resource the entry key: value of the Resources section declares,
// of type typ with the given body, its Metadata and DependsOn; its Kind is the caller's.
func (c *Converter) declared(id string, key, value *document.Node, typ string, body *graph.Value) *graph.Resource {
	r := &graph.Resource{
		ID:     graph.ID{Path: c.file.Path, Address: id},
		Native: typ,
		Format: c.format,
		Scope:  c.file.Path,
		Name:   id,
		Range:  span(key, value),
		Header: key.Range,
		Body:   body,
	}
	if meta := value.Get("Metadata"); meta != nil {
		r.Metadata = c.Value(meta)
	}
	r.DependsOn = dependsOn(value.Get("DependsOn"))
	return r
}

// dependsOn returns the references of a DependsOn: one logical ID or a list of them.
func dependsOn(n *document.Node) []*graph.Ref {
	if n == nil {
		return nil
	}
	names := []*document.Node{n}
	if n.Kind == document.Sequence {
		names = n.Items
	}
	var out []*graph.Ref
	for _, name := range names {
		if id, ok := literal(name); ok {
			out = append(out, &graph.Ref{Address: id, Range: name.Range, Whole: true})
		}
	}
	return out
}

// readByOutputs records on each resource of rs where the Outputs section reads it (a Ref,
// GetAtt or Sub in an output's Value or Export name): deleting it would break the template.
func (c *Converter) readByOutputs(outputs *document.Node, rs []*graph.Resource) {
	if outputs == nil || outputs.Kind != document.Mapping {
		return
	}
	byID := make(map[string]*graph.Resource, len(rs))
	for _, r := range rs {
		byID[r.ID.Address] = r
	}
	for _, p := range outputs.Pairs {
		c.Value(p.Value).Walk(func(v *graph.Value) {
			for _, ref := range v.Refs {
				if r, ok := byID[ref.Address]; ok {
					r.ReadByOutputs = append(r.ReadByOutputs, ref.Range)
				}
			}
		})
	}
}

func (c *Converter) resource(id string, key, value *document.Node) (*graph.Resource, *source.Diagnostic) {
	if value.Kind != document.Mapping {
		d := source.Errorf(&key.Range, "resource %q is not a mapping", id)
		return nil, &d
	}
	typ := value.Get("Type")
	if typ == nil || typ.Kind != document.Scalar || typ.Value == "" || isApplicationTag(typ.Tag) {
		d := source.Errorf(&key.Range, "resource %q has no Type", id)
		return nil, &d
	}
	if cond := value.Get("Condition"); cond != nil && cond.Kind == document.Scalar && c.condition(cond.Value) == condFalse {
		return nil, nil // CloudFormation does not create it
	}
	body, diag := c.body(id, value)
	r := c.declared(id, key, value, typ.Value, body)
	r.Kind = graph.CloudFormationKind(typ.Value)
	if len(c.loops) > 0 {
		shared(r.Body) // written once for every instance of the loop
	}
	return r, diag
}

// body converts a resource's Properties. A resource without them, with an empty or a
// removed (AWS::NoValue) Properties has an empty Map body; a Properties computed by an
// intrinsic that cannot be evaluated is Unknown.
func (c *Converter) body(id string, resource *document.Node) (*graph.Value, *source.Diagnostic) {
	props := resource.Get("Properties")
	if props == nil {
		return &graph.Value{Type: graph.Map, Range: resource.Range}, nil
	}
	v := c.Value(props)
	switch {
	case isNoValue(v):
		return &graph.Value{Type: graph.Map, Range: v.Range}, nil
	case v.Type == graph.Map, v.Type == graph.Unknown:
		return v, nil
	case v.Type == graph.Null:
		return &graph.Value{Type: graph.Map, Range: v.Range}, nil
	}
	d := source.Errorf(&props.Range, "the Properties of resource %q are not a mapping", id)
	return &graph.Value{Type: graph.Map, Range: v.Range}, &d
}

// span is the range from the start of a mapping key to the end of its value.
func span(key, value *document.Node) source.Range {
	return source.Range{Path: key.Range.Path, Start: key.Range.Start, End: value.Range.End}
}
