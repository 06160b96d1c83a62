package redshift

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// activityParameter is the parameter that turns user activity logging on.
const activityParameter = "enable_user_activity_logging"

// UserActivityLogging is AWS-RS-023: clusters whose parameter group does not log user
// activity. The setting lives in the parameter group a cluster names: a group of the scan
// is fixed where it is (once, however many clusters use it); a cluster on a default group,
// which cannot be changed, needs a group of its own, which is only suggested.
var UserActivityLogging = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-RS-023",
	Name:  "redshift-user-activity-logging-disabled",
	Title: "Redshift parameter group does not log user activity",
	Description: "The user activity log records every query before it runs: without it, audit logging shows " +
		"connections and user changes but not what was read or changed. It is the parameter " +
		"`enable_user_activity_logging` of the cluster's parameter group, false in the default groups " +
		"(default.redshift-1.0), which cannot be modified. The rule follows each cluster to its group by " +
		"reference or by name; groups of the scan are judged once, with the clusters that use them as related " +
		"locations. The log is written only when the cluster's audit logging is on.",
	Remediation: "Terraform: `parameter { name = \"enable_user_activity_logging\" value = \"true\" }` in the " +
		"aws_redshift_parameter_group the cluster names in `cluster_parameter_group_name`. CloudFormation: " +
		"`{ParameterName: enable_user_activity_logging, ParameterValue: \"true\"}` in `Parameters` of the " +
		"AWS::Redshift::ClusterParameterGroup named by `ClusterParameterGroupName`. A cluster on a default group " +
		"needs a group of its own.",
	Severity: rules.Low,
	Tags:     tags("logging", "CWE-778"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixGuarded,
}, Check: checkActivityLogging}

func checkActivityLogging(ctx *rules.Context) {
	groups := ctx.Graph.OfKind(graph.RedshiftParameterGroup)
	users := map[*graph.Resource][]*graph.Resource{}
	for _, c := range ctx.Graph.OfKind(graph.RedshiftCluster) {
		if g := clusterGroup(ctx, c, groups); g != nil {
			users[g] = append(users[g], c)
		}
	}
	for _, g := range groups {
		checkGroup(ctx, g, users[g])
	}
}

// clusterGroup returns the parameter group of the scan that cluster c names. A cluster on
// a default group is reported; one naming a group that is not known is unresolved.
func clusterGroup(ctx *rules.Context, c *graph.Resource, groups []*graph.Resource) *graph.Resource {
	path := []string{"cluster_parameter_group_name"}
	if !c.Format.IsTerraform() {
		path = []string{"ClusterParameterGroupName"}
	}
	found := setting.Lookup(c, path)
	v := found.Unknown
	if found.Attr != nil {
		v = found.Attr.Value
	}
	if v == nil {
		reportDefault(ctx, c, nil, path[0]+" is not set, so the cluster uses the default parameter group")
		return nil
	}
	for _, ref := range v.Refs {
		if ref.Whole && ref.Target != nil && ref.Target.Kind == graph.RedshiftParameterGroup {
			return ref.Target
		}
	}
	name, known := v.AsString()
	switch {
	case !known:
		ctx.Unresolved(c, v, path[0]+" is not known statically")
	case groupNamed(groups, c.Scope, name) != nil:
		return groupNamed(groups, c.Scope, name)
	case strings.HasPrefix(name, "default."):
		reportDefault(ctx, c, v, fmt.Sprintf("%s is %s, a default parameter group", path[0], setting.Render(v, c.Format)))
	default:
		ctx.Unresolved(c, v, fmt.Sprintf("parameter group %q is not in the scan", name))
	}
	return nil
}

// groupNamed returns the group of the scan whose name is name, preferring c's scope.
func groupNamed(groups []*graph.Resource, scope, name string) *graph.Resource {
	var other *graph.Resource
	for _, g := range groups {
		a := g.Get("name", "ParameterGroupName")
		if a == nil || a.Value.Type != graph.String || a.Value.Str != name {
			continue
		}
		if g.Scope == scope {
			return g
		}
		if other == nil {
			other = g
		}
	}
	return other
}

// parameter is enable_user_activity_logging in a group: its value, or nothing.
type parameter struct {
	value   *graph.Value // the parameter's value, nil when the group does not set it
	unknown *graph.Value // what keeps the rule from telling, when it cannot
}

// findParameter reads the group's parameters: Terraform `parameter` blocks, CloudFormation
// `Parameters` items, each a name and a value.
func findParameter(g *graph.Resource) parameter {
	list, name, value := "parameter", "name", "value"
	if !g.Format.IsTerraform() {
		list, name, value = "Parameters", "ParameterName", "ParameterValue"
	}
	var p parameter
	for _, a := range g.Body.Attrs {
		if (a.Name == "dynamic" && len(a.Labels) == 1 && a.Labels[0] == list) || (a.Name == list && !a.Value.Known()) {
			p.unknown = a.Value
		}
	}
	for _, it := range g.Body.Elements(list) {
		n := it.Get(name)
		switch {
		case !it.Known() || (n != nil && !n.Value.Known()):
			p.unknown = it
		case n != nil && n.Value.Type == graph.String && n.Value.Str == activityParameter:
			if v := it.Get(value); v != nil {
				return parameter{value: v.Value}
			}
		}
	}
	return p
}

// checkGroup reports a group of the scan that does not log user activity, with the
// clusters that use it.
func checkGroup(ctx *rules.Context, g *graph.Resource, clusters []*graph.Resource) {
	p := findParameter(g)
	var opts []rules.ReportOption
	for _, c := range clusters {
		opts = append(opts, rules.WithRelated(c, "used by "+c.ID.Address))
	}
	switch {
	case p.value != nil && !p.value.Known():
		ctx.Unresolved(g, p.value, activityParameter+" is not known statically")
	case p.value != nil && p.value.IsTrue():
	case p.value != nil:
		o := rules.SetValue(g, activityParameter, p.value, graph.StringValue("true"), setting.Render(graph.StringValue("true"), g.Format))
		msg := fmt.Sprintf("parameter group does not log user activity: %s is %s", activityParameter, setting.Render(p.value, g.Format))
		ctx.Report(g, p.value, msg, append(opts, o.Option(""))...)
	case p.unknown != nil:
		ctx.Unresolved(g, p.unknown, "the group's parameters are not known statically")
	default:
		msg := fmt.Sprintf("parameter group does not log user activity: %s is not set, and defaults to false", activityParameter)
		ctx.Report(g, nil, msg, append(opts, addParameter(g).Option(""))...)
	}
}

// addParameter offers to add the parameter to a group: a Terraform `parameter` block, or
// CloudFormation Parameters when the group has none (no fix adds an item to a list yet).
func addParameter(g *graph.Resource) rules.Offer {
	if g.Format.IsTerraform() {
		block := graph.MapValue(true, graph.Attr("name", graph.StringValue(activityParameter)), graph.Attr("value", graph.StringValue("true")))
		return rules.AddSetting(g, g.Body, "parameter", block, fmt.Sprintf(`a parameter block with name = %q, value = "true"`, activityParameter))
	}
	item := graph.MapValue(false, graph.Attr("ParameterName", graph.StringValue(activityParameter)), graph.Attr("ParameterValue", graph.StringValue("true")))
	what := fmt.Sprintf(`{ParameterName: %s, ParameterValue: "true"}`, activityParameter)
	if g.Get("Parameters") != nil {
		return rules.Offer{Description: "add " + what + " to Parameters", Blocked: "--fix does not add items to a list"}
	}
	return rules.AddSetting(g, g.Body, "Parameters", &graph.Value{Type: graph.List, Items: []*graph.Value{item}}, "Parameters with "+what)
}

// reportDefault reports a cluster on a default parameter group, which cannot be modified:
// in Terraform the suggestion declares a group for it and points the cluster at it.
func reportDefault(ctx *rules.Context, c *graph.Resource, v *graph.Value, why string) {
	msg := "Redshift cluster does not log user activity: " + why
	o := newGroup(ctx.Graph, c, v)
	var at rules.Locatable
	if v != nil {
		at = v
	}
	ctx.Report(c, at, msg, o.Option("a default parameter group cannot be changed: the cluster needs a group of its own"))
}

// newGroup offers a parameter group for cluster c that logs user activity, named after it,
// and c's setting pointed at it (v, or a new setting when nil).
func newGroup(g *graph.Graph, c *graph.Resource, v *graph.Value) rules.Offer {
	desc := fmt.Sprintf("create a parameter group (family redshift-1.0) with %s = true and set the cluster's parameter group to it", activityParameter)
	if !c.Format.IsTerraform() {
		return rules.Offer{Description: desc}
	}
	address := string(graph.RedshiftParameterGroup) + "." + c.Name
	ref := &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: address, Attr: "name", Whole: true}}}
	body := graph.MapValue(true,
		graph.Attr("name", graph.StringValue(strings.ToLower(strings.ReplaceAll(c.Name, "_", "-"))+"-logging")),
		graph.Attr("family", graph.StringValue("redshift-1.0")),
		graph.Attr("parameter", graph.MapValue(true, graph.Attr("name", graph.StringValue(activityParameter)), graph.Attr("value", graph.StringValue("true")))),
	)
	set := fixers.Change{Op: fixers.AddAttribute, Resource: c, Parent: c.Body, Name: "cluster_parameter_group_name", New: ref}
	if v != nil {
		set = fixers.Change{Op: fixers.SetValue, Resource: c, Target: v, New: ref}
	}
	o := rules.Offer{
		Description: fmt.Sprintf("add %s with %s = \"true\" and set cluster_parameter_group_name to %s.name", address, activityParameter, address),
		Changes:     []fixers.Change{{Op: fixers.AddResource, Resource: c, Kind: graph.RedshiftParameterGroup, Name: c.Name, New: body}, set},
	}
	if g.Lookup(c.Scope, address) != nil {
		o.Blocked = address + " already exists"
	}
	return o
}
