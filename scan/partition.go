package scan

import (
	"bytes"
	"cmp"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/groups"
	"github.com/iacscan/iacscan/internal/workers"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/source"
)

// partitionBytes is the size of the inputs above which a scan that splits into independent
// units analyses them one at a time, so that its memory is that of its largest unit, not
// of the whole tree (a monorepo of many root modules). Below it a scan builds one graph, as
// it always did. A variable so that tests force the partitioned path on small fixtures.
var partitionBytes int64 = 4 << 20

// graphWideKinds are the kinds whose presence anywhere in a scan changes what rules report
// about resources elsewhere: an account-level S3 public access block covers every bucket
// of the scan, a Config delivery channel every recorder.
var graphWideKinds = []graph.Kind{graph.S3AccountPublicAccessBlock, graph.ConfigDeliveryChannel}

// partition splits inputs into units that can be analysed apart and give, together, what
// the whole gives: the connected components of the Terraform directories under "calls as a
// local module" (a called directory is evaluated within its callers' root modules, and two
// callers of one directory share its scope), one unit for every input of another format
// (CloudFormation modules and serverless files read other files). It returns nil when the
// scan is small, or when a unit could see another (partitionable), or when an input is a
// plan (plans complete the modules they were made in). Units keep the inputs' order. The
// shapes of the inputs, by path, come with them: those of the released inputs are what
// was kept of them.
func partition(inputs []parsers.Input, released map[string]held, selected []*rules.Rule, opts Options) ([][]parsers.Input, map[string]shape) {
	if !partitionable(selected, opts) || len(inputs) < 2 {
		return nil, nil
	}
	var total int64
	for _, in := range inputs {
		if in.Format == graph.TerraformPlan {
			return nil, nil
		}
		if h, ok := released[in.File.Path]; ok {
			total += int64(h.size)
		} else {
			total += int64(len(in.File.Src))
		}
	}
	if total < partitionBytes {
		return nil, nil
	}
	var uf unionFind
	shapes := shapesOf(inputs, released)
	for _, in := range inputs {
		key := unitKey(in)
		uf.add(key)
		for _, src := range shapes[in.File.Path].calls {
			uf.union(key, "tf:"+path.Join(path.Dir(in.File.Path), src))
		}
	}
	units := groups.By(inputs, func(in parsers.Input) string { return uf.find(unitKey(in)) })
	return units, shapes
}

// partitionable reports whether a scan may be split into units: not when a unit could
// see another, as in ReportOnly scans (--pre-commit reports on a few files of a
// directory), scans with plans (they complete the modules they were made in) and those
// with a rule that must see the whole scan (needsWhole).
func partitionable(selected []*rules.Rule, opts Options) bool {
	return !opts.ReportOnly && len(opts.Parse.Terraform.Plans) == 0 && !needsWhole(selected)
}

// unitKey is the node of an input in partition's relation: its directory for Terraform,
// one node for every other format.
func unitKey(in parsers.Input) string {
	if in.Format.IsTerraform() {
		return "tf:" + path.Dir(in.File.Path)
	}
	return "other"
}

// shape is what partitioning needs of an input, read from its content once: how large it
// is, the local module sources it calls, whether it names a graph-wide kind.
type shape struct {
	size  int
	calls []string
	wide  bool
}

// shapeOf returns the shape of an input with its content.
func shapeOf(in parsers.Input) shape {
	s := shape{size: len(in.File.Src)}
	s.wide = slices.ContainsFunc(wideNames(), func(n []byte) bool { return bytes.Contains(in.File.Src, n) })
	if in.Format.IsTerraform() {
		s.calls = terraform.LocalModuleSources(in.File)
	}
	return s
}

// shapesOf returns the shapes of the inputs by path: those released from what was kept,
// the others read from their content, in parallel.
func shapesOf(inputs []parsers.Input, released map[string]held) map[string]shape {
	out := make([]shape, len(inputs))
	workers.Each(len(inputs), func(i int) {
		if h, ok := released[inputs[i].File.Path]; ok {
			out[i] = h.shape
		} else {
			out[i] = shapeOf(inputs[i])
		}
	})
	shapes := make(map[string]shape, len(inputs))
	for i, in := range inputs {
		shapes[in.File.Path] = out[i]
	}
	return shapes
}

// needsWhole reports whether a selected rule must see the whole scan at once: an account
// check (rules.AccountParam on: the account is everything one scan reads), or a custom
// rule, whose expressions share one budget per scan (a condition that exceeds its cost
// limit stops the rule, and its first failure is reported once).
func needsWhole(selected []*rules.Rule) bool {
	for _, r := range selected {
		if slices.Contains(r.Tags, "custom") {
			return true
		}
		for _, p := range r.Params {
			if on, _ := p.Value.(bool); on && p.Name == rules.AccountParam {
				return true
			}
		}
	}
	return false
}

// wideNames are the spellings of the graph-wide kinds, as Terraform and CloudFormation
// types: an input that holds one may declare such a resource.
var wideNames = sync.OnceValue(func() [][]byte {
	var names [][]byte
	for _, k := range graphWideKinds {
		names = append(names, []byte(k))
		for native, kind := range graph.CloudFormationKinds {
			if kind == k {
				names = append(names, []byte(native))
			}
		}
		for native, kind := range graph.TerraformKinds {
			if kind == k {
				names = append(names, []byte(native))
			}
		}
	}
	return names
})

// unionFind is a disjoint-set forest over string keys.
type unionFind struct{ parent map[string]string }

func (u *unionFind) add(k string) {
	if u.parent == nil {
		u.parent = map[string]string{}
	}
	if _, ok := u.parent[k]; !ok {
		u.parent[k] = k
	}
}

func (u *unionFind) find(k string) string {
	u.add(k)
	for u.parent[k] != k {
		u.parent[k] = u.parent[u.parent[k]] // path halving
		k = u.parent[k]
	}
	return k
}

func (u *unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.parent[rb] = ra
	}
}

// analyzeUnits analyses each unit on its own, one at a time, and merges the results into
// what analyzing all inputs at once gives. A unit reads the content of its released inputs
// when it is analysed (those discovery let go, release.go), and its graph is garbage once
// its result is taken, and so is the content of its inputs that no report points into:
// they are read again for the fix engine's re-runs. released is the unit's to change.
// Graph-wide resources are what one unit cannot see of another: the units whose inputs
// name a graph-wide kind are loaded first for theirs, which are lent to every other unit,
// whose rules see them as one scan's would; what the units report about them is merged
// once. It returns nil when that cannot give what one scan gives, and then only the whole
// scan is right: when a unit holds a graph-wide resource that its inputs do not name (a
// module read from outside the scan declares it), or when a graph-wide resource is
// subject to ignores, tag exclusions or a baseline, which each unit would apply alone.
// The inputs are then released or not as released says, and the diagnostics are those
// of the content read again meanwhile.
func analyzeUnits(inputs []parsers.Input, released map[string]held, shapes map[string]shape, units [][]parsers.Input, pinned map[string]bool, selected []*rules.Rule, paths []string, opts Options) (*Result, source.Diagnostics) {
	m := newMerger(inputs, released, shapes, selected, paths, opts)
	wide := make([][]*graph.Resource, len(units)) // by unit
	early := make([]source.Diagnostics, len(units))
	keep := maps.Clone(pinned)
	if keep == nil {
		keep = map[string]bool{}
	}
	for i, unit := range units {
		if !slices.ContainsFunc(unit, func(in parsers.Input) bool { return shapes[in.File.Path].wide }) {
			continue
		}
		early[i] = m.restore(unit)
		g, _ := parsers.LoadWith(unit, opts.Parse)
		wide[i] = g.OfKind(graphWideKinds...)
		if !lendable(wide[i], unit, opts) {
			return nil, m.restored
		}
		for _, r := range wide[i] {
			m.lent[r.ID] = true
			keep[r.ID.Path], keep[r.Range.Path] = true, true // other units report about them
			for _, call := range r.CalledFrom {
				keep[call.Path] = true
			}
		}
	}
	for i := range units {
		m.release(units[i], keep)
	}
	for i, unit := range units {
		var lent []*graph.Resource
		for j, rs := range wide {
			if j != i {
				lent = append(lent, rs...)
			}
		}
		diags := append(early[i], m.restore(unit)...)
		res := analyzeWith(unit, lent, selected, paths, opts)
		if len(res.wide) != len(wide[i]) {
			return nil, m.restored
		}
		res.wide = nil
		if len(diags) > 0 {
			res.Diagnostics = append(diags, res.Diagnostics...)
			res.Stats.FilesFailed = filesFailed(unit, res.Diagnostics)
		}
		refs := referenced(res)
		if !opts.Fixing {
			m.compact(res)
			refs = nil // the reports read the files again (Result.File)
		}
		m.add(res)
		m.releaseUnreferenced(unit, keep, refs)
	}
	return m.result(), nil
}

// lendable reports whether the graph-wide resources rs of unit can be lent to the other
// units: no ignore, tag exclusion or baseline can apply to what the rules report about
// them, so that every unit that reports something about them reports it alike.
func lendable(rs []*graph.Resource, unit []parsers.Input, opts Options) bool {
	if opts.Baseline != nil || len(opts.ExcludeTags) > 0 {
		return false
	}
	files := map[string]bool{}
	for _, r := range rs {
		if len(suppress.Metadata(r)) > 0 {
			return false
		}
		files[r.ID.Path], files[r.Range.Path] = true, true
		for _, call := range r.CalledFrom {
			files[call.Path] = true
		}
	}
	for _, in := range unit {
		if files[in.File.Path] && len(suppress.Inline(in.File, in.Format, nil)) > 0 {
			return false
		}
	}
	return true
}

// merger accumulates the results of units.
type merger struct {
	res  *Result
	seen map[diagKey]bool // the diagnostics of the units merged so far
	// lent are the graph-wide resources lent to the units; what the units report about
	// them is taken once, from the first unit that reports it: with no ignore, exclusion
	// or baseline to apply to it (lendable), every unit reports it alike.
	lent     map[graph.ID]bool
	reported map[reportKey]bool
	at       map[string]int // the index of each input in res.inputs, by path
	shapes   map[string]shape
	maxBytes int64 // the file-bytes budget content is read again within
	// planner plans the fixes of each unit's findings against the unit's content (compact).
	planner *fixPlanner
	// restored are the diagnostics of all the content read again, which analyzeUnits
	// returns when it gives up.
	restored source.Diagnostics
}

// diagKey identifies a diagnostic: the same one from two units (a problem in a --var-file
// every root module reads) is reported once, as one scan reports it.
type diagKey struct {
	severity        source.Severity
	summary, detail string
	at              source.Range
}

func keyOfDiag(d source.Diagnostic) diagKey {
	k := diagKey{severity: d.Severity, summary: d.Summary, detail: d.Detail}
	if d.Subject != nil {
		k.at = *d.Subject
	}
	return k
}

// reportKey identifies a finding, suppressed finding or unresolved check (message "")
// about a lent resource.
type reportKey struct {
	rule     string
	resource graph.ID
	at       source.Range
	message  string
}

func newMerger(inputs []parsers.Input, released map[string]held, shapes map[string]shape, selected []*rules.Rule, paths []string, opts Options) *merger {
	at := make(map[string]int, len(inputs))
	for i, in := range inputs {
		at[in.File.Path] = i
	}
	if released == nil {
		released = map[string]held{}
	}
	return &merger{
		res: &Result{
			Rules:     selected,
			Stats:     Stats{Kinds: map[graph.Kind]int{}, ByFormat: map[string]int{}},
			inputs:    inputs,
			selected:  selected,
			paths:     paths,
			opts:      opts,
			generated: map[string]generator{},
			released:  released,
		},
		seen:     map[diagKey]bool{},
		lent:     map[graph.ID]bool{},
		reported: map[reportKey]bool{},
		at:       at,
		shapes:   shapes,
		maxBytes: opts.Budgets.WithDefaults().FileBytes,
		planner:  newFixPlanner(inputs),
	}
}

// compact plans the fixes of a unit's findings while the unit's content is at hand, as
// PlanFixes would at the end (unless NoFixEdits), and lets go of the changes: they
// point into the unit's graph, which would otherwise stay in memory until the scan ends
// (Fix scans again to have them). The changes of suppressed and hidden findings, which no
// report plans, go too.
func (m *merger) compact(u *Result) {
	if !m.res.opts.NoFixEdits {
		m.planner.planAll(u.Findings)
	}
	for i := range u.Findings {
		dropChanges(&u.Findings[i])
	}
	for i := range u.Suppressed {
		dropChanges(&u.Suppressed[i].Finding)
	}
	for i := range u.Hidden {
		dropChanges(&u.Hidden[i])
	}
	m.res.compact = true
}

// dropChanges lets go of the changes of f's fix, keeping what reports show of it.
func dropChanges(f *rules.Finding) {
	if f.Fix == nil || f.Fix.Changes == nil {
		return
	}
	fix := *f.Fix // the rule's Fix may be shared; never change it in place
	fix.Changes = nil
	f.Fix = &fix
}

// release lets go of the content of the unit's inputs but those to keep and those already
// let go.
func (m *merger) release(unit []parsers.Input, keep map[string]bool) {
	for i := range unit {
		path := unit[i].File.Path
		if _, gone := m.res.released[path]; gone || keep[path] {
			continue
		}
		m.res.released[path] = release(&unit[i], m.shapes[path])
		m.res.inputs[m.at[path]].File = unit[i].File
	}
}

// restore reads the content of the unit's released inputs again, and returns a
// diagnostic for each that changed since it was first read or can no longer be read.
func (m *merger) restore(unit []parsers.Input) source.Diagnostics {
	var diags source.Diagnostics
	for i := range unit {
		path := unit[i].File.Path
		h, ok := m.res.released[path]
		if !ok {
			continue
		}
		if d := restore(&unit[i], h, m.maxBytes); d != nil {
			diags = append(diags, *d)
		}
		delete(m.res.released, path)
		m.res.inputs[m.at[path]].File = unit[i].File
	}
	m.restored = append(m.restored, diags...)
	return diags
}

// releaseUnreferenced releases the unit's inputs that its reports do not point into.
func (m *merger) releaseUnreferenced(unit []parsers.Input, keep, referenced map[string]bool) {
	for i := range unit {
		if path := unit[i].File.Path; !keep[path] && !referenced[path] {
			m.res.released[path] = release(&unit[i], m.shapes[path])
			m.res.inputs[m.at[path]].File = unit[i].File
		}
	}
}

// first reports whether what a unit reports about resource is new: always, unless the
// resource is lent and an earlier unit reported it. Keys met in the unit are marked once
// the unit is merged (mark).
func (m *merger) first(k reportKey, met map[reportKey]bool) bool {
	if !m.lent[k.resource] {
		return true
	}
	met[k] = true
	return !m.reported[k]
}

func (m *merger) add(u *Result) {
	r := m.res
	met := map[reportKey]bool{}
	for _, f := range u.Findings {
		if m.first(reportKey{ruleID(f.Rule), f.Resource, f.Range, f.Message}, met) {
			r.Findings = append(r.Findings, f)
		}
	}
	for _, s := range u.Suppressed {
		if m.first(reportKey{ruleID(s.Finding.Rule), s.Finding.Resource, s.Finding.Range, s.Finding.Message}, met) {
			r.Suppressed = append(r.Suppressed, s)
		}
	}
	for _, x := range u.Unresolved {
		if m.first(reportKey{ruleID(x.Rule), x.Resource, x.Range, ""}, met) {
			r.Unresolved = append(r.Unresolved, x)
		}
	}
	for k := range met {
		m.reported[k] = true
	}
	var added []diagKey
	for _, d := range u.Diagnostics {
		k := keyOfDiag(d)
		if !m.seen[k] {
			r.Diagnostics = append(r.Diagnostics, d)
			added = append(added, k)
		}
	}
	for _, k := range added {
		m.seen[k] = true
	}
	for path, g := range u.generated {
		r.generated[path] = g
	}
	s, us := &r.Stats, u.Stats
	s.Files += us.Files
	s.Resources += us.Resources
	s.FilesFailed += us.FilesFailed
	s.ExcludedResources += us.ExcludedResources
	for k, n := range us.Kinds {
		s.Kinds[k] += n
	}
	for f, n := range us.ByFormat {
		s.ByFormat[f] += n
	}
}

// result returns the merged result in the order one scan gives: findings, unresolved
// checks and suppressed findings sorted by place (only one unit has findings in a file, so
// the order among those at one place is that unit's), files by path.
func (m *merger) result() *Result {
	r := m.res
	r.planned = r.compact // every finding's fix is planned
	for _, in := range r.inputs {
		if _, gone := r.released[in.File.Path]; !gone {
			r.Files = append(r.Files, in.File)
		}
	}
	r.Stats.Unresolved = len(r.Unresolved)
	processed{suppressed: r.Suppressed, excludedResources: r.Stats.ExcludedResources}.count(&r.Stats)
	rules.Sort(r.Findings)
	slices.SortStableFunc(r.Unresolved, func(a, b rules.Unresolved) int { return byPlace(a.Range, a.Rule, b.Range, b.Rule) })
	slices.SortStableFunc(r.Suppressed, func(a, b suppress.Suppressed) int {
		return byPlace(a.Finding.Range, a.Finding.Rule, b.Finding.Range, b.Finding.Rule)
	})
	return r
}

// byPlace compares by path, position and rule ID, as rules.Sort does.
func byPlace(ra source.Range, a *rules.Meta, rb source.Range, b *rules.Meta) int {
	return cmp.Or(strings.Compare(ra.Path, rb.Path), cmp.Compare(ra.Start.Byte, rb.Start.Byte), strings.Compare(ruleID(a), ruleID(b)))
}

func ruleID(m *rules.Meta) string {
	if m == nil {
		return ""
	}
	return m.ID
}
