package terraform

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// moduleSource is one module directory, parsed once however often it is called.
type moduleSource struct {
	dir       string
	files     []*parsedFile // the .tf files
	tfvars    []*source.File
	variables []fileBlock
	locals    []fileAttr
	resources []fileBlock
	calls     []fileBlock
}

// parsedFile is a .tf file with its body and where hcl's errors start, which the
// converters of its module's instances share.
type parsedFile struct {
	f    *source.File
	errs []int
}

type fileBlock struct {
	pf    *parsedFile
	block *hclsyntax.Block
}

type fileAttr struct {
	pf   *parsedFile
	attr *hclsyntax.Attribute
}

// module returns the parsed module in dir: a scanned directory, or else one read from
// opts.Root, parsed once per root.
func (l *loader) module(dir string) *moduleSource {
	if m, ok := l.parsed[dir]; ok {
		return m
	}
	if m, ok := l.modules[dir]; ok {
		return m
	}
	m, diags := parseModule(dir, l.readDir(dir))
	l.modules[dir] = m
	l.diags = append(l.diags, diags...)
	return m
}

// parseModule parses the files of a module directory: its .tf files, and its variable
// files, which only a root module reads.
func parseModule(dir string, files []*source.File) (*moduleSource, source.Diagnostics) {
	m := &moduleSource{dir: dir}
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b *source.File) int { return strings.Compare(a.Path, b.Path) })
	var diags source.Diagnostics
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Path, ".tf"):
			diags = append(diags, m.parse(f)...)
		case strings.HasSuffix(f.Path, ".tfvars"), strings.HasSuffix(f.Path, ".tfvars.json"):
			m.tfvars = append(m.tfvars, f)
		}
	}
	return m, diags
}

// readDir reads the .tf files of a module directory that was not scanned.
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
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
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
	pf := &parsedFile{f: f, errs: c.errs}
	m.files = append(m.files, pf)
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if !c.closed(b) {
			continue
		}
		switch b.Type {
		case "variable":
			m.variables = append(m.variables, fileBlock{pf, b})
		case "locals":
			for _, a := range sortedAttrs(b.Body.Attributes) {
				m.locals = append(m.locals, fileAttr{pf, a})
			}
		case "resource", "data":
			m.resources = append(m.resources, fileBlock{pf, b})
		case "module":
			m.calls = append(m.calls, fileBlock{pf, b})
		}
	}
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
	c := newConverter(pf.f, graph.Terraform)
	c.errs, c.ev = pf.errs, ev
	return c
}

// rng converts an hcl range of pf.
func (pf *parsedFile) rng(r hcl.Range) source.Range {
	c := converter{f: pf.f}
	return c.rng(r)
}
