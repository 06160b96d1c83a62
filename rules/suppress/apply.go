package suppress

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// state is what Apply learns about one ignore.
type state struct {
	*Ignore
	inactive bool // malformed, for another workspace, or naming no known rule
	refused  bool // no reason under RequireReason
	used     bool // it matched a finding
}

// Apply splits findings into those still reported and those the ignores suppress. An
// ignore that has expired, or that lacks a reason under RequireReason, does not suppress:
// the finding's message says why. The diagnostics (all warnings) point at ignores that
// are malformed, name an unknown rule, give no reason, or match no finding.
func Apply(findings []rules.Finding, ignores []*Ignore, opts Options) ([]rules.Finding, []Suppressed, source.Diagnostics) {
	states, diags := validate(ignores, opts)
	byPath := map[string][]*state{}
	for _, s := range states {
		byPath[s.Scope.Path] = append(byPath[s.Scope.Path], s)
	}
	var (
		kept       []rules.Finding
		suppressed []Suppressed
	)
	for _, f := range findings {
		if s, notes := match(&f, candidates(&f, byPath), opts); s != nil {
			suppressed = append(suppressed, Suppressed{Finding: f, Suppression: s.suppression()})
			continue
		} else if len(notes) > 0 {
			f.Message += " (" + strings.Join(notes, "; ") + ")"
		}
		kept = append(kept, f)
	}
	diags = append(diags, unused(states, opts.Ran)...)
	slices.SortStableFunc(diags, func(a, b source.Diagnostic) int {
		return cmp.Or(strings.Compare(a.Subject.Path, b.Subject.Path), a.Subject.Start.Byte-b.Subject.Start.Byte)
	})
	return kept, suppressed, diags
}

// validate reports the ignores that cannot suppress anything as written and those
// without a reason.
func validate(ignores []*Ignore, opts Options) ([]*state, source.Diagnostics) {
	var diags source.Diagnostics
	warn := func(ig *Ignore, format string, args ...any) {
		at := ig.At
		diags = append(diags, source.Diagnostic{Severity: source.Warning, Summary: fmt.Sprintf(format, args...), Subject: &at})
	}
	states := make([]*state, 0, len(ignores))
	for _, ig := range ignores {
		s := &state{Ignore: ig}
		states = append(states, s)
		if ig.Problem != "" {
			warn(ig, "malformed %s ignore: %s", ig.Tool, ig.Problem)
			s.inactive = true
			continue
		}
		if ok, _ := path.Match(ig.Workspace, defaultWorkspace); ig.Workspace != "" && !ok {
			s.inactive = true // written for another Terraform workspace
			continue
		}
		known := knownIDs(ig.IDs, opts.Catalog)
		if len(known) < len(ig.IDs) {
			warn(ig, "%s", unknownWarning(ig, known))
		}
		if len(known) == 0 {
			s.inactive = true // a peer's ignore for a check iacscan does not have
			continue
		}
		if ig.Reason == "" {
			s.refused = opts.RequireReason
			if s.refused {
				warn(ig, "ignore refused: it gives no reason (--require-reason)")
			} else {
				warn(ig, "ignore gives no reason: say why the finding is accepted")
			}
		}
	}
	return states, diags
}

// unknownWarning says which IDs of an ignore no rule claims, in one sentence for the whole
// comment. A peer's ID usually means iacscan has no such check; the migration guide lists
// the ones it has.
func unknownWarning(ig *Ignore, known []string) string {
	var unknown []string
	for _, id := range ig.IDs {
		if !slices.Contains(known, id) {
			unknown = append(unknown, strconv.Quote(id))
		}
	}
	list, what := strings.Join(unknown, ", "), "rule"
	if len(unknown) > 1 {
		what = "rules"
	}
	if ig.Tool == ToolIacscan {
		return fmt.Sprintf("ignore names unknown %s %s (see `iacscan rules`)", what, list)
	}
	effect := "it suppresses nothing"
	if len(known) > 0 {
		effect = "only its other IDs take effect"
	}
	return fmt.Sprintf("%s ignore names %s, which no iacscan rule claims: %s (see docs/migration.md)", ig.Tool, list, effect)
}

func knownIDs(ids []string, catalog []*rules.Rule) []string {
	var out []string
	for _, id := range ids {
		if slices.ContainsFunc(catalog, func(r *rules.Rule) bool { return r.Matches(id) }) {
			out = append(out, id)
		}
	}
	return out
}

// candidates are the ignores in the files a finding touches: its own, its resource's, and
// those of its related locations (the module call of a finding inside a module).
func candidates(f *rules.Finding, byPath map[string][]*state) []*state {
	paths := []string{f.Range.Path}
	if !slices.Contains(paths, f.Resource.Path) {
		paths = append(paths, f.Resource.Path)
	}
	for _, r := range f.Related {
		if !slices.Contains(paths, r.Range.Path) {
			paths = append(paths, r.Range.Path)
		}
	}
	var out []*state
	for _, p := range paths {
		out = append(out, byPath[p]...)
	}
	return out
}

// match returns the ignore that suppresses f, or the notes explaining why the ignores
// that name and cover f do not.
func match(f *rules.Finding, cands []*state, opts Options) (*state, []string) {
	var notes []string
	res := opts.Resources[f.Resource]
	for _, s := range cands {
		if s.inactive || !s.names(f.Rule) || !s.covers(f, res) {
			continue
		}
		s.used = true
		switch {
		case s.refused:
			notes = append(notes, fmt.Sprintf("the ignore at %s was refused: it gives no reason", s.location()))
		case s.expired(opts.Now):
			notes = append(notes, fmt.Sprintf("the ignore at %s expired on %s", s.location(), s.expiry()))
		default:
			return s, nil
		}
	}
	return nil, notes
}

func (s *state) names(m *rules.Meta) bool {
	return m != nil && slices.ContainsFunc(s.IDs, m.Matches)
}

// covers reports whether the ignore's scope and selector take in f, whose resource is
// res (nil if unknown).
func (s *state) covers(f *rules.Finding, res *graph.Resource) bool {
	if s.Selector != nil && !s.Selector.selects(res) {
		return false
	}
	sc := s.Scope
	if sc.Line > 0 {
		return startsOn(f.Range, sc.Path, sc.Line) || slices.ContainsFunc(f.Related, func(r rules.Related) bool {
			return startsOn(r.Range, sc.Path, sc.Line)
		})
	}
	if sc.ByRelation {
		return within(f.Range, sc.Block) || slices.ContainsFunc(f.Related, func(r rules.Related) bool {
			return within(r.Range, sc.Block)
		})
	}
	if res != nil {
		return within(res.Range, sc.Block)
	}
	return within(f.Range, sc.Block)
}

func startsOn(r source.Range, path string, line int) bool {
	return r.Path == path && r.Start.Line == line
}

func within(inner, outer source.Range) bool {
	return inner.Path == outer.Path && inner.Start.Byte >= outer.Start.Byte && inner.End.Byte <= outer.End.Byte
}

// selects reports whether res is an instance the selector names.
func (sel *Selector) selects(res *graph.Resource) bool {
	if res == nil {
		return false
	}
	if sel.Attr == "" {
		addr := res.ID.Address
		return strings.HasSuffix(addr, `["`+sel.Key+`"]`) || strings.HasSuffix(addr, "["+sel.Key+"]")
	}
	v, ok := res.Body.Lookup(strings.Split(sel.Attr, ".")...).AsString()
	return ok && v == sel.Value
}

func (s *state) suppression() Suppression {
	at := s.At
	return Suppression{Kind: KindInSource, Reason: s.Reason, Expires: s.expiry(), Location: &at}
}

// unused reports iacscan's own ignores that matched nothing although a rule they name
// ran. Peers' ignores are not reported: checkov may still need them.
func unused(states []*state, ran []*rules.Rule) source.Diagnostics {
	var diags source.Diagnostics
	for _, s := range states {
		if s.Tool != ToolIacscan || s.inactive || s.used || !slices.ContainsFunc(ran, func(r *rules.Rule) bool { return s.names(&r.Meta) }) {
			continue
		}
		at := s.At
		diags = append(diags, source.Diagnostic{
			Severity: source.Warning,
			Summary:  "unused ignore: no " + strings.Join(s.IDs, ", ") + " finding here",
			Detail:   "remove it, or move it onto the finding's line, the line above, or the resource",
			Subject:  &at,
		})
	}
	return diags
}
