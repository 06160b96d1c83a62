// Package serverless reads serverless.yml files into graph resources: the provider and
// each function become resources of their own kinds, and the CloudFormation resources
// under `resources` go through the cloudformation adapter. Serverless variables
// (`${opt:stage, 'dev'}`, `${self:custom.x}`) are Unknown values.
package serverless

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Parse reads the resources of a serverless.yml file.
func Parse(f *source.File) ([]*graph.Resource, source.Diagnostics) {
	doc, diags := document.ParseYAML(f)
	switch {
	case doc == nil && diags.HasErrors():
		return nil, diags
	case doc == nil:
		r := f.Range(0, 0)
		return nil, append(diags, source.Errorf(&r, "the file is empty"))
	case doc.Kind != document.Mapping:
		return nil, append(diags, source.Errorf(&doc.Range, "the file is not a mapping"))
	}
	templates := templates(doc.Get("resources"), &diags)
	conv := cloudformation.NewConverter(f, graph.Serverless, templates...)
	var rs []*graph.Resource
	if p := doc.Pair("provider"); p != nil && isMapping(p.Value, "provider", &diags) {
		rs = append(rs, newResource(f, conv, *p, "provider", graph.ServerlessProvider, "provider"))
	}
	for _, p := range functions(doc.Get("functions"), &diags) {
		rs = append(rs, newResource(f, conv, p, "functions."+p.Key.Value, graph.ServerlessFunction, "function"))
	}
	for _, t := range templates {
		more, d := conv.Resources(t)
		rs = append(rs, more...)
		diags = append(diags, d...)
	}
	return rs, diags
}

func newResource(f *source.File, conv *cloudformation.Converter, p document.Pair, address string, kind graph.Kind, native string) *graph.Resource {
	return &graph.Resource{
		ID:     graph.ID{Path: f.Path, Address: address},
		Kind:   kind,
		Native: native,
		Format: graph.Serverless,
		Scope:  f.Path,
		Name:   p.Key.Value,
		Range:  source.Range{Path: f.Path, Start: p.Key.Range.Start, End: p.Value.Range.End},
		Header: p.Key.Range,
		Body:   conv.Value(p.Value),
	}
}

// templates returns the CloudFormation sections of `resources`: the mapping itself, or
// each mapping of a list (serverless merges them).
func templates(n *document.Node, diags *source.Diagnostics) []*document.Node {
	if n == nil {
		return nil
	}
	if n.Kind != document.Sequence {
		if isMapping(n, "resources", diags) {
			return []*document.Node{n}
		}
		return nil
	}
	var out []*document.Node
	for i, it := range n.Items {
		if isMapping(it, fmt.Sprintf("resources item %d", i+1), diags) {
			out = append(out, it)
		}
	}
	return out
}

// functions returns the entries of `functions`: a mapping of name to function, or a list
// of such mappings.
func functions(n *document.Node, diags *source.Diagnostics) []document.Pair {
	if n == nil {
		return nil
	}
	var sections []*document.Node
	if n.Kind == document.Sequence {
		for i, it := range n.Items {
			if isMapping(it, fmt.Sprintf("functions item %d", i+1), diags) {
				sections = append(sections, it)
			}
		}
	} else if isMapping(n, "functions", diags) {
		sections = append(sections, n)
	}
	var out []document.Pair
	for _, s := range sections {
		for _, p := range s.Pairs {
			if isMapping(p.Value, fmt.Sprintf("function %q", p.Key.Value), diags) {
				out = append(out, p)
			}
		}
	}
	return out
}

// isMapping reports whether n is a mapping. A string (an include such as
// `${file(functions.yml)}`, which a later stage resolves) or an empty value is skipped
// quietly; anything else is reported.
func isMapping(n *document.Node, what string, diags *source.Diagnostics) bool {
	switch {
	case n.Kind == document.Mapping:
		return true
	case n.Kind == document.Scalar && (n.Tag == document.StrTag || n.Tag == document.NullTag):
		return false
	}
	*diags = append(*diags, source.Errorf(&n.Range, "%s is not a mapping", what))
	return false
}
