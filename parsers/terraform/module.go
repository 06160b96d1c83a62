package terraform

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/workers"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// Options are the deploy-time inputs root modules are evaluated with, as `terraform plan`
// takes them.
type Options struct {
	// VarFiles are the --var-file files, in command-line order.
	VarFiles []*source.File
	// Vars are the --var NAME=VALUE assignments; they win over every other source.
	Vars map[string]string
	// Env looks up an environment variable (TF_VAR_name); nil reads none.
	Env func(name string) (string, bool)
	// Plans are plans' JSON representations (terraform show -json). A plan made in a root
	// module's directory completes that module's evaluation; one made elsewhere gives the
	// resources it plans.
	Plans []*source.File
	// Root is the file tree file(), templatefile() and modules not among the scanned files
	// are read from; nil reads nothing (calls stay Unknown, such modules are skipped).
	Root fs.FS
	// Budget bounds the evaluation of each root module (budget.Limits; zero fields take
	// the defaults).
	Budget budget.Limits
}

// maxModuleDepth bounds how deeply module calls nest; Terraform has no limit, but a
// configuration that nests deeper than this is a mistake or an attack.
const maxModuleDepth = 16

// LoadModules evaluates configuration files (.tf and .tf.json, and .tfvars /
// .tfvars.json files, which assign variables) as Terraform plans them: the files of a
// directory form a module; every directory that no other one calls as a local module is a
// root module, evaluated with opts and its own terraform.tfvars and *.auto.tfvars files.
// Resources come back one per instance, with the module path in their addresses.
func LoadModules(files []*source.File, opts Options) ([]*graph.Resource, source.Diagnostics) {
	l := newLoader(files, opts)
	plans, planDiags := readPlans(opts.Plans)
	roots := l.roots()
	l.placePlans(plans, roots)
	l.plans = plans
	results := make([]loaded, len(roots))
	workers.Each(len(roots), func(i int) {
		results[i] = l.loadRoot(roots[i])
		if p := plans[roots[i]]; p != nil {
			results[i].rs = p.merge(results[i].rs)
		}
	})
	var out []*graph.Resource
	diags := append(l.diags, planDiags...)
	for _, r := range results {
		out = append(out, r.rs...)
		diags = append(diags, r.diags...)
	}
	for _, dir := range slices.Sorted(maps.Keys(plans)) {
		if !slices.Contains(roots, dir) {
			out = append(out, plans[dir].resources(nil)...)
		}
	}
	return out, dedupe(diags)
}

// loadRoot evaluates one root module. A panic while evaluating it becomes an error
// diagnostic at its first file, and costs only this module's resources.
func (l *loader) loadRoot(root string) (res loaded) {
	rl := l.forRoot()
	defer func() {
		if p := recover(); p != nil {
			var at *source.Range
			if files := l.given[root]; len(files) > 0 {
				r := files[0].Range(0, 0)
				at = &r
			}
			res = loaded{diags: append(rl.diags, source.Diagnostic{Severity: source.Error,
				Summary: "internal error while evaluating the module", Detail: fmt.Sprintf("%v; its resources are not checked", p), Subject: at})}
		}
	}()
	return loaded{rl.instance(rl.module(root), &call{root: root}), rl.diags}
}

type loaded struct {
	rs    []*graph.Resource
	diags source.Diagnostics
}

// loader holds the modules of one scan while they are evaluated. The scanned directories
// are parsed once, in parallel, and shared; each root module is evaluated by a loader of
// its own (forRoot), which parses what else it reads from disk.
type loader struct {
	opts    Options
	given   map[string][]*source.File // the scanned files by directory
	parsed  map[string]*moduleSource  // the scanned directories, read-only once built
	modules map[string]*moduleSource  // the directories this root read from disk
	diags   source.Diagnostics
	funcs   map[string]map[string]function.Function // by root module directory
	plans   map[string]*plan                        // by the root module directory they were made in
	facts   *syntaxFacts                            // shared by all roots
	read    *readModules                            // shared by all roots
	meter   *meter                                  // the root module's budgets
	// manifests are the root modules' .terraform/modules/modules.json (installed).
	manifests map[string]map[string]string
}

func newLoader(files []*source.File, opts Options) *loader {
	l := &loader{opts: opts, given: map[string][]*source.File{}, parsed: map[string]*moduleSource{}, facts: &syntaxFacts{},
		read: &readModules{dirs: map[string]*readModule{}}}
	for _, f := range files {
		dir := path.Dir(f.Path)
		l.given[dir] = append(l.given[dir], f)
	}
	dirs := slices.Sorted(maps.Keys(l.given))
	mods := make([]*moduleSource, len(dirs))
	diags := make([]source.Diagnostics, len(dirs))
	workers.Each(len(dirs), func(i int) { mods[i], diags[i] = safeParseModule(dirs[i], l.given[dirs[i]]) })
	for i, dir := range dirs {
		l.parsed[dir] = mods[i]
		l.diags = append(l.diags, diags[i]...)
	}
	return l
}

// forRoot returns a loader for one root module, sharing the parsed directories.
func (l *loader) forRoot() *loader {
	rl := &loader{opts: l.opts, given: l.given, parsed: l.parsed, modules: map[string]*moduleSource{},
		funcs: map[string]map[string]function.Function{}, plans: l.plans, facts: l.facts, read: l.read}
	rl.meter = newMeter(l.opts.Budget, func(d source.Diagnostic) { rl.diags = append(rl.diags, d) })
	return rl
}

// roots returns the directories with configuration that no other scanned directory calls
// as a local module, sorted. (One that calls itself is a root, which reports the cycle.)
func (l *loader) roots() []string {
	called := map[string]bool{}
	var dirs []string
	for dir, m := range l.parsed {
		if len(m.files) == 0 {
			continue
		}
		dirs = append(dirs, dir)
		for _, c := range m.calls {
			if src, ok := localSource(c); ok && path.Join(dir, src) != dir {
				called[path.Join(dir, src)] = true
			}
		}
	}
	slices.Sort(dirs)
	return slices.DeleteFunc(dirs, func(d string) bool { return called[d] })
}

// localSource returns a module call's source when it is a local path.
func localSource(fb fileBlock) (string, bool) {
	e, ok := fb.attr("source")
	if !ok {
		return "", false
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
		return "", false
	}
	src := v.AsString()
	return src, strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
}

// dedupe drops repeated diagnostics: a module called twice is parsed once but converted
// per instance, and would report its duplicate declarations each time.
func dedupe(ds source.Diagnostics) source.Diagnostics {
	type key struct {
		summary string
		at      source.Range
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := key{summary: d.Summary}
		if d.Subject != nil {
			k.at = *d.Subject
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

func (l *loader) addDiag(sev source.Severity, at *source.Range, summary, detail string) {
	l.diags = append(l.diags, source.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: at})
}

// safeParseModule parses a directory as parseModule does; a panic becomes an error
// diagnostic at its first file, and the directory an empty module.
func safeParseModule(dir string, files []*source.File) (m *moduleSource, diags source.Diagnostics) {
	defer func() {
		if p := recover(); p != nil {
			r := files[0].Range(0, 0)
			m = &moduleSource{dir: dir}
			diags = source.Diagnostics{{Severity: source.Error, Summary: "internal error while parsing the module",
				Detail: fmt.Sprintf("%v; its resources are not checked", p), Subject: &r}}
		}
	}()
	return parseModule(dir, files)
}
