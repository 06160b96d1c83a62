package fixers

import (
	"errors"
	"fmt"
	"slices"

	"github.com/iacscan/iacscan/fixers/hclpatch"
	"github.com/iacscan/iacscan/fixers/jsonpatch"
	"github.com/iacscan/iacscan/fixers/yamlpatch"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

var (
	// ErrIncomplete reports a change that lacks what its Op needs (a rule bug).
	ErrIncomplete = errors.New("incomplete change")
	// ErrDefinedElsewhere reports a change to a value that is defined somewhere else (a
	// CloudFormation parameter default, a YAML anchor): fixes never edit such a value.
	ErrDefinedElsewhere = errors.New("the value is defined elsewhere")
	// ErrConflict reports two changes that ask for different things at the same place.
	ErrConflict = errors.New("conflicting changes")
	// ErrFormat reports a file in a format no patcher writes.
	ErrFormat = errors.New("no patcher for this format")
	// ErrNoSpelling reports an attribute the resource's own syntax cannot write (a
	// CloudFormation property an AWS SAM resource does not take).
	ErrNoSpelling = errors.New("no such property in the resource's syntax")
)

// patcher turns changes of one file into byte edits of its original content. Removals and
// additions come grouped by the list or map they change, so that a patcher can keep the
// separators of what stays right whatever goes.
type patcher interface {
	SetValue(target, v *graph.Value) ([]Edit, error)
	RemoveItems(list *graph.Value, items []*graph.Value) ([]Edit, error)
	EditMap(m *graph.Value, remove, add []*graph.Attribute) ([]Edit, error)
	RemoveResources(rs []*graph.Resource) ([]Edit, error)
	AddResource(after *graph.Resource, kind graph.Kind, name string, body *graph.Value) ([]Edit, error)
	// Finish sorts the edits, drops duplicates, rejects overlaps and makes the last
	// format-specific adjustments (the alignment terraform fmt wants).
	Finish(edits []Edit) ([]Edit, error)
}

// Plan turns the changes to one file into byte edits of its original content: sorted,
// without duplicates, checked for overlap, ready for Apply. New text follows the file's
// own style (indentation, line endings, final newline, quotes, block or flow style), and
// every byte the changes do not name stays as it is.
func Plan(f *source.File, format graph.Format, changes []Change) ([]Edit, error) {
	p, err := NewPlanner(f, format)
	if err != nil {
		return nil, err
	}
	return p.Plan(changes)
}

// Planner plans changes to one file, which it reads once: the fix engine plans each
// finding's fix, then sets of them, against the same content.
type Planner struct {
	path string
	p    patcher
}

// NewPlanner reads f, in the given format. A file that does not parse cannot be planned.
func NewPlanner(f *source.File, format graph.Format) (*Planner, error) {
	p, err := open(f, format)
	if err != nil {
		return nil, err
	}
	return &Planner{path: f.Path, p: p}, nil
}

// Plan turns changes into edits, as the function Plan does.
func (pl *Planner) Plan(changes []Change) ([]Edit, error) {
	g, err := group(changes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pl.path, err)
	}
	edits, err := g.plan(pl.p)
	if err == nil {
		edits, err = pl.p.Finish(edits)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pl.path, err)
	}
	return edits, nil
}

func open(f *source.File, format graph.Format) (patcher, error) {
	switch format {
	case graph.Terraform:
		return hclpatch.New(f)
	case graph.CloudFormationYAML, graph.Serverless:
		return yamlpatch.New(f)
	case graph.CloudFormationJSON, graph.TerraformJSON:
		return jsonpatch.New(f, format)
	}
	return nil, fmt.Errorf("%w: %s (%v)", ErrFormat, f.Path, format)
}

// changeSet is the changes to one file, grouped by what they change.
type changeSet struct {
	sets    []Change
	lists   []*listChange
	maps    []*mapChange
	removed []*graph.Resource
	added   []Change
}

type listChange struct {
	list  *graph.Value
	items []*graph.Value
}

type mapChange struct {
	m           *graph.Value
	remove, add []*graph.Attribute
}

// group checks the changes and groups them. Two findings may ask for the same change: it
// is planned once.
func group(changes []Change) (*changeSet, error) {
	g := &changeSet{}
	for _, c := range changes {
		if err := check(c); err != nil {
			return nil, err
		}
		switch c.Op {
		case SetValue:
			g.sets = append(g.sets, c)
		case RemoveItem:
			l := g.list(c.Parent)
			l.items = append(l.items, c.Target)
		case RemoveAttribute:
			m := g.mapOf(c.Parent)
			m.remove = append(m.remove, c.Attr)
		case AddAttribute:
			name, v, ok := c.Name, c.New, true
			if c.Resource != nil && c.Resource.Respell != nil {
				name, v, ok = c.Resource.Respell(c.Parent, name, v)
			}
			if !ok {
				return nil, fmt.Errorf("%w: %s has no property %s", ErrNoSpelling, c.Resource.Native, c.Name)
			}
			if err := g.mapOf(c.Parent).addOnce(graph.Attr(name, v)); err != nil {
				return nil, err
			}
		case RemoveResource:
			if !slices.Contains(g.removed, c.Resource) {
				g.removed = append(g.removed, c.Resource)
			}
		case AddResource:
			if err := g.addResource(c); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

// check rejects a change that lacks what its Op needs, or that would edit a value
// defined elsewhere.
func check(c Change) error {
	var complete bool
	var edited *graph.Value
	switch c.Op {
	case SetValue:
		complete, edited = c.Target != nil && c.New != nil, c.Target
	case RemoveItem:
		complete, edited = c.Target != nil && c.Parent != nil, c.Target
	case RemoveAttribute:
		complete = c.Attr != nil && c.Parent != nil
		if complete {
			edited = c.Attr.Value
		}
	case AddAttribute:
		complete, edited = c.Parent != nil && c.Name != "" && c.New != nil, c.Parent
	case RemoveResource:
		complete = c.Resource != nil && c.Resource.Body != nil
		if complete {
			edited = c.Resource.Body // a resource generated by a loop is written once for all
		}
	case AddResource:
		complete = c.Resource != nil && c.Kind != "" && c.Name != "" && c.New != nil
	}
	switch {
	case !complete:
		return fmt.Errorf("%w: op %d", ErrIncomplete, c.Op)
	case edited != nil && edited.Origin != nil:
		o := edited.Origin
		return fmt.Errorf("%w, at %s:%d:%d", ErrDefinedElsewhere, o.Path, o.Start.Line, o.Start.Column)
	}
	return nil
}

func (g *changeSet) list(v *graph.Value) *listChange {
	for _, l := range g.lists {
		if sameSpan(l.list, v) {
			return l
		}
	}
	l := &listChange{list: v}
	g.lists = append(g.lists, l)
	return l
}

func (g *changeSet) mapOf(v *graph.Value) *mapChange {
	for _, m := range g.maps {
		if sameSpan(m.m, v) {
			return m
		}
	}
	m := &mapChange{m: v}
	g.maps = append(g.maps, m)
	return m
}

// addOnce adds a to the attributes to add, unless the same attribute is there already.
func (m *mapChange) addOnce(a *graph.Attribute) error {
	for _, b := range m.add {
		if b.Name != a.Name {
			continue
		}
		if !equal(a.Value, b.Value) {
			return fmt.Errorf("%w: two different values for %s", ErrConflict, a.Name)
		}
		return nil
	}
	m.add = append(m.add, a)
	return nil
}

// addResource adds c to the resources to add, unless the same resource is there already
// (two findings may need one data source). Another resource of the same address would
// declare it twice: a conflict.
func (g *changeSet) addResource(c Change) error {
	for _, a := range g.added {
		if a.Kind != c.Kind || a.Name != c.Name {
			continue
		}
		if a.Resource.ID != c.Resource.ID || !equal(a.New, c.New) {
			return fmt.Errorf("%w: two different %s.%s", ErrConflict, c.Kind, c.Name)
		}
		return nil
	}
	g.added = append(g.added, c)
	return nil
}

// plan asks the patcher for the edits of every group.
func (g *changeSet) plan(p patcher) ([]Edit, error) {
	var edits []Edit
	collect := func(es []Edit, err error) error {
		edits = append(edits, es...)
		return err
	}
	for _, c := range g.sets {
		if err := collect(p.SetValue(c.Target, c.New)); err != nil {
			return nil, err
		}
	}
	for _, l := range g.lists {
		if err := collect(p.RemoveItems(l.list, l.items)); err != nil {
			return nil, err
		}
	}
	for _, m := range g.maps {
		if err := collect(p.EditMap(m.m, m.remove, m.add)); err != nil {
			return nil, err
		}
	}
	if len(g.removed) > 0 {
		if err := collect(p.RemoveResources(g.removed)); err != nil {
			return nil, err
		}
	}
	for _, c := range g.added {
		if err := collect(p.AddResource(c.Resource, c.Kind, c.Name, c.New)); err != nil {
			return nil, err
		}
	}
	return edits, nil
}

func sameSpan(a, b *graph.Value) bool {
	return a == b || a.Range.Path == b.Range.Path && a.Range.Start.Byte == b.Range.Start.Byte && a.Range.End.Byte == b.Range.End.Byte
}

// equal compares two new values: what a rule builds, without ranges.
func equal(a, b *graph.Value) bool {
	if a.Type != b.Type || a.Str != b.Str || a.Num != b.Num || a.Bool != b.Bool || a.Block != b.Block ||
		len(a.Items) != len(b.Items) || len(a.Attrs) != len(b.Attrs) || len(a.Refs) != len(b.Refs) {
		return false
	}
	for i := range a.Items {
		if !equal(a.Items[i], b.Items[i]) {
			return false
		}
	}
	for i := range a.Attrs {
		x, y := a.Attrs[i], b.Attrs[i]
		if x.Name != y.Name || !slices.Equal(x.Labels, y.Labels) || !equal(x.Value, y.Value) {
			return false
		}
	}
	for i := range a.Refs {
		if a.Refs[i].Address != b.Refs[i].Address || a.Refs[i].Attr != b.Refs[i].Attr {
			return false
		}
	}
	return true
}
