package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// closing is how one world source leaves the configuration (RULES.md 2.2): the source
// alone when the permission keeps other sources, else the whole permission, whether it is
// a block, a list item or a rule resource of its own.
type closing struct {
	description string
	changes     []fixers.Change
	// blocked says why --fix must not write the changes, whatever the rule: a value comes
	// from somewhere else, or something references the resource to delete.
	blocked string
}

// closeWorld returns how the world source w of p is closed.
func closeWorld(g *graph.Graph, p *Permission, w *graph.Value) (closing, bool) {
	var (
		c  closing
		ok bool
	)
	if p.OtherSources {
		c, ok = closeSource(p, w)
	} else {
		c, ok = closePermission(g, p)
	}
	c.keepOrigins(w)
	return c, ok
}

// keepOrigins makes c a suggestion without changes when w, or a value the changes would
// delete, is defined elsewhere (a parameter default, a for_each item): the place to change
// is where it is defined, not what it generates (RULES.md decision 6).
func (c *closing) keepOrigins(w *graph.Value) {
	origin := fixers.DefinedElsewhere(c.changes)
	if w.Origin != nil {
		origin = fixers.DescribeOrigin(w)
	}
	if origin != "" {
		c.blocked, c.changes = origin, nil
	}
}

// option attaches c as the finding's fix: --fix writes it unless something blocks it or
// the rule only suggests it, for the reason why.
func (c closing) option(why string) rules.ReportOption {
	if c.blocked != "" {
		why = c.blocked
	}
	if why == "" {
		return rules.WithFix(rules.FixAuto, c.description, c.changes...)
	}
	return rules.WithFix(rules.FixSuggest, c.description+"; a suggestion because "+why, c.changes...)
}

// closeSource takes w out of its attribute, or the attribute out of the permission when
// every CIDR in it is world-open: an empty list would only be noise.
func closeSource(p *Permission, w *graph.Value) (closing, bool) {
	a, list := holderOf(p.Element, w)
	if a == nil {
		return closing{}, false
	}
	if list != nil && slices.ContainsFunc(list.Items, func(it *graph.Value) bool { return !isWorldValue(it) }) {
		return closing{
			description: fmt.Sprintf("remove %s from %s", w.Str, a.Name),
			changes:     []fixers.Change{{Op: fixers.RemoveItem, Resource: p.Resource, Parent: list, Target: w}},
		}, true
	}
	return closing{
		description: fmt.Sprintf("remove %s (it allows only %s; the rule keeps its other sources)", a.Name, worldList(a.Value)),
		changes:     []fixers.Change{{Op: fixers.RemoveAttribute, Resource: p.Resource, Parent: p.Element, Attr: a}},
	}, true
}

// closePermission deletes a permission whose only sources are world-open.
func closePermission(g *graph.Graph, p *Permission) (closing, bool) {
	summary := fmt.Sprintf("%s from %s", p.Ports(), worldList(&graph.Value{Type: graph.List, Items: p.World}))
	if p.Element == p.Resource.Body {
		c := closing{
			description: fmt.Sprintf("remove %s (%s)", resourceName(p.Resource), summary),
			changes:     []fixers.Change{{Op: fixers.RemoveResource, Resource: p.Resource}},
		}
		if by := g.Referrers(p.Resource); len(by) > 0 {
			c.blocked = fmt.Sprintf("%s is referenced by %s", resourceName(p.Resource), resourceNames(by))
		} else if len(p.Resource.ReadByOutputs) > 0 {
			c.blocked = fmt.Sprintf("%s is read by the template's Outputs", resourceName(p.Resource))
		}
		return c, true
	}
	a, list := holderOf(p.Resource.Body, p.Element)
	switch {
	case a == nil:
		return closing{}, false
	case list == nil:
		return closeBlock(p, a, summary), true
	case len(list.Items) > 1 || p.Resource.Format.IsTerraform():
		// Terraform keeps `ingress = []`: the empty list is what removes every rule.
		return closing{
			description: fmt.Sprintf("remove the %s item (%s)", a.Name, summary),
			changes:     []fixers.Change{{Op: fixers.RemoveItem, Resource: p.Resource, Parent: list, Target: p.Element}},
		}, true
	}
	return closing{
		description: fmt.Sprintf("remove %s (its only item allows %s)", a.Name, summary),
		changes:     []fixers.Change{{Op: fixers.RemoveAttribute, Resource: p.Resource, Parent: p.Resource.Body, Attr: a}},
	}, true
}

// closeBlock deletes an inline Terraform block. Without any block left, Terraform would
// leave the group's rules as they are (the blocks are processed in attributes-as-blocks
// mode), so the last block gives way to an explicit empty list.
func closeBlock(p *Permission, a *graph.Attribute, summary string) closing {
	c := closing{
		description: fmt.Sprintf("remove the %s block (%s)", a.Name, summary),
		changes:     []fixers.Change{{Op: fixers.RemoveAttribute, Resource: p.Resource, Parent: p.Resource.Body, Attr: a}},
	}
	if blocks(p.Resource.Body, a.Name) == 1 {
		c.description += fmt.Sprintf(" and set %s = [], as without %s blocks Terraform leaves the group's rules in place", a.Name, a.Name)
		c.changes = append(c.changes, fixers.Change{Op: fixers.AddAttribute, Resource: p.Resource, Parent: p.Resource.Body, Name: a.Name, New: &graph.Value{Type: graph.List}})
	}
	return c
}

// blocks counts the blocks named name in body, `dynamic` ones included.
func blocks(body *graph.Value, name string) int {
	n := 0
	for _, a := range body.Attrs {
		if a.Name == name || a.Name == "dynamic" && slices.Equal(a.Labels, []string{name}) {
			n++
		}
	}
	return n
}

// holderOf returns the attribute of the map m that holds v, as its value or as an item of
// its list value (list is then that value).
func holderOf(m, v *graph.Value) (a *graph.Attribute, list *graph.Value) {
	for _, a := range m.Attrs {
		if a.Value == v {
			return a, nil
		}
		if a.Value.Type == graph.List && slices.Contains(a.Value.Items, v) {
			return a, a.Value
		}
	}
	return nil, nil
}

func isWorldValue(v *graph.Value) bool { return v.Type == graph.String && IsWorld(v.Str) }

// worldList renders the world CIDRs of a value: "0.0.0.0/0, ::/0".
func worldList(v *graph.Value) string {
	var out []string
	for _, s := range v.Strings() {
		if IsWorld(s.Str) {
			out = append(out, s.Str)
		}
	}
	return strings.Join(out, ", ")
}

// resourceName names a resource in a fix description: its Terraform address, or
// "resource LogicalID".
func resourceName(r *graph.Resource) string {
	if r.Format.IsTerraform() {
		return r.ID.Address
	}
	return "resource " + r.ID.Address
}

func resourceNames(rs []*graph.Resource) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = resourceName(r)
	}
	return strings.Join(names, ", ")
}
