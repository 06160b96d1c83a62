package terraform

import (
	"io/fs"
	"iter"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// moduleSource is one module directory, parsed once however often it is called.
type moduleSource struct {
	dir       string
	files     []*parsedFile // the .tf and .tf.json files
	tfvars    []*source.File
	variables []fileBlock
	locals    []fileAttr
	resources []fileBlock
	calls     []fileBlock
	providers []fileBlock // the `provider "aws"` blocks

	declOnce sync.Once            // roots evaluate a shared module in parallel
	decls    []declaration        // the variables, read once: see declarations
	declared map[string]*declared // decls by name
}

// parsedFile is a configuration file with where hcl's errors start, which the
// converters of its module's instances share.
type parsedFile struct {
	f      *source.File
	format graph.Format
	errs   []int
}

// fileBlock is a top-level block of a module file in either syntax: a native block, or
// in JSON the object that declares it under its type and labels.
type fileBlock struct {
	pf     *parsedFile
	native *hclsyntax.Block // nil in JSON
	json   *jsonBlock       // nil in the native syntax
}

// jsonBlock is a block declared in JSON: its type and labels, the key of its last label,
// where it ends, and its body's object, whose properties are its arguments.
type jsonBlock struct {
	typ           string
	labels        []string
	header, whole hcl.Range
	body          hcl.Expression
	attrs         hcl.Attributes
}

// fileAttr is a local of a module file.
type fileAttr struct {
	pf   *parsedFile
	attr *hcl.Attribute
}

// typ is the block's type: "resource", "variable", ...
func (fb fileBlock) typ() string {
	if fb.native != nil {
		return fb.native.Type
	}
	return fb.json.typ
}

// labels are the block's labels: a resource's type and name, a variable's name, ...
func (fb fileBlock) labels() []string {
	if fb.native != nil {
		return fb.native.Labels
	}
	return fb.json.labels
}

// header is the block's definition: `resource "T" "N"`, or the key of its name in JSON.
func (fb fileBlock) header() hcl.Range {
	if fb.native != nil {
		return fb.native.DefRange()
	}
	return fb.json.header
}

// whole is the block's range: from its type (in JSON the key of its name) to its end.
func (fb fileBlock) whole() hcl.Range {
	if fb.native != nil {
		return fb.native.Range()
	}
	return fb.json.whole
}

// attr returns the expression of the block's argument name.
func (fb fileBlock) attr(name string) (hcl.Expression, bool) {
	if fb.native != nil {
		a, ok := fb.native.Body.Attributes[name]
		if !ok {
			return nil, false
		}
		return a.Expr, true
	}
	a, ok := fb.json.attrs[name]
	if !ok {
		return nil, false
	}
	return a.Expr, true
}

// arguments yields the block's arguments in no particular order.
func (fb fileBlock) arguments() iter.Seq2[string, hcl.Expression] {
	return func(yield func(string, hcl.Expression) bool) {
		if fb.native != nil {
			for name, a := range fb.native.Body.Attributes {
				if !yield(name, a.Expr) {
					return
				}
			}
			return
		}
		for name, a := range fb.json.attrs {
			if !yield(name, a.Expr) {
				return
			}
		}
	}
}

// attrs returns the block's arguments in source order. In JSON every property of the
// body is one, nested blocks included: JSON cannot tell them apart.
func (fb fileBlock) attrs() []*hcl.Attribute {
	if fb.json != nil {
		return sortedAttributes(fb.json.attrs)
	}
	native := sortedAttrs(fb.native.Body.Attributes)
	out := make([]*hcl.Attribute, len(native))
	for i, a := range native {
		out[i] = a.AsHCLAttribute()
	}
	return out
}

// module returns the parsed module in dir: a scanned directory, or else one read from
// opts.Root. Those are read and parsed once per scan however many roots call them (the
// examples of a repository call the same installed modules); each root that loads one
// reports its diagnostics, which LoadModules dedupes, so that the report does not
// depend on which root got there first.
func (l *loader) module(dir string) *moduleSource {
	if m, ok := l.parsed[dir]; ok {
		return m
	}
	if m, ok := l.modules[dir]; ok {
		return m
	}
	read := l.read.entry(dir)
	read.once.Do(func() { read.m, read.diags = parseModule(dir, l.readDir(dir)) })
	l.modules[dir] = read.m
	l.diags = append(l.diags, read.diags...)
	return read.m
}

// readModules are the modules read from opts.Root, shared by the roots of a scan.
type readModules struct {
	mu   sync.Mutex
	dirs map[string]*readModule
}

type readModule struct {
	once  sync.Once
	m     *moduleSource
	diags source.Diagnostics
}

// entry returns the entry of dir, made on first use.
func (r *readModules) entry(dir string) *readModule {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.dirs[dir]
	if !ok {
		e = &readModule{}
		r.dirs[dir] = e
	}
	return e
}

// parseModule parses the files of a module directory: its .tf and .tf.json files, and
// its variable files, which only a root module reads.
func parseModule(dir string, files []*source.File) (*moduleSource, source.Diagnostics) {
	m := &moduleSource{dir: dir}
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b *source.File) int { return strings.Compare(a.Path, b.Path) })
	var diags source.Diagnostics
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Path, ".tf"):
			diags = append(diags, m.parse(f)...)
		case strings.HasSuffix(f.Path, ".tf.json"):
			diags = append(diags, m.parseJSON(f)...)
		case strings.HasSuffix(f.Path, ".tfvars"), strings.HasSuffix(f.Path, ".tfvars.json"):
			m.tfvars = append(m.tfvars, f)
		}
	}
	return m, diags
}

// readDir reads the configuration files of a module directory that was not scanned.
func (l *loader) readDir(dir string) []*source.File {
	if l.opts.Root == nil {
		return nil
	}
	entries, err := fs.ReadDir(l.opts.Root, dir)
	if err != nil {
		return nil
	}
	var out []*source.File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") && !strings.HasSuffix(e.Name(), ".tf.json") {
			continue
		}
		name := path.Join(dir, e.Name())
		if src, err := fs.ReadFile(l.opts.Root, name); err == nil {
			out = append(out, source.NewFile(name, src))
		}
	}
	return out
}

// parse adds a .tf file's blocks to m and returns its syntax errors.
func (m *moduleSource) parse(f *source.File) source.Diagnostics {
	if diags := tooDeep(f); diags != nil {
		return diags
	}
	file, hdiags := hclsyntax.ParseConfig(f.Src, f.Path, hcl.InitialPos)
	c := newConverter(f, graph.Terraform)
	c.addDiags(hdiags)
	pf := &parsedFile{f: f, format: graph.Terraform, errs: c.errs}
	m.files = append(m.files, pf)
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if !c.closed(b) {
			continue
		}
		if b.Type == "locals" {
			for _, a := range sortedAttrs(b.Body.Attributes) {
				m.locals = append(m.locals, fileAttr{pf, a.AsHCLAttribute()})
			}
			continue
		}
		m.add(fileBlock{pf: pf, native: b})
	}
	return c.diags
}

// add files a variable, resource, data, module or AWS provider block; m ignores any other.
func (m *moduleSource) add(fb fileBlock) {
	switch fb.typ() {
	case "provider":
		if labels := fb.labels(); len(labels) == 1 && labels[0] == "aws" {
			m.providers = append(m.providers, fb)
		}
	case "variable":
		m.variables = append(m.variables, fb)
	case "resource", "data":
		m.resources = append(m.resources, fb)
	case "module":
		m.calls = append(m.calls, fb)
	}
}

// moduleSchema asks a JSON file for the blocks a module is made of, without labels: as
// for rootSchema, jsonBlocks then reads the labels keeping every range.
var moduleSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable"}, {Type: "locals"}, {Type: "resource"}, {Type: "data"}, {Type: "module"}, {Type: "provider"},
}}

// blockLabels is how many labels the block types of moduleSchema other than locals have.
var blockLabels = map[string]int{"variable": 1, "resource": 2, "data": 2, "module": 1, "provider": 1}

// parseJSON adds a .tf.json file's blocks to m and returns its errors. Its locals are
// the properties of "locals" objects, its other blocks the objects under their labels.
func (m *moduleSource) parseJSON(f *source.File) source.Diagnostics {
	if diags := tooDeep(f); diags != nil {
		return diags
	}
	file, hdiags := hcljson.Parse(f.Src, f.Path)
	c := newConverter(f, graph.TerraformJSON)
	c.addDiags(hdiags)
	content, _, cdiags := file.Body.PartialContent(moduleSchema)
	c.addDiags(cdiags)
	pf := &parsedFile{f: f, format: graph.TerraformJSON}
	m.files = append(m.files, pf)
	for _, b := range content.Blocks {
		attrs, diags := b.Body.JustAttributes()
		c.addDiags(diags)
		for _, a := range sortedAttributes(attrs) {
			if b.Type == "locals" {
				m.locals = append(m.locals, fileAttr{pf, a})
				continue
			}
			c.jsonBlocks(a, blockLabels[b.Type], func(labels []string, header hcl.Range, body hcl.Expression) {
				m.add(fileBlock{pf: pf, json: &jsonBlock{
					typ: b.Type, labels: labels, header: header, whole: hcl.RangeBetween(header, body.Range()), body: body, attrs: jsonAttrs(body),
				}})
			})
		}
	}
	pf.errs = c.errs // those of the labels' objects included
	return c.diags
}

// sortedAttrs returns a body's attributes in source order.
func sortedAttrs(m hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *hclsyntax.Attribute) int { return x.SrcRange.Start.Byte - y.SrcRange.Start.Byte })
	return out
}

// converter returns a converter for one instance's view of pf.
func (pf *parsedFile) converter(ev *evaluator) *converter {
	c := newConverter(pf.f, pf.format)
	c.errs, c.ev = pf.errs, ev
	return c
}

// rng converts an hcl range of pf.
func (pf *parsedFile) rng(r hcl.Range) source.Range {
	c := converter{f: pf.f}
	return c.rng(r)
}
