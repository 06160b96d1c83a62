package s3

import (
	"fmt"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// terraformFix is principalFix in Terraform, with the ARN a template builds from the
// module's aws_caller_identity data source, which the fix declares when the module has
// none (RULES.md 3.1). A policy written as a JSON string has no positions of its own to
// edit, and Terraform JSON files get no templates: both get a suggestion.
func terraformFix(g *graph.Graph, ps *publicStatement, hosts map[string]*graph.Resource) rules.ReportOption {
	st := ps.st
	id := callerIdentityIn(g, st.Resource.Scope)
	root := rootTemplate(id)
	o, ok := principalOffer(st, root)
	if ps.inString || st.Resource.Format != graph.Terraform || !ok {
		text := `replace the principal "*" with the account root, ` + root.Str
		if id == nil {
			text += ` (declare data "aws_caller_identity" "current" {})`
		}
		return rules.Suggestion(text + ", or name the principals that need access")
	}
	guard := ps.guard()
	declare(&o, st.Resource, id, hosts, guard)
	return o.Option(guard)
}

// callerIdentityIn returns the first aws_caller_identity data source of a module, or nil.
func callerIdentityIn(g *graph.Graph, scope string) *graph.Resource {
	for _, r := range g.OfKind(graph.CallerIdentity) {
		if r.Scope == scope {
			return r
		}
	}
	return nil
}

// rootTemplate is the account root ARN read from id, the module's aws_caller_identity, or
// from data.aws_caller_identity.current, which the fix declares, when id is nil.
func rootTemplate(id *graph.Resource) *graph.Value {
	name := "current"
	if id != nil {
		name = id.Name
	}
	address := string(graph.CallerIdentity) + "." + name
	return graph.TemplateValue("arn:aws:iam::${"+address+".account_id}:root",
		&graph.Ref{Address: address, Attr: "account_id", Target: id})
}

// principalOffer replaces the statement's "*" with root: a whole Principal "*" becomes
// { AWS = root }, an AWS principal or a principals identifier becomes root, and a
// principals block of type "*" becomes of type "AWS". It reports false when there is no
// "*" value to replace (a principals block of type "*" without a "*" identifier).
func principalOffer(st *Statement, root *graph.Value) (offer, bool) {
	star, ok := st.Principal.(*graph.Value)
	if !ok {
		return offer{}, false
	}
	set := func(v, nv *graph.Value) fixers.Change {
		return fixers.Change{Op: fixers.SetValue, Resource: st.Resource, Target: v, New: nv}
	}
	quoted := `"` + root.Str + `"`
	switch {
	case st.Bare:
		return offer{
			Description: "set Principal to the account root, { AWS = " + quoted + " }",
			Changes:     []fixers.Change{set(star, graph.MapValue(false, graph.Attr("AWS", root)))},
		}, true
	case st.Principals == nil:
		return offer{Description: "set the principal to the account root, " + quoted, Changes: []fixers.Change{set(star, root)}}, true
	}
	o := offer{Description: `set the "*" identifier to the account root, ` + quoted, Changes: []fixers.Change{set(star, root)}}
	if typ := st.Principals.Lookup("type"); isStar(typ) {
		o.Description = `set the principals type to "AWS" and the "*" identifier to the account root, ` + quoted
		o.Changes = append(o.Changes, set(typ, graph.StringValue("AWS")))
	}
	return o, true
}

func isStar(v *graph.Value) bool { s, ok := v.AsString(); return ok && s == "*" }

// declare completes o, whose template reads data.aws_caller_identity.current, when the
// module r is in declares no aws_caller_identity (id is nil): the data source is added
// once per module, by the fixes of one file. The first fix of the module that --fix
// writes picks its host, its own statement's resource; the fixes of the host's file add
// the same block after it, written once, and those of other files wait: once the module
// has the data source, --fix fixes them in its next pass. guard is why o is only a
// suggestion, or "".
func declare(o *offer, r, id *graph.Resource, hosts map[string]*graph.Resource, guard string) {
	if id != nil {
		if meta := id.Get("count", "for_each"); meta != nil {
			o.Blocked = fmt.Sprintf("%s.%s uses %s, so reading it needs an instance key", graph.CallerIdentity, id.Name, meta.Name)
		}
		return
	}
	host := hosts[r.Scope]
	if host == nil && guard == "" && o.Blocked == "" && fixers.DefinedElsewhere(o.Changes) == "" {
		host, hosts[r.Scope] = r, r
	}
	o.Description += `, and declare data "aws_caller_identity" "current" {}`
	if host != nil && host.ID.Path != r.ID.Path {
		o.Blocked = "the fix of a statement in " + host.ID.Path + " declares data.aws_caller_identity.current for the module first; --fix then fixes this one in its next pass"
		host = nil
	}
	if host == nil {
		host = r
	}
	o.Changes = append(o.Changes, fixers.Change{Op: fixers.AddResource, Resource: host, Kind: graph.CallerIdentity, Name: "current", New: graph.MapValue(true)})
}
