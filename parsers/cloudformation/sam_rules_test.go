package cloudformation_test

import (
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// The probe rules read the graph as the CloudFormation Lambda and IAM rules do
// (TracingConfig.Mode of an aws_lambda_function; the statements of an aws_iam_role's
// Policies[].PolicyDocument), with no knowledge of SAM, and fix in CloudFormation terms:
// what they find and fix on SAM templates is what those rules will.
var (
	probeTracing = &rules.Rule{
		Meta: rules.Meta{ID: "PROBE-TRACING", Severity: rules.Medium, Fix: rules.FixAuto},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.OfKind(graph.Kind("aws_lambda_function")) {
				mode := r.Body.Lookup("TracingConfig", "Mode")
				if mode == nil {
					add := fixers.Change{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: "TracingConfig",
						New: graph.MapValue(false, graph.Attr("Mode", graph.StringValue("Active")))}
					ctx.Report(r, r, "tracing is not active", fix("add TracingConfig.Mode Active", add))
					continue
				}
				if s, ok := mode.AsString(); ok && s != "Active" {
					set := fixers.Change{Op: fixers.SetValue, Resource: r, Target: mode, New: graph.StringValue("Active")}
					ctx.Report(r, mode, "tracing mode is "+s, fix("set TracingConfig.Mode to Active", set))
				}
			}
		},
	}
	probeWildcard = &rules.Rule{
		Meta: rules.Meta{ID: "PROBE-WILDCARD", Severity: rules.High},
		Check: func(ctx *rules.Context) {
			for _, r := range ctx.Graph.OfKind(graph.Kind("aws_iam_role")) {
				for _, p := range r.Body.Elements("Policies") {
					for _, st := range p.Lookup("PolicyDocument", "Statement").Items {
						res := st.Lookup("Resource")
						for _, a := range st.Lookup("Action").Strings() {
							if (a.Str == "*" || a.Str == "s3:*") && res != nil && res.Str == "*" {
								ctx.Report(r, a, "role allows "+a.Str+" on every resource")
							}
						}
					}
				}
			}
		},
	}
)

// fix is an automatic fix, or a suggestion when the value is defined elsewhere (Globals).
func fix(description string, c fixers.Change) rules.ReportOption {
	if origin := fixers.DefinedElsewhere([]fixers.Change{c}); origin != "" {
		return rules.WithFix(rules.FixSuggest, description+"; a suggestion because "+origin)
	}
	return rules.WithFix(rules.FixAuto, description, c)
}

// TestSAMProbes runs the probe rules over SAM templates: findings at the SAM source,
// fixes in SAM's own syntax (Tracing: Active), a value from Globals fixed where it is
// defined.
func TestSAMProbes(t *testing.T) {
	ruletest.Run(t, filepath.Join("testdata", "sam-probes.txtar"), probeTracing, probeWildcard)
}
