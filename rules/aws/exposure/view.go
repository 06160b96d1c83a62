package exposure

import (
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// View is the exposure of one graph: the attachments of every security group and the
// reaches of every resource the internet can reach.
type View struct {
	byGroup map[*graph.Resource][]Attachment
	reach   reaches
	// unknown are, by scope, the attachments that are not statically known: each may name
	// any group of its scope.
	unknown map[string][]*graph.Value
	// attaching counts, by scope, the resources that attach security groups at all.
	attaching map[string]int
}

// Build computes the view of g.
func Build(g *graph.Graph) *View {
	v := &View{byGroup: map[*graph.Resource][]Attachment{}, reach: build(g), unknown: map[string][]*graph.Value{}, attaching: map[string]int{}}
	names := groupNames(g)
	for _, r := range g.Resources {
		as, unknown, attaching := attachments(r, names)
		if attaching {
			v.attaching[r.Scope]++
		}
		for _, a := range as {
			v.byGroup[a.Group] = append(v.byGroup[a.Group], a)
		}
		v.unknown[r.Scope] = append(v.unknown[r.Scope], unknown...)
	}
	return v
}

type viewKey struct{}

// Of returns the view of the scan, built once and shared by every rule that reads it.
func Of(ctx *rules.Context) *View {
	return rules.Memo(ctx, viewKey{}, func() *View { return Build(ctx.Graph) })
}

// Attachments returns the resources group is attached to, in graph order.
func (v *View) Attachments(group *graph.Resource) []Attachment { return v.byGroup[group] }

// Attaching reports whether any resource of scope attaches security groups: a scope
// without one (a module or template that only declares groups) declares them for
// resources elsewhere.
func (v *View) Attaching(scope string) bool { return v.attaching[scope] > 0 }

// Unknown returns the attachments of scope that are not statically known.
func (v *View) Unknown(scope string) []*graph.Value { return v.unknown[scope] }

// Reaches returns the ways the internet reaches r; none when it cannot, as far as the
// scan shows.
func (v *View) Reaches(r *graph.Resource) []Reach { return v.reach[r] }

// Exposed reports whether the internet reaches a resource group is attached to, on a port
// opens accepts (a resource reached through a load balancer is reached on its target
// group's port only). The path is what shows it, as related locations: the group, where
// it is attached, then the evidence of the reach (the public IP, or the target group,
// listener and load balancer), with the resource reached. The first such path in graph
// order is returned. Resources skip accepts are passed over (nil skips none).
func (v *View) Exposed(group *graph.Resource, opens func(port int) bool, skip func(*graph.Resource) bool) (reached *graph.Resource, path []rules.Related, ok bool) {
	for _, a := range v.byGroup[group] {
		if skip != nil && skip(a.Resource) {
			continue
		}
		for _, r := range v.reach[a.Resource] {
			if r.Ports != nil && !slices.ContainsFunc(r.Ports, opens) {
				continue
			}
			path = []rules.Related{
				{Range: group.Header, Message: "security group " + address(group)},
				{Range: a.At.Range, Message: "attached to " + address(a.Resource) + " here"},
			}
			return a.Resource, append(path, r.Path...), true
		}
	}
	return nil, nil, false
}
