// Package setting turns a declaration — "resources of kind K must have setting S at a safe
// value; when S is absent the provider's default applies" — into a rule. The declaration
// names the setting's path in Terraform and in CloudFormation (serverless.yml resources are
// CloudFormation), which values are safe, the default, and the value a fix writes; the
// engine derives the rest: where the finding points (the value, or the resource header
// when the setting is absent), unresolved checks for values that are not statically known,
// value traces, and the fix through the existing patchers (set the value, or add the
// setting, with the nested blocks or maps it needs, in the file's own style), a suggestion
// naming the variable or parameter where the value comes from.
//
// Rules that need more than one setting of one resource (a parameter group, a list edit, a
// key in use elsewhere) are ordinary rule functions that reuse Lookup and Spec.Check.
package setting

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Spec declares a setting rule.
type Spec struct {
	// Kinds are the canonical kinds the setting belongs to.
	Kinds []graph.Kind
	// Terraform and CloudFormation are the setting's path in each format, dot-separated:
	// "tracing_config.mode" (intermediate Terraform names are nested blocks),
	// "TracingConfig.Mode" (intermediate CloudFormation names are maps). "" when the
	// setting does not exist in that format.
	Terraform, CloudFormation string
	// Problem says what is wrong, as the start of the message: "trail does not validate
	// its log files".
	Problem string
	// Safe reports whether a known value is acceptable.
	Safe Matcher
	// Default is the value that applies when the setting is absent, according to the
	// provider or service documentation; nil when an absent setting is not a finding.
	Default *graph.Value
	// Required makes an absent setting a finding whatever the default: a key that must be
	// named.
	Required bool
	// Fixed is the value a fix writes; nil when the rule cannot know it (a key, a bucket):
	// then Advice is offered as a suggestion.
	Fixed *graph.Value
	// Advice is what a suggestion says when there is no fixed value or the rule's fix mode
	// is not auto: "set kms_key_id to a key whose policy lets CloudTrail encrypt".
	Advice string
	// Skip exempts resources the setting does not apply to (a target group of Lambda
	// functions, an asymmetric key); nil exempts none.
	Skip func(*graph.Resource) bool
}

// Rule returns the rule with meta's metadata that checks each spec (a trail must be
// multi-region AND include global service events: two settings, one rule). Unless meta
// names them, its formats are those the paths exist in.
func Rule(meta rules.Meta, specs ...Spec) *rules.Rule {
	if meta.Formats == nil {
		for _, s := range specs {
			for _, f := range s.Formats() {
				if !slices.Contains(meta.Formats, f) {
					meta.Formats = append(meta.Formats, f)
				}
			}
		}
	}
	r := &rules.Rule{Meta: meta}
	r.Check = func(ctx *rules.Context) {
		for _, s := range specs {
			for _, res := range ctx.Graph.OfKind(s.Kinds...) {
				s.Check(ctx, &r.Meta, res)
			}
		}
	}
	return r
}

// Formats are the formats spec's paths exist in: serverless.yml carries CloudFormation.
func (s Spec) Formats() []graph.Format {
	var out []graph.Format
	if s.Terraform != "" {
		out = append(out, graph.Terraform)
	}
	if s.CloudFormation != "" {
		out = append(out, graph.CloudFormationYAML, graph.CloudFormationJSON, graph.Serverless)
	}
	return out
}

// Path returns the setting's path in r's format, nil when it has none there.
func (s Spec) Path(r *graph.Resource) []string {
	p := s.CloudFormation
	if r.Format.IsTerraform() {
		p = s.Terraform
	}
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

// Check checks resource r against the spec and reports to ctx, as rule meta.
func (s Spec) Check(ctx *rules.Context, meta *rules.Meta, r *graph.Resource) {
	path := s.Path(r)
	if path == nil || (s.Skip != nil && s.Skip(r)) {
		return
	}
	found := Lookup(r, path)
	name := strings.Join(path, ".")
	switch {
	case found.Unknown != nil:
		ctx.Unresolved(r, found.Unknown, name+" is not known statically")
	case found.Attr == nil && s.Required:
		ctx.Report(r, nil, fmt.Sprintf("%s: %s is not set", s.Problem, name), s.fix(meta, s.add(r, found)))
	case found.Attr == nil:
		if s.Default == nil || s.Safe(s.Default) {
			return
		}
		msg := fmt.Sprintf("%s: %s is not set, and defaults to %s", s.Problem, name, Render(s.Default, r.Format))
		ctx.Report(r, nil, msg, s.fix(meta, s.add(r, found)))
	case !s.Safe(found.Attr.Value):
		v := found.Attr.Value
		msg := fmt.Sprintf("%s: %s is %s", s.Problem, name, Render(v, r.Format))
		var o rules.Offer
		if s.Fixed != nil {
			o = rules.SetValue(r, name, v, s.Fixed, Render(s.Fixed, r.Format))
		}
		ctx.Report(r, v, msg, s.fix(meta, o))
	}
}

// fix turns an offer into the finding's fix in the rule's mode: a suggestion with the
// advice when there is nothing to write or the rule never writes.
func (s Spec) fix(meta *rules.Meta, o rules.Offer) rules.ReportOption {
	switch {
	case meta.Fix == rules.FixNone:
		return func(*rules.Finding) {}
	case o.Changes == nil && o.Blocked == "":
		return rules.Suggestion(s.Advice)
	case meta.Fix != rules.FixAuto:
		why := s.Advice
		if why == "" {
			why = "the rule only suggests its fix"
		}
		return o.Option(why)
	}
	return o.Option("")
}

// add offers to add the missing part of the setting, below the deepest map found.
func (s Spec) add(r *graph.Resource, found Found) rules.Offer {
	if s.Fixed == nil {
		return rules.Offer{}
	}
	return Add(r, found, s.Fixed)
}

// Add offers to add the setting Lookup found missing, holding v, with the nested blocks
// (Terraform) or maps (CloudFormation) its path needs below the deepest one present.
func Add(r *graph.Resource, found Found, v *graph.Value) rules.Offer {
	missing := found.Missing
	value := v
	for i := len(missing) - 1; i > 0; i-- {
		value = graph.MapValue(r.Format.IsTerraform(), graph.Attr(missing[i], value))
	}
	return rules.AddSetting(r, found.Parent, missing[0], value, describeAdd(missing, v, r.Format))
}

// describeAdd spells a new setting as its format does: `enable_logging = true`, a
// `tracing_config` block with `mode = "Active"`, `TracingConfig.Mode: Active`.
func describeAdd(missing []string, v *graph.Value, f graph.Format) string {
	leaf := Render(v, f)
	last := missing[len(missing)-1]
	if !f.IsTerraform() {
		return fmt.Sprintf("%s: %s", strings.Join(missing, "."), leaf)
	}
	if len(missing) == 1 {
		return fmt.Sprintf("%s = %s", last, leaf)
	}
	return fmt.Sprintf("a %s block with %s = %s", strings.Join(missing[:len(missing)-1], " { "), last, leaf)
}

// Render writes a known value as a message shows it: strings quoted in Terraform, as
// YAML would show them elsewhere.
func Render(v *graph.Value, f graph.Format) string {
	s, ok := v.AsString()
	switch {
	case !ok:
		return v.Type.String()
	case v.Type == graph.String && f.IsTerraform():
		return fmt.Sprintf("%q", s)
	}
	return s
}
