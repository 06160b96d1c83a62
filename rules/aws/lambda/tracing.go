package lambda

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Tracing is AWS-LAMBDA-003: a function that does not send traces to X-Ray. Conformity's
// remediation attaches X-Ray write permission to the function's role, then turns tracing
// on; the fix here turns tracing on, and is written only where the role can already write
// to X-Ray or is not iacscan's to change: a role the scan defines without X-Ray
// permission gets a suggestion saying to add it (guarded, RULES.md 3.9).
var Tracing = tracingRule()

// tracingSpec is the setting of a Terraform or CloudFormation function.
var tracingSpec = setting.Spec{
	Kinds:          []graph.Kind{graph.LambdaFunction},
	Terraform:      "tracing_config.mode",
	CloudFormation: "TracingConfig.Mode",
	Problem:        "function is not traced with X-Ray",
	Safe:           active,
	Default:        graph.StringValue("PassThrough"),
	Fixed:          graph.StringValue("Active"),
}

// active matches the values that turn tracing on: "Active", and true in serverless.yml
// (provider.tracing.lambda: true "equals Active", per the framework's documentation).
func active(v *graph.Value) bool { return v.IsTrue() || setting.OneOf("Active")(v) }

func tracingRule() *rules.Rule {
	r := &rules.Rule{Meta: rules.Meta{
		ID:    "AWS-LAMBDA-003",
		Name:  "lambda-tracing-not-active",
		Title: "Lambda function does not trace requests with X-Ray",
		Description: "Without active tracing a function records no X-Ray trace of the requests it serves unless a " +
			"caller already sampled them, so an incident cannot be followed through the function and the services " +
			"it calls, and latency or error spikes have no trace to explain them. Tracing is PassThrough unless set " +
			"(Terraform tracing_config, CloudFormation TracingConfig, serverless provider.tracing.lambda or " +
			"functions.<f>.tracing, which overrides the provider). Tracing needs the function's role to write to " +
			"X-Ray: the serverless framework adds that permission to the role it generates; a role defined in the " +
			"scan must grant it (the AWSXRayDaemonWriteAccess managed policy, or xray:PutTraceSegments and " +
			"xray:PutTelemetryRecords). SAM functions (AWS::Serverless::Function, whose Tracing may come from the " +
			"template's Globals) are not checked yet.",
		Remediation: "Set the function's tracing mode to Active. Terraform: `tracing_config { mode = \"Active\" }`. CloudFormation: `TracingConfig: {Mode: Active}`. " +
			"serverless.yml: `provider.tracing.lambda: true` (or `tracing: Active` on a function). If the function's " +
			"role is defined in the repository, attach `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess` to it too.",
		Severity: rules.Medium,
		Tags:     []string{"security", "aws", "lambda", "logging", "monitoring"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixGuarded,
	}}
	r.Check = func(ctx *rules.Context) {
		for _, fn := range ctx.Graph.OfKind(graph.LambdaFunction) {
			checkGuarded(ctx, r.Meta, tracingSpec, fn, roleGuard(ctx.Graph, fn, fn.Get("role", "Role")))
		}
		for _, s := range services(ctx.Graph) {
			for _, fn := range s.functions {
				s.check(ctx, fn)
			}
		}
	}
	return r
}

// checkGuarded checks r against spec as meta's rule, the fix written only when why is ""
// and otherwise a suggestion saying why: the engine takes the fix mode from the meta.
func checkGuarded(ctx *rules.Context, meta rules.Meta, spec setting.Spec, r *graph.Resource, why string) {
	meta.Fix = rules.FixAuto
	if why != "" {
		meta.Fix, spec.Advice = rules.FixSuggest, why
	}
	spec.Check(ctx, &meta, r)
}

// roleGuard returns why turning tracing on for fn must not be written, "" when it may: the
// function's role (the role setting, nil when absent) is a resource of the scan that
// grants no X-Ray write permission.
func roleGuard(g *graph.Graph, fn *graph.Resource, role *graph.Attribute) string {
	if role == nil {
		return ""
	}
	r := roleResource(g, fn, role.Value)
	if r == nil || writesXRay(g, r) {
		return ""
	}
	return fmt.Sprintf("the function's role %s is defined in the scan and grants no X-Ray write permission: attach "+
		"the AWSXRayDaemonWriteAccess managed policy to it too", r.ID.Address)
}

// roleResource returns the resource of the scan a role setting names: a reference, or in
// serverless.yml the logical ID of a role under resources.
func roleResource(g *graph.Graph, fn *graph.Resource, v *graph.Value) *graph.Resource {
	for _, ref := range v.Refs {
		if ref.Target != nil && !strings.HasPrefix(string(ref.Target.Kind), "data.") {
			return ref.Target
		}
		if ref.Target != nil {
			return nil // a role that exists already (a data source)
		}
	}
	if name, ok := v.AsString(); ok && fn.Format == graph.Serverless && !strings.Contains(name, ":") {
		return g.Lookup(fn.Scope, name)
	}
	return nil
}

// xrayWrite are the lower-cased marks of a permission to write traces: the X-Ray actions
// (xray:PutTraceSegments, xray:Put*, xray:*) and the managed policies granting them.
var xrayWrite = []string{"xray:put", "xray:*", "awsxraydaemonwriteaccess", "awsxraywriteonlyaccess", "awsxrayfullaccess"}

// writesXRay reports whether role, the resources attached to it (policies, attachments)
// or the policy documents and managed policies those name mention an X-Ray write
// permission. A document that is not known statically mentions nothing: the guard then
// errs on the side of a suggestion.
func writesXRay(g *graph.Graph, role *graph.Resource) bool {
	related := append([]*graph.Resource{role}, iam(g.Referrers(role))...)
	for _, r := range related[1:] {
		related = append(related, iam(g.Targets(r))...)
	}
	for _, r := range related {
		if mentions(r.Body, xrayWrite) {
			return true
		}
	}
	return false
}

// mentions reports whether a string in v contains one of marks, ignoring case.
func mentions(v *graph.Value, marks []string) bool {
	found := false
	v.Walk(func(x *graph.Value) {
		if s, ok := x.AsString(); ok && x.Type == graph.String && !found {
			s = strings.ToLower(s)
			for _, m := range marks {
				found = found || strings.Contains(s, m)
			}
		}
	})
	return found
}

// iam returns the IAM resources of rs: policies, attachments, policy documents (a function
// referencing the role is not one of them, and what it references says nothing of the role).
func iam(rs []*graph.Resource) []*graph.Resource {
	var out []*graph.Resource
	for _, r := range rs {
		if k := string(r.Kind); strings.HasPrefix(k, "aws_iam_") || strings.HasPrefix(k, "AWS::IAM::") || r.Kind == graph.IAMPolicyDocument {
			out = append(out, r)
		}
	}
	return out
}
