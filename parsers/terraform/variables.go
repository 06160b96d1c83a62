package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// variableSet collects a module's variable values as sources assign them, later ones
// winning, with where each value was defined.
type variableSet struct {
	vals    map[string]cty.Value
	decls   map[string]*declared // the module's, shared by its instances
	origins map[string]origin    // keyed "var.name", shared with the evaluator
}

// declared is what assigning a variable needs from its declaration.
type declared struct {
	key      string // "var.name"
	typ      cty.Type
	defaults *typeexpr.Defaults // of optional(type, default) attributes; nil without
	header   source.Range       // the variable block's
}

// set assigns a declared variable, with the defaults of its type's optional attributes
// filled in and converted to its type when it can be; assignments to undeclared variables
// are ignored, as Terraform does with a warning.
func (s *variableSet) set(name string, v cty.Value, o origin) {
	d, ok := s.decls[name]
	if !ok {
		return
	}
	s.vals[name], s.origins[d.key] = typed(v, d.typ, d.defaults), o
}

// typed prepares a variable's value as Terraform does: the optional attributes' defaults
// are applied to the value as given (not to a null one), then it is converted to the type
// constraint; a value that does not convert is kept as it is.
func typed(v cty.Value, ty cty.Type, defaults *typeexpr.Defaults) cty.Value {
	if defaults != nil && !v.IsNull() {
		v = defaults.Apply(v)
	}
	if cv, err := convert.Convert(v, ty); err == nil {
		return cv
	}
	return v
}

// setString assigns a value given as text (--var, TF_VAR_x, which how names): a string
// for a variable of primitive or no type, else an HCL expression, as Terraform reads it.
// Its origin is the variable's declaration, the only place in the configuration that
// names it.
func (s *variableSet) setString(name, text, how string) {
	decl, ok := s.decls[name]
	if !ok {
		return
	}
	v := cty.StringVal(text)
	if ty := decl.typ; !ty.IsPrimitiveType() && ty != cty.DynamicPseudoType {
		e, diags := hclsyntax.ParseExpression([]byte(text), "<value for var."+name+">", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		if v, diags = e.Value(nil); diags.HasErrors() {
			return
		}
	}
	s.set(name, v, step(decl.header, "var."+name+" from "+how))
}

// variables returns the values of a module instance's variables: the defaults, then for
// a module its call's arguments, for a root module TF_VAR_ variables, terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in name order, --var-file and --var.
// A variable with no value is Unknown.
func (l *loader) variables(m *moduleSource, c *call, origins map[string]origin) map[string]cty.Value {
	decls := m.declarations()
	s := &variableSet{vals: make(map[string]cty.Value, len(decls)), decls: m.declared, origins: origins}
	for _, d := range decls {
		s.vals[d.name] = d.def
		if d.hasDef {
			origins[m.declared[d.name].key] = d.origin
		}
	}
	if c.inputs != nil {
		for name, v := range c.inputs {
			s.set(name, v, c.origins[name])
		}
		return s.vals
	}
	if l.opts.Env != nil {
		for name := range s.decls {
			if text, ok := l.opts.Env("TF_VAR_" + name); ok {
				s.setString(name, text, "TF_VAR_"+name)
			}
		}
	}
	for _, f := range append(autoVarFiles(m.tfvars), l.opts.VarFiles...) {
		l.assign(s, f)
	}
	for name, text := range l.opts.Vars {
		s.setString(name, text, "--var")
	}
	if p := l.plans[c.root]; p != nil && m.dir == c.root {
		p.planVariables(s)
	}
	return s.vals
}

// declaration is a variable block as every instance of its module starts from: its type
// and the defaults of its optional attributes, and its default converted to it (Unknown
// without one), with the default's origin.
type declaration struct {
	name     string
	typ      cty.Type
	defaults *typeexpr.Defaults
	header   source.Range
	def      cty.Value
	hasDef   bool
	origin   origin
}

// declarations reads the module's variable blocks once, however many instances the
// module has: type constraints and defaults are the same in all of them, and reading them
// again took a tenth of a module-heavy scan.
func (m *moduleSource) declarations() []declaration {
	m.declOnce.Do(func() {
		for _, fb := range m.variables {
			if len(fb.labels()) != 1 {
				continue
			}
			name, pf := fb.labels()[0], fb.pf
			d := declaration{name: name, header: pf.rng(fb.header()), def: cty.DynamicVal}
			d.typ, d.defaults = variableType(fb)
			if e, ok := fb.attr("default"); ok {
				if v, diags := e.Value(nil); !diags.HasErrors() {
					v = typed(v, d.typ, d.defaults)
					d.def, d.hasDef, d.origin = v, true, step(pf.rng(e.Range()), "var."+name+" default")
				}
			}
			m.decls = append(m.decls, d)
		}
		m.declared = declaredOf(m.decls)
	})
	return m.decls
}

// declaredOf indexes the declarations by name. Of a name declared twice (an error
// Terraform reports), the last declaration counts, but the defaults of optional
// attributes come from the last that has any.
func declaredOf(decls []declaration) map[string]*declared {
	out := make(map[string]*declared, len(decls))
	for _, d := range decls {
		defaults := d.defaults
		if prev, ok := out[d.name]; ok && defaults == nil {
			defaults = prev.defaults
		}
		out[d.name] = &declared{key: "var." + d.name, typ: d.typ, defaults: defaults, header: d.header}
	}
	return out
}

// step is the origin of a value written at r, the trace's only step.
func step(r source.Range, what string) origin {
	return definedAt(r, []graph.Step{{Range: r, What: what}})
}

// variableType returns a variable's type constraint and the defaults its optional(type,
// default) attributes give (nil when none has one); any type when it has none or an
// invalid one.
func variableType(fb fileBlock) (cty.Type, *typeexpr.Defaults) {
	e, ok := fb.attr("type")
	if !ok {
		return cty.DynamicPseudoType, nil
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(e)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, nil
	}
	return ty, defaults
}

// autoVarFiles returns the variable files Terraform loads by itself, in its order.
func autoVarFiles(files []*source.File) []*source.File {
	rank := func(f *source.File) int {
		switch path.Base(f.Path) {
		case "terraform.tfvars":
			return 0
		case "terraform.tfvars.json":
			return 1
		}
		return 2
	}
	var out []*source.File
	for _, f := range files {
		base := path.Base(f.Path)
		if rank(f) < 2 || strings.HasSuffix(base, ".auto.tfvars") || strings.HasSuffix(base, ".auto.tfvars.json") {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *source.File) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(path.Base(a.Path), path.Base(b.Path))
	})
	return out
}

// assign reads a variable file (native or JSON syntax): every attribute assigns the
// variable of its name, defined at the attribute.
func (l *loader) assign(s *variableSet, f *source.File) {
	if diags := tooDeep(f); diags != nil {
		l.diags = append(l.diags, diags...)
		return
	}
	var (
		file  *hcl.File
		diags hcl.Diagnostics
	)
	if strings.HasSuffix(f.Path, ".json") {
		file, diags = hcljson.Parse(f.Src, f.Path)
	} else {
		file, diags = hclsyntax.ParseConfig(f.Src, f.Path, hcl.InitialPos)
	}
	c := newConverter(f, graph.Terraform)
	c.addDiags(diags)
	if file != nil && !diags.HasErrors() {
		attrs, adiags := file.Body.JustAttributes()
		c.addDiags(adiags)
		for _, a := range sortedAttributes(attrs) {
			if v, vdiags := a.Expr.Value(nil); !vdiags.HasErrors() {
				s.set(a.Name, v, step(c.rng(a.Range), "var."+a.Name+" in "+path.Base(f.Path)))
			}
		}
	}
	l.diags = append(l.diags, c.diags...)
}

// moduleMeta are the arguments of a module block that are not inputs.
var moduleMeta = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// callModule evaluates a module block: each of its instances loads the module with the
// block's arguments as inputs.
func (l *loader) callModule(m *moduleSource, fb fileBlock, ev *evaluator, parent *call) []*graph.Resource {
	if len(fb.labels()) != 1 {
		return nil
	}
	name, pf := fb.labels()[0], fb.pf
	header := pf.rng(fb.header())
	dir, ok := l.moduleDir(m, fb, parent, name, header)
	if !ok {
		return nil
	}
	if len(parent.stack) >= maxModuleDepth || dir == m.dir || slices.Contains(parent.stack, dir) {
		l.addDiag(source.Error, &header, "Module calls nest too deeply",
			fmt.Sprintf("module.%s is called from a cycle of modules or more than %d levels deep; it is not loaded.", name, maxModuleDepth))
		return nil
	}
	child := l.module(dir)
	if len(child.files) == 0 {
		if l.outsideRoot(dir) {
			l.addDiag(source.Warning, &header, "Module outside the scanned root",
				fmt.Sprintf("module.%s: %s lies outside the scanned root (evaluation reads only under the repository, or the scanned directory); its resources are not checked.", name, dir))
		}
		return nil
	}
	full := l.meter.full
	insts, _ := expand(fb, ev)
	var out []*graph.Resource
	for i, in := range insts {
		// Once the total instances budget is spent (reported where it ran out) no module is
		// loaded, except once the one whose expansion spent it, with an unknown index.
		if full || l.meter.full && i > 0 {
			break
		}
		exit := ev.enter(in)
		inputs, origins := map[string]cty.Value{}, map[string]origin{}
		for _, a := range fb.attrs() {
			if moduleMeta[a.Name] {
				continue
			}
			origins[a.Name] = ev.derive(a.Expr, pf.rng(a.Expr.Range()), "module."+name+in.suffix+" argument "+a.Name)
			if v, ok := ev.value(a.Expr, ev.ctx, pf.rng(a.Expr.Range())); ok {
				inputs[a.Name] = v
			} else {
				inputs[a.Name] = cty.DynamicVal
			}
		}
		exit()
		out = append(out, l.instance(child, &call{
			root: parent.root, prefix: parent.prefix + "module." + name + in.suffix + ".",
			key: strings.TrimPrefix(parent.key+"."+name, "."), inputs: inputs, origins: origins,
			stack:      append(slices.Clone(parent.stack), m.dir),
			calledFrom: append([]source.Range{header}, parent.calledFrom...),
		})...)
	}
	return out
}

// moduleDir returns the directory of a called module: a local source relative to the
// caller, else the directory `terraform init` installed it in. A module that is not
// installed is skipped with a warning.
func (l *loader) moduleDir(m *moduleSource, fb fileBlock, parent *call, name string, header source.Range) (string, bool) {
	src, local := localSource(fb)
	if local {
		return path.Join(m.dir, src), true
	}
	key := strings.TrimPrefix(parent.key+"."+name, ".")
	if dir, ok := l.installed(parent.root)[key]; ok {
		return path.Join(parent.root, dir), true
	}
	if p := l.plans[parent.root]; p != nil && p.plansModule(moduleKeys(parent.prefix)+"module."+name+".") {
		return "", false // the plan has its resources
	}
	l.addDiag(source.Warning, &header, "Module not installed",
		fmt.Sprintf("module.%s (source %q) is not a local module and .terraform/modules/modules.json does not list it; its resources are not checked. Run `terraform init` to install it.", name, src))
	return "", false
}

// installed returns what .terraform/modules/modules.json of a root module lists: module
// key → directory, read once per root however many module calls ask.
func (l *loader) installed(root string) map[string]string {
	if out, ok := l.manifests[root]; ok {
		return out
	}
	out := readManifest(l.opts.Root, root)
	if l.manifests == nil {
		l.manifests = map[string]map[string]string{}
	}
	l.manifests[root] = out
	return out
}

// readManifest reads .terraform/modules/modules.json of a root module in fsys.
func readManifest(fsys fs.FS, root string) map[string]string {
	out := map[string]string{}
	if fsys == nil {
		return out
	}
	data, err := fs.ReadFile(fsys, path.Join(root, ".terraform/modules/modules.json"))
	if err != nil {
		return out
	}
	var manifest struct {
		Modules []struct{ Key, Dir string }
	}
	if json.Unmarshal(data, &manifest) != nil {
		return out
	}
	for _, mod := range manifest.Modules {
		if mod.Key != "" {
			out[mod.Key] = mod.Dir
		}
	}
	return out
}

// outsideRoot reports whether dir was refused because it lies outside the tree
// evaluation may read, as opposed to not existing.
func (l *loader) outsideRoot(dir string) bool {
	if l.opts.Root == nil {
		return false
	}
	_, err := fs.Stat(l.opts.Root, dir)
	return errors.Is(err, fs.ErrPermission)
}
