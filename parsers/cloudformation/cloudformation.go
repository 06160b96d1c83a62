// Package cloudformation reads CloudFormation templates (YAML or JSON) into graph
// resources: one per entry of Resources, whose body is the resource's Properties. Intrinsic
// functions become references between resources, and Refs to parameters with a literal
// Default become that value, remembering where it was defined.
package cloudformation

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Parse reads the resources of a template file of the given format
// (graph.CloudFormationYAML or graph.CloudFormationJSON).
func Parse(f *source.File, format graph.Format) ([]*graph.Resource, source.Diagnostics) {
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
	rs, more := Resources(f, format, template)
	return rs, append(diags, more...)
}

// Resources reads the Resources section of a template mapping, resolving Refs against its
// Parameters. The serverless parser calls it with the `resources` section of serverless.yml.
func Resources(f *source.File, format graph.Format, template *document.Node) ([]*graph.Resource, source.Diagnostics) {
	return NewConverter(f, format, template).Resources(template)
}

// Converter turns the document nodes of one file into graph values. It knows the
// parameters of the file's templates, so that a Ref to one with a Default is resolved.
type Converter struct {
	file   *source.File
	format graph.Format
	params map[string]parameter
}

// parameter is a template parameter with a literal Default.
type parameter struct {
	value *document.Node
	list  bool // a CommaDelimitedList or List<…> parameter: the default splits on commas
}

// NewConverter returns a converter for values of f that resolves Refs against the
// Parameters of templates (several for a serverless.yml whose resources are a list).
// For graph.Serverless, strings holding serverless variables (`${opt:stage}`) are Unknown.
func NewConverter(f *source.File, format graph.Format, templates ...*document.Node) *Converter {
	c := &Converter{file: f, format: format, params: map[string]parameter{}}
	for _, t := range templates {
		params := t.Get("Parameters")
		if params == nil || params.Kind != document.Mapping {
			continue
		}
		for _, p := range params.Pairs {
			def := p.Value.Get("Default")
			if def == nil || def.Kind != document.Scalar || def.Tag == document.NullTag || isApplicationTag(def.Tag) {
				continue // no literal default: a Ref to it stays Unknown
			}
			typ := p.Value.Get("Type")
			list := typ != nil && (typ.Value == "CommaDelimitedList" || strings.HasPrefix(typ.Value, "List<"))
			c.params[p.Key.Value] = parameter{value: def, list: list}
		}
	}
	return c
}

// Resources reads the entries of template's Resources mapping. An entry that is not a
// mapping with a Type is reported and skipped.
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
	for _, p := range section.Pairs {
		r, diag := c.resource(p)
		if r != nil {
			rs = append(rs, r)
		}
		if diag != nil {
			diags = append(diags, *diag)
		}
	}
	return rs, diags
}

func (c *Converter) resource(p document.Pair) (*graph.Resource, *source.Diagnostic) {
	id := p.Key.Value
	if p.Value.Kind != document.Mapping {
		d := source.Errorf(&p.Key.Range, "resource %q is not a mapping", id)
		return nil, &d
	}
	typ := p.Value.Get("Type")
	if typ == nil || typ.Kind != document.Scalar || typ.Value == "" || isApplicationTag(typ.Tag) {
		d := source.Errorf(&p.Key.Range, "resource %q has no Type", id)
		return nil, &d
	}
	body, diag := c.body(id, p.Value)
	r := &graph.Resource{
		ID:     graph.ID{Path: c.file.Path, Address: id},
		Kind:   graph.CloudFormationKind(typ.Value),
		Native: typ.Value,
		Format: c.format,
		Scope:  c.file.Path,
		Name:   id,
		Range:  span(p.Key, p.Value),
		Header: p.Key.Range,
		Body:   body,
	}
	if meta := p.Value.Get("Metadata"); meta != nil {
		r.Metadata = c.Value(meta)
	}
	return r, diag
}

// body converts a resource's Properties. A resource without them, or with an empty
// Properties, has an empty Map body; a Properties computed by an intrinsic (`!If`) is Unknown.
func (c *Converter) body(id string, resource *document.Node) (*graph.Value, *source.Diagnostic) {
	props := resource.Get("Properties")
	if props == nil {
		return &graph.Value{Type: graph.Map, Range: resource.Range}, nil
	}
	v := c.Value(props)
	switch v.Type {
	case graph.Map, graph.Unknown:
		return v, nil
	case graph.Null:
		return &graph.Value{Type: graph.Map, Range: v.Range}, nil
	}
	d := source.Errorf(&props.Range, "the Properties of resource %q are not a mapping", id)
	return &graph.Value{Type: graph.Map, Range: v.Range}, &d
}

// span is the range from the start of a mapping key to the end of its value.
func span(key, value *document.Node) source.Range {
	return source.Range{Path: key.Range.Path, Start: key.Range.Start, End: value.Range.End}
}
