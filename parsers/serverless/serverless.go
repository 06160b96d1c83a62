// Package serverless reads serverless.yml files into graph resources: the provider and
// each function become resources of their own kinds, the CloudFormation resources under
// `resources` go through the cloudformation adapter, and the deployment bucket and the
// default Lambda role the framework generates become Generated resources (see implicit).
//
// Variables are evaluated as `serverless deploy` would with the options given:
// `${self:…}`, `${opt:…}`, `${sls:stage}`, `${env:…}` and `${file(./x.yml):key}` (files
// inside Options.Files only), with nested variables and comma-separated fallbacks
// (`${opt:stage, self:provider.stage, 'dev'}`). Sources only known at deploy time
// (`${ssm:…}`, `${cf:…}`, `${aws:…}`, `${s3:…}`, `${param:…}`) are Unknown. A value
// computed from a variable is ranged at the variable and its Origin is where the value was
// defined (the `custom` entry, the file, the fallback), or the variable itself for an
// option or an environment variable: fixers never edit it. Its Trace has a step for each
// variable it went through, in order: "self:custom.x" where the entry is, "default of
// opt:stage" at the fallback, "opt:stage from --sls-opt" at the variable. An item of the
// `resources` or `functions` lists that is a `${file(...)}` include is read from that file.
package serverless

import (
	"fmt"
	"io/fs"
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Options are what a deployment passes to serverless besides the file.
type Options struct {
	// Opts are the command-line options `${opt:name}` reads (`--stage prod` is "stage").
	Opts map[string]string
	// Env looks up the environment `${env:NAME}` reads; nil makes those Unknown, since the
	// deploying environment is not the scanning one.
	Env func(name string) (string, bool)
	// Files is the tree `${file(...)}` reads, rooted where file paths are relative to (the
	// scanned root); nil makes those Unknown.
	Files fs.FS
	// Budget bounds the variables' resolution: expansions, and the length of the strings
	// they build (budget.Limits; zero fields take the defaults).
	Budget budget.Limits
}

// Parse reads the resources of a serverless.yml file with no options.
func Parse(f *source.File) ([]*graph.Resource, source.Diagnostics) {
	return ParseWith(f, Options{})
}

// ParseWith reads the resources of a serverless.yml file, evaluating its variables with
// opts.
func ParseWith(f *source.File, opts Options) ([]*graph.Resource, source.Diagnostics) {
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
	vars := newResolver(f, doc, opts)
	sections := sectionReader{diags: &diags, include: vars.include}
	templates := sections.templates(doc.Get("resources"))
	conv := cloudformation.NewConverter(f, graph.Serverless, cloudformation.Options{Budget: opts.Budget}, templates...)
	vars.conv = conv
	conv.WithVariables(vars)
	var (
		rs        = []*graph.Resource{service(f, conv, doc)}
		functions []*graph.Resource
		prov      *graph.Resource
	)
	if p := doc.Pair("provider"); p != nil && isMapping(p.Value, "provider", &diags) {
		prov = newResource(f, conv, *p, "provider", graph.ServerlessProvider, "provider")
		rs = append(rs, prov)
	}
	for _, p := range sections.functions(doc.Get("functions")) {
		functions = append(functions, newResource(f, conv, p, "functions."+p.Key.Value, graph.ServerlessFunction, "function"))
	}
	rs = append(rs, functions...)
	declared := map[string]bool{}
	for _, t := range templates {
		more, d := conv.Resources(t)
		for _, r := range more {
			declared[r.ID.Address] = true
		}
		rs = append(rs, more...)
		diags = append(diags, d...)
	}
	if prov != nil {
		rs = append(rs, implicit(f, prov, declared, functions)...)
	}
	return rs, append(diags, vars.diags...)
}

// ownSections are the top-level sections that are resources of their own, and custom,
// the user's variables, which nothing reads but through ${self:custom...}: resolving all
// of it would cost time and report problems in entries nothing uses. What remains
// (service, plugins, package, ...) are the service's settings.
var ownSections = []string{"provider", "functions", "resources", "custom"}

// service returns the resource of kind graph.ServerlessService that holds the service's
// own settings, such as the plugins it deploys with. Its header and range are the
// `service` key, or the start of the file when there is none: not the whole file, within
// which an ignore comment would then cover every finding.
func service(f *source.File, conv *cloudformation.Converter, doc *document.Node) *graph.Resource {
	settings := *doc
	settings.Pairs = slices.DeleteFunc(slices.Clone(doc.Pairs), func(p document.Pair) bool {
		return slices.Contains(ownSections, p.Key.Value)
	})
	header := f.Range(0, 0)
	if p := doc.Pair("service"); p != nil {
		header = p.Key.Range
	}
	return &graph.Resource{
		ID:     graph.ID{Path: f.Path, Address: "service"},
		Kind:   graph.ServerlessService,
		Native: "service",
		Format: graph.Serverless,
		Scope:  f.Path,
		Name:   "service",
		Range:  header,
		Header: header,
		Body:   conv.Value(&settings),
	}
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

// sectionReader reads the sections serverless merges from lists, whose items may be
// `${file(...)}` includes.
type sectionReader struct {
	diags   *source.Diagnostics
	include func(*document.Node) *document.Node
}

// templates returns the CloudFormation sections of `resources`: the mapping itself, or
// each mapping of a list (serverless merges them).
func (s sectionReader) templates(n *document.Node) []*document.Node {
	if n == nil {
		return nil
	}
	if n.Kind != document.Sequence {
		if m := s.mapping(n, "resources"); m != nil {
			return []*document.Node{m}
		}
		return nil
	}
	var out []*document.Node
	for i, it := range n.Items {
		if m := s.mapping(it, fmt.Sprintf("resources item %d", i+1)); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// functions returns the entries of `functions`: a mapping of name to function, or a list
// of such mappings.
func (s sectionReader) functions(n *document.Node) []document.Pair {
	if n == nil {
		return nil
	}
	var sections []*document.Node
	if n.Kind == document.Sequence {
		for i, it := range n.Items {
			if m := s.mapping(it, fmt.Sprintf("functions item %d", i+1)); m != nil {
				sections = append(sections, m)
			}
		}
	} else if m := s.mapping(n, "functions"); m != nil {
		sections = append(sections, m)
	}
	var out []document.Pair
	for _, section := range sections {
		for _, p := range section.Pairs {
			if isMapping(p.Value, fmt.Sprintf("function %q", p.Key.Value), s.diags) {
				out = append(out, p)
			}
		}
	}
	return out
}

// mapping returns n when it is a mapping, or the mapping an include stands for; nil for
// anything else (see isMapping).
func (s sectionReader) mapping(n *document.Node, what string) *document.Node {
	if inc := s.include(n); inc != nil && inc.Kind == document.Mapping {
		return inc
	}
	if isMapping(n, what, s.diags) {
		return n
	}
	return nil
}

// isMapping reports whether n is a mapping. A string (an include such as
// `${file(functions.yml)}` that cannot be read) or an empty value is skipped quietly;
// anything else is reported.
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
