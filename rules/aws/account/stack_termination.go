package account

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// stagesParam lists the stages that are production.
const stagesParam = "production-stages"

// StackTermination is AWS-CFM-005: a production stack that can be deleted by one
// mistaken `serverless remove` or stack deletion. Termination protection is a setting of
// the stack, not of the template (neither CloudFormation nor the AWS provider's
// aws_cloudformation_stack can declare it), so only serverless.yml, through its plugin,
// can say it. Off by default: most teams protect stacks another way.
var StackTermination = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-CFM-005",
	Name:  "stack-termination-protection-disabled",
	Title: "Production stack is deployed without termination protection",
	Description: "Without termination protection, deleting the stack, by `serverless remove` with the wrong " +
		"--stage or in the console, deletes every resource it holds, databases and buckets included. " +
		"Templates cannot enable it: serverless.yml does through the serverless-stack-termination-protection " +
		"plugin. The rule reports a service whose stage is a production stage and that lists no " +
		"termination-protection plugin. The stage is `provider.stage` (resolved with `--sls-opt stage=...` " +
		"when it reads `${opt:stage}`), or the framework's default `dev` when the file names none: a stage " +
		"given only on the deploy command line is not seen.",
	Remediation: "Add `serverless-stack-termination-protection` to `plugins` (and to the project's " +
		"devDependencies), or enable termination protection on the stack with " +
		"`aws cloudformation update-termination-protection --enable-termination-protection`.",
	Severity:   rules.Medium,
	Tags:       tags("cloudformation", "resilience"),
	Formats:    []graph.Format{graph.Serverless},
	Fix:        rules.FixSuggest,
	DefaultOff: true,
	Params: []rules.Param{{
		Name:        stagesParam,
		Description: "the stages that are production, compared without regard to case",
		Value:       []string{"prod", "production"},
	}},
}, Check: checkStackTermination}

func checkStackTermination(ctx *rules.Context) {
	production, _ := ctx.Param(stagesParam).([]string)
	for _, r := range ctx.Graph.OfKind(graph.ServerlessService) {
		stage, at, ok := stageOf(ctx, r)
		if !ok || !slices.ContainsFunc(production, func(p string) bool { return strings.EqualFold(p, stage) }) {
			continue
		}
		plugins := r.Get("plugins")
		protected, known := terminationPlugin(plugins)
		switch {
		case !known:
			ctx.Unresolved(r, plugins.Value, "plugins are not known statically")
		case !protected:
			msg := fmt.Sprintf("production stage %q is deployed without stack termination protection: no termination-protection plugin is listed", stage)
			opts := []rules.ReportOption{rules.Suggestion("add serverless-stack-termination-protection to plugins")}
			if at != nil {
				opts = append(opts, rules.WithRelated(at, "the stage"))
			}
			var where rules.Locatable
			if plugins != nil {
				where = plugins.Value
			}
			ctx.Report(r, where, msg, opts...)
		}
	}
}

// stageOf returns the stage the service in r's file deploys: its provider's stage, or the
// framework's default, dev. ok is false when the stage is not known statically, and for
// a service of another cloud than AWS.
func stageOf(ctx *rules.Context, r *graph.Resource) (stage string, at *graph.Value, ok bool) {
	p := ctx.Graph.Lookup(r.Scope, "provider")
	switch {
	case p != nil && otherCloud(p):
		return "", nil, false // no CloudFormation stack to protect
	case p == nil || p.Get("stage") == nil:
		return "dev", nil, true
	}
	v := p.Get("stage").Value
	if stage, ok = v.AsString(); !ok {
		ctx.Unresolved(r, v, "provider.stage is not known statically")
	}
	return stage, v, ok
}

// terminationPlugin reports whether plugins (a list, or a mapping with `modules`) name a
// termination-protection plugin; known is false when an item is not known statically.
func terminationPlugin(plugins *graph.Attribute) (protected, known bool) {
	if plugins == nil {
		return false, true
	}
	list := plugins.Value
	if m := list.Get("modules"); m != nil {
		list = m.Value
	}
	if !list.Known() {
		return false, false
	}
	known = true
	for _, it := range list.Items {
		s, ok := it.AsString()
		switch {
		case !ok:
			known = false
		case strings.Contains(s, "termination-protection"):
			return true, true
		}
	}
	return false, known
}
