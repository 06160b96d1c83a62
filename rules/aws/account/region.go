package account

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// regionsParam lists the regions resources may be deployed to.
const regionsParam = "allowed-regions"

// Regions is AWS-GEN-101: resources deployed to a region the organisation does not use,
// where nobody looks. Off by default: it needs the list of allowed regions. CloudFormation
// templates name no region (the stack's region is chosen at deploy time).
var Regions = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-GEN-101",
	Name:  "region-not-allowed",
	Title: "Resources are deployed to a region that is not allowed",
	Description: "Resources in a region the organisation does not use escape its monitoring, its guardrails and its " +
		"data-residency commitments: an instance started in an unwatched region is how stolen credentials mine " +
		"crypto-currency unnoticed. The rule checks the region of Terraform `provider \"aws\"` blocks (an aliased " +
		"provider for us-east-1, as CloudFront certificates need, counts too), the `region` argument resources " +
		"take since AWS provider v6, and serverless.yml `provider.region` (us-east-1 when absent, as the " +
		"framework deploys). A provider without a region takes it from the environment at deploy time and is " +
		"not reported. It runs only once the allowed regions are configured: `rules: {AWS-GEN-101: " +
		"{allowed-regions: [eu-west-1]}}` in .iacscan.yaml, which also turns it on.",
	Remediation: "Deploy to an allowed region: change the provider's or resource's `region` (serverless: " +
		"`provider.region`), or add the region to `allowed-regions` if the organisation now uses it.",
	Severity:   rules.Medium,
	Tags:       tags("region", "governance"),
	Formats:    []graph.Format{graph.Terraform, graph.Serverless},
	Fix:        rules.FixNone,
	DefaultOff: true,
	Params: []rules.Param{{
		Name:        regionsParam,
		Description: "the regions resources may be deployed to; the rule checks nothing until it is set",
		Value:       []string{},
	}},
}, Check: checkRegions}

func checkRegions(ctx *rules.Context) {
	allowed, _ := ctx.Param(regionsParam).([]string)
	if len(allowed) == 0 {
		return
	}
	problem := fmt.Sprintf("a region that is not allowed (%s)", strings.Join(allowed, ", "))
	meta := &rules.Meta{Fix: rules.FixNone}
	provider := setting.Spec{Terraform: "region", Problem: "the provider deploys to " + problem, Safe: setting.OneOf(allowed...)}
	for _, r := range ctx.Graph.OfKind(graph.AWSProvider) {
		provider.Check(ctx, meta, r)
	}
	resource := setting.Spec{Terraform: "region", Problem: "the resource is deployed to " + problem, Safe: setting.OneOf(allowed...)}
	for _, r := range ctx.Graph.Resources {
		if r.Format.IsTerraform() && !r.Kind.IsConfiguration() && strings.HasPrefix(string(r.Kind), "aws_") {
			resource.Check(ctx, meta, r)
		}
	}
	service := setting.Spec{
		CloudFormation: "region",
		Problem:        "the service deploys to " + problem,
		Safe:           setting.OneOf(allowed...),
		Default:        graph.StringValue("us-east-1"),
		Skip:           otherCloud,
	}
	for _, r := range ctx.Graph.OfKind(graph.ServerlessProvider) {
		service.Check(ctx, meta, r)
	}
}

// otherCloud reports whether r, a serverless provider, deploys to another cloud (azure,
// google, ...), whose regions the rule does not know.
func otherCloud(r *graph.Resource) bool {
	a := r.Get("name")
	if a == nil {
		return false
	}
	name, ok := a.Value.AsString()
	return ok && !strings.EqualFold(name, "aws")
}
