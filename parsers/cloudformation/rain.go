package cloudformation

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// rain modules: `rain pkg` replaces a resource whose Type is `!Rain::Module path` (YAML) or
// {"Rain::Module": path} (JSON) by the resources of the module file at path, relative to
// the template: each named after the calling resource and its name in the module
// (Network + VPC → NetworkVPC), the module's parameters taking the values of the calling
// resource's Properties (else their defaults), references between module resources
// renamed with them, and the calling resource's Overrides merged into the resource of the
// same name. A module's resource may itself call a module.
//
// The scan does what rain does when the module file can be read (Options.Files): the
// module's resources are ranged in the module file, with the calling resource as where
// they are called from (graph.Resource.CalledFrom), and a value given by the caller is
// defined at the caller's property. A module that cannot be read leaves its calling
// resource out, and the template gets one warning listing them all.

// maxModuleDepth bounds how deeply rain modules call modules.
const maxModuleDepth = 8

// rainModuleTag is the YAML tag, and the JSON key, of a rain module reference.
const rainModuleTag = "Rain::Module"

// rainModule returns the module path a resource's Type names, and the node naming it.
func rainModule(resource *document.Node) (string, *document.Node, bool) {
	typ := resource.Get("Type")
	switch {
	case typ == nil:
		return "", nil, false
	case typ.Kind == document.Scalar && typ.Tag == "!"+rainModuleTag:
		return typ.Value, typ, true
	case typ.Kind == document.Mapping && len(typ.Pairs) == 1 && typ.Pairs[0].Key.Value == rainModuleTag && typ.Pairs[0].Value.Kind == document.Scalar:
		return typ.Pairs[0].Value.Value, typ, true
	}
	return "", nil, false
}

// moduleCall is a rain module reference that expansion could not follow.
type moduleCall struct {
	id, path string
	at       source.Range
	why      string
}

// expandModule returns the resources of the rain module a resource calls, or why it
// cannot.
func (c *Converter) expandModule(id string, key, value *document.Node, modulePath string, typ *document.Node) ([]*graph.Resource, source.Diagnostics, *moduleCall) {
	call := &moduleCall{id: id, path: modulePath, at: typ.Range}
	file := path.Join(path.Dir(c.file.Path), modulePath)
	switch {
	case c.files == nil:
		call.why = "module files are not read"
		return nil, nil, call
	case len(c.modules) >= maxModuleDepth || slices.Contains(c.modules, file):
		call.why = "modules call each other in a cycle or too deeply"
		return nil, nil, call
	}
	if !fs.ValidPath(file) {
		call.why = "outside the directory the scan reads modules from"
		return nil, nil, call
	}
	src, err := fs.ReadFile(c.files, file)
	if err != nil {
		call.why = "not found"
		return nil, nil, call
	}
	f := source.NewFile(file, src)
	format, parse := graph.CloudFormationYAML, document.ParseYAML
	if strings.HasSuffix(file, ".json") {
		format, parse = graph.CloudFormationJSON, document.ParseJSON
	}
	doc, diags := parse(f)
	if doc == nil || doc.Kind != document.Mapping {
		call.why = "not a template"
		return nil, diags, call
	}
	if overrides := value.Get("Overrides"); overrides != nil {
		var bad source.Diagnostics
		doc, bad = withOverrides(doc, overrides)
		diags = append(diags, bad...)
	}
	mc := NewConverter(f, format, Options{Files: c.files}, doc)
	mc.modules = append(slices.Clone(c.modules), c.file.Path)
	c.bindModuleParameters(mc, id, value.Get("Properties"))
	rs, more := mc.Resources(doc)
	diags = append(diags, more...)
	local := map[string]bool{}
	for _, r := range rs {
		local[r.ID.Address] = true
	}
	for _, r := range rs {
		r.ID.Address = id + r.ID.Address
		r.Name = r.ID.Address
		r.Scope = c.file.Path
		r.CalledFrom = append(r.CalledFrom, key.Range)
		renameRefs(r, id, local)
	}
	return rs, diags, nil
}

// bindModuleParameters gives the module's parameters the values of the calling
// resource's Properties: computed in the calling template, defined at the property, and
// traced as "module property AppName of Network".
func (c *Converter) bindModuleParameters(mc *Converter, id string, props *document.Node) {
	for _, p := range mapPairs(props) {
		name := p.Key.Value
		v := c.Value(p.Value)
		mc.params[name] = parameter{value: v, origin: p.Value.Range, trace: step(p.Value.Range, "module property "+name+" of "+id)}
	}
}

// renameRefs renames the references a module resource makes to the module's own
// resources, as rain renames them: LogBucket in the module called by Storage is
// StorageLogBucket.
func renameRefs(r *graph.Resource, prefix string, local map[string]bool) {
	rename := func(refs []*graph.Ref) {
		for _, ref := range refs {
			if local[ref.Address] {
				ref.Address = prefix + ref.Address
			}
		}
	}
	r.Body.Walk(func(v *graph.Value) { rename(v.Refs) })
	rename(r.DependsOn)
}

// withOverrides returns the module document with the calling resource's Overrides merged
// into the module's resources of the same names: a mapping merges key by key, anything
// else replaces what the module has.
// An override that is not a mapping, or names no resource of the module, is reported.
func withOverrides(doc, overrides *document.Node) (*document.Node, source.Diagnostics) {
	resources := doc.Get("Resources")
	if resources == nil || resources.Kind != document.Mapping {
		return doc, nil
	}
	if overrides.Kind != document.Mapping {
		return doc, source.Diagnostics{warning(overrides.Range, "the Overrides of a rain module call are not a mapping: they are ignored")}
	}
	var diags source.Diagnostics
	merged := *resources
	merged.Pairs = slices.Clone(resources.Pairs)
	for _, o := range overrides.Pairs {
		i := slices.IndexFunc(merged.Pairs, func(p document.Pair) bool { return p.Key.Value == o.Key.Value })
		switch {
		case i < 0:
			diags = append(diags, warning(o.Key.Range, fmt.Sprintf("the module has no resource %q to override", o.Key.Value)))
		case o.Value.Kind != document.Mapping:
			diags = append(diags, warning(o.Value.Range, fmt.Sprintf("the override of %q is not a mapping of resource attributes: it is ignored", o.Key.Value)))
		default:
			merged.Pairs[i].Value = overrideNode(merged.Pairs[i].Value, o.Value)
		}
	}
	out := *doc
	out.Pairs = slices.Clone(doc.Pairs)
	for i, p := range out.Pairs {
		if p.Key.Value == "Resources" {
			out.Pairs[i].Value = &merged
		}
	}
	return &out, diags
}

func overrideNode(base, o *document.Node) *document.Node {
	if base.Kind != document.Mapping || o.Kind != document.Mapping {
		return o
	}
	if _, _, fn := intrinsic(o); fn {
		return o
	}
	merged := *base
	merged.Pairs = slices.Clone(base.Pairs)
	for _, op := range o.Pairs {
		i := slices.IndexFunc(merged.Pairs, func(p document.Pair) bool { return p.Key.Value == op.Key.Value })
		if i < 0 {
			merged.Pairs = append(merged.Pairs, op)
			continue
		}
		merged.Pairs[i].Value = overrideNode(merged.Pairs[i].Value, op.Value)
	}
	return &merged
}

// missingModules is the one warning of a template whose rain modules could not be read.
func missingModules(calls []moduleCall) *source.Diagnostic {
	if len(calls) == 0 {
		return nil
	}
	var list []string
	for _, c := range calls {
		list = append(list, fmt.Sprintf("%s (%s: %s)", c.path, c.id, c.why))
	}
	at := calls[0].at
	return &source.Diagnostic{
		Severity: source.Warning,
		Subject:  &at,
		Summary:  "rain modules not expanded",
		Detail: fmt.Sprintf("the template calls rain modules (!Rain::Module) that were not read: %s. The resources they define are not checked; scan the output of `rain pkg`, or scan from a directory that holds the module files.",
			strings.Join(list, ", ")),
	}
}

func warning(at source.Range, summary string) source.Diagnostic {
	return source.Diagnostic{Severity: source.Warning, Summary: summary, Subject: &at}
}
