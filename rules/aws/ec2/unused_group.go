package ec2

import (
	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/exposure"
)

// UnusedGroup is AWS-EC2-106: a security group nothing uses.
var UnusedGroup = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-106",
		Name:  "sg-unused",
		Title: "Security group is not attached to anything",
		Description: "No resource of the module or template uses the security group: no instance, launch template or configuration, network interface, load balancer, " +
			"RDS, Redshift or ElastiCache cluster, Lambda `vpc_config`, ECS service, EKS cluster, VPC endpoint or any other resource naming it " +
			"(by reference, or by its literal name where groups are named), no serverless `provider.vpc` or `functions.<f>.vpc` `securityGroupIds`, " +
			"no rule of another group allowing it as a source, and no CloudFormation output exporting it (Terraform outputs are not read). " +
			"Unused groups pile up, hide which rules are really in force and get attached later by mistake with rules nobody reviewed. " +
			"A group of a called module, of a module or template where no resource attaches security groups at all (a library of groups for other stacks), or of a Terraform module where some attachment is not known statically (a variable, a data source, a module output), may be used: it is not reported (the last case is listed as unresolved). " +
			"A CloudFormation parameter or import cannot name a group of the template itself, so it hides none. " +
			"The group may still be used outside the repository (another stack, the console), hence low severity and only a suggested fix.",
		Remediation: "Delete the security group if nothing outside the repository uses it, or attach it where it is meant to be used. " +
			"Terraform: remove the `aws_security_group` and its `aws_security_group_rule` / `aws_vpc_security_group_ingress_rule` resources. " +
			"CloudFormation: remove the `AWS::EC2::SecurityGroup` and its `AWS::EC2::SecurityGroupIngress` / `Egress` resources.",
		Severity: rules.Low,
		Tags:     tags,
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkUnusedGroup,
}

func checkUnusedGroup(ctx *rules.Context) {
	view := exposure.Of(ctx)
	for _, sg := range ctx.Graph.OfKind(graph.SecurityGroup) {
		switch {
		case len(view.Attachments(sg)) > 0 || usedBy(ctx.Graph, sg) || len(sg.ReadByOutputs) > 0:
		case !view.Attaching(sg.Scope) || len(sg.CalledFrom) > 0:
			// A library of groups for resources declared elsewhere, or a group a called
			// module may pass on through its outputs (which the graph does not model):
			// nothing says it is unused.
		case len(view.Unknown(sg.Scope)) > 0:
			at := view.Unknown(sg.Scope)[0]
			ctx.Unresolved(sg, nil, "an attachment in the same scope is not known statically",
				rules.Related{Range: at.Range, Message: "this attachment may name the group"})
		default:
			ctx.Report(sg, nil, "security group "+sg.ID.Address+" is not attached to anything",
				rules.WithFix(rules.FixSuggest, "remove "+sg.ID.Address+"; a suggestion because it may be used outside the repository",
					fixers.Change{Op: fixers.RemoveResource, Resource: sg}))
		}
	}
}

// usedBy reports whether a resource other than the group's own rules references it: a
// rule of another group naming it as a source counts, as does any resource type the
// exposure view has no table entry for (EKS node groups, DMS, ...). A rule of the group
// naming the group itself as its source (members talking to each other) uses nothing.
func usedBy(g *graph.Graph, sg *graph.Resource) bool {
	for _, r := range g.Referrers(sg) {
		if !isRule(r) || groupOf(r) != sg {
			return true
		}
	}
	return false
}

// isRule reports whether r is a rule resource: it holds one permission of a group.
func isRule(r *graph.Resource) bool {
	return r.Kind == graph.SecurityGroupRule || r.Kind == graph.VPCSecurityGroupIngressRule || r.Kind == graph.VPCSecurityGroupEgressRule
}
