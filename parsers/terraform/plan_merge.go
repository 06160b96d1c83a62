package terraform

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// readPlans reads the plan files of a scan, by the root module directory each was made
// in. Two plans of one directory: the first by path is used, the other reported.
func readPlans(files []*source.File) (map[string]*plan, source.Diagnostics) {
	files = append([]*source.File(nil), files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	plans := map[string]*plan{}
	var diags source.Diagnostics
	for _, f := range files {
		p, d := readPlan(f)
		diags = append(diags, d...)
		if p == nil {
			continue
		}
		if first, dup := plans[p.dir]; dup {
			r := f.Range(0, 0)
			diags = append(diags, source.Diagnostic{Severity: source.Warning, Subject: &r,
				Summary: "a second Terraform plan of the directory " + p.dir + " is not read (" + first.file.Path + " is)"})
			continue
		}
		plans[p.dir] = p
	}
	return plans, diags
}

// planVariables assigns the plan's variables to a root module's variable set: they are
// the values the plan was made with, whatever gave them (-var, TF_VAR_, a tfvars file).
func (p *plan) planVariables(s *variableSet) {
	for name, n := range p.vars {
		if v, ok := p.variable(name); ok {
			o := definedAt(n.Range, planStep(n.Range, "var."+name))
			s.set(name, v, o)
		}
	}
}

// merge completes the resources of the plan's root module (rs) with the plan: what their
// evaluation leaves Unknown takes the planned value where the plan knows it, placed at the
// configuration's expression. It returns rs with the plan's view of the resources the
// configuration does not declare (those of a module not installed, say).
func (p *plan) merge(rs []*graph.Resource) []*graph.Resource {
	byAddress := map[string]*graph.Resource{}
	for _, r := range rs {
		byAddress[r.ID.Address] = r
	}
	for _, c := range p.changes {
		if r := byAddress[c.address]; r != nil {
			overlay(r.Body, c.after, c.unknown, c.address)
		}
	}
	declared := func(c planChange) bool {
		return byAddress[c.address] != nil || byAddress[c.config] != nil
	}
	return append(rs, p.resources(declared)...)
}

// overlay returns hv with the parts that evaluation left Unknown replaced by the planned
// value pn, where the plan knows it (unk is pn's after_unknown part); what names the
// value for its trace. Maps and blocks are completed in place.
func overlay(hv *graph.Value, pn, unk *document.Node, what string) *graph.Value {
	if pn == nil || isTrue(unk) {
		return hv
	}
	switch hv.Type {
	case graph.Unknown:
		pv := planValue(pn, unk)
		if pv.Type == graph.Unknown || pv.Type == graph.Null {
			return hv
		}
		return placed(pv, hv, what)
	case graph.Map:
		if pn.Kind != document.Mapping {
			return hv
		}
		seen := map[string]int{}
		for _, a := range hv.Attrs {
			child, cu := pn.Get(a.Name), unk.Get(a.Name)
			if a.Value.Block {
				i := seen[a.Name]
				seen[a.Name]++
				child, cu = item(child, i), item(cu, i)
			}
			a.Value = overlay(a.Value, child, cu, what+"."+a.Name)
		}
		hv.Attrs = plannedDynamic(hv.Attrs, pn, unk, what)
	case graph.List:
		if pn.Kind == document.Sequence && len(pn.Items) == len(hv.Items) {
			for i, it := range hv.Items {
				hv.Items[i] = overlay(it, pn.Items[i], item(unk, i), what)
			}
		}
	}
	return hv
}

// placed returns the planned value pv as the configuration's Unknown value hv: ranged at
// hv's expression, with its references, defined in the plan (the Origin) and traced from
// what hv reads, "data.aws_vpc.main.cidr_block from the plan".
func placed(pv, hv *graph.Value, what string) *graph.Value {
	if len(hv.Refs) == 1 {
		what = hv.Refs[0].Address
		if hv.Refs[0].Attr != "" {
			what += "." + hv.Refs[0].Attr
		}
	}
	at := pv.Range
	trace := append(append([]graph.Step(nil), hv.Trace...), planStep(at, what)...)
	pv.Walk(func(x *graph.Value) {
		origin := at
		x.Range, x.Origin, x.Trace = hv.Range, &origin, trace
	})
	pv.Refs = hv.Refs
	for _, a := range mapAttrs(pv) {
		a.NameRange, a.Range = hv.Range, hv.Range
	}
	return pv
}

// mapAttrs returns every attribute inside v.
func mapAttrs(v *graph.Value) []*graph.Attribute {
	var out []*graph.Attribute
	v.Walk(func(x *graph.Value) { out = append(out, x.Attrs...) })
	return out
}

// plansModule reports whether the plan has resources of the module at prefix
// ("module.db."), whatever its instance keys: the plan then checks a module that is not
// installed.
func (p *plan) plansModule(prefix string) bool {
	for _, c := range p.changes {
		if strings.HasPrefix(moduleKeys(c.prefix), prefix) {
			return true
		}
	}
	return false
}

// placePlans moves each plan made outside every root module (a plan.json written to an
// artifacts directory, say) to the root module whose resources its configuration section
// declares: the one with the most of them, if it is the only one with that many and has no
// plan of its own. Plans that match no root stay where they are and are read on their own.
func (l *loader) placePlans(plans map[string]*plan, roots []string) {
	for _, dir := range slices.Sorted(maps.Keys(plans)) {
		p := plans[dir]
		if slices.Contains(roots, dir) || len(p.rootConfig) == 0 {
			continue
		}
		best, bestScore, tie := "", 0, false
		for _, root := range roots {
			if plans[root] != nil {
				continue
			}
			score := 0
			for _, fb := range l.parsed[root].resources {
				if len(fb.labels()) == 2 && p.rootConfig[address(fb)] {
					score++
				}
			}
			switch {
			case score > bestScore:
				best, bestScore, tie = root, score, false
			case score == bestScore && score > 0:
				tie = true
			}
		}
		if bestScore > 0 && !tie {
			delete(plans, dir)
			p.dir = best
			plans[best] = p
		}
	}
}

// plannedDynamic replaces each `dynamic "x"` block that evaluation left unexpanded (its
// for_each reads a data source, say) by the x blocks the plan has, placed at the dynamic
// block, or drops it when the plan has none. It leaves it when the body also writes x
// blocks of its own, which the plan does not tell apart from the generated ones.
func plannedDynamic(attrs []*graph.Attribute, pn, unk *document.Node, what string) []*graph.Attribute {
	var out []*graph.Attribute
	for _, a := range attrs {
		if a.Name != "dynamic" || len(a.Labels) != 1 {
			out = append(out, a)
			continue
		}
		name := a.Labels[0]
		planned, plannedUnk := pn.Get(name), unk.Get(name)
		static := slices.ContainsFunc(attrs, func(b *graph.Attribute) bool { return b.Name == name })
		switch {
		case planned == nil || planned.Kind != document.Sequence || isTrue(plannedUnk) || static:
			out = append(out, a)
		case len(planned.Items) == 0: // the plan generates no block
		case blocks(planned):
			for i, it := range planned.Items {
				v := placed(planBody(it, item(plannedUnk, i), it.Range), &graph.Value{Range: a.Range}, what+" dynamic \""+name+"\"")
				v.Block = true
				out = append(out, &graph.Attribute{Name: name, NameRange: a.NameRange, Range: a.Range, Value: v})
			}
		default:
			out = append(out, a)
		}
	}
	return out
}
