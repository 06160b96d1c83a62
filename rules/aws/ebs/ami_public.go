package ebs

import (
	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// AMIPublic is AWS-EC2-019: an AMI launch permission granted to the group "all", which
// makes the AMI public. Its other targets (an account, an organization or an OU) are not
// public. CloudFormation has no resource for launch permissions.
var AMIPublic = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-EC2-019",
	Name:  "ami-launch-permission-public",
	Title: "AMI launch permission is shared with everyone",
	Description: "An aws_ami_launch_permission with `group = \"all\"` makes the AMI public: any AWS account can " +
		"launch it and read its snapshots, with whatever the image holds (keys, credentials, internal code). " +
		"Public AMIs are sometimes intended, so the fix is only suggested.",
	Remediation: "Remove the aws_ami_launch_permission with `group = \"all\"`, or grant the accounts " +
		"(`account_id`), organization (`organization_arn`) or OU (`organizational_unit_arn`) that need the image.",
	Severity: rules.Medium,
	Tags:     []string{"security", "aws", "ec2", "ami", "public-access", "CWE-284"},
	Formats:  []graph.Format{graph.Terraform},
	Fix:      rules.FixSuggest,
}, Check: checkAMIPublic}

func checkAMIPublic(ctx *rules.Context) {
	for _, r := range ctx.Graph.OfKind(graph.AMILaunchPermission) {
		found := setting.Lookup(r, []string{"group"})
		switch {
		case found.Unknown != nil:
			ctx.Unresolved(r, found.Unknown, "group is not known statically")
		case found.Attr != nil && setting.OneOf("all")(found.Attr.Value):
			o := rules.Offer{
				Description: "remove the launch permission",
				Changes:     []fixers.Change{{Op: fixers.RemoveResource, Resource: r}},
			}
			ctx.Report(r, found.Attr.Value, `AMI is public: launch permission group is "all"`,
				o.Option("a public AMI may be intended; grant account_id, organization_arn or organizational_unit_arn instead"))
		}
	}
}
