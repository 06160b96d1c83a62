package vpc

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// DefaultVPC is AWS-VPC-101: the default VPC is managed or used.
var DefaultVPC = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-VPC-101",
		Name:  "vpc-default-used",
		Title: "Default VPC is managed or used",
		Description: "The configuration adopts the default VPC (`aws_default_vpc`) or looks it up to place resources in it (`data \"aws_vpc\"` with `default = true`). " +
			"The default VPC has a public subnet in every availability zone that gives every instance a public IP, and a default security group that lets its members talk to each other: " +
			"resources placed there are one mistake away from the internet. Workloads belong in VPCs designed for them. " +
			"CloudFormation has no resource for the default VPC, so the rule applies to Terraform.",
		Remediation: "Create a VPC for the workload (for example with the terraform-aws-modules/vpc module) and place the resources in its private subnets. " +
			"Remove `aws_default_vpc` unless it is kept only to lock the default VPC down, and replace `data \"aws_vpc\" { default = true }` lookups with the workload's VPC.",
		Severity: rules.Low,
		Tags:     tags("CWE-1188"),
		Formats:  []graph.Format{graph.Terraform},
		Fix:      rules.FixSuggest,
	},
	Check: checkDefaultVPC,
}

func checkDefaultVPC(ctx *rules.Context) {
	g := ctx.Graph
	for _, r := range g.OfKind(graph.DefaultVPC) {
		ctx.Report(r, nil, r.ID.Address+" adopts the default VPC", rules.WithFix(rules.FixSuggest, "create a VPC for the workload and remove "+r.ID.Address))
	}
	for _, r := range g.OfKind(graph.DataVPC) {
		a := r.Get("default")
		if a == nil || !a.Value.IsTrue() {
			if a != nil && !a.Value.Known() {
				ctx.Unresolved(r, a.Value, "default is not known statically")
			}
			continue
		}
		var opts []rules.ReportOption
		for _, used := range g.Referrers(r) {
			opts = append(opts, rules.WithRelated(used, "placed in the default VPC"))
		}
		opts = append(opts, rules.WithFix(rules.FixSuggest, "look up the workload's VPC instead of the default one"))
		ctx.Report(r, a, r.ID.Address+" selects the default VPC", opts...)
	}
}
