package rds

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Exposure tells whether a publicly accessible DB instance is also reachable from the
// internet (RULES.md section 4 item 5): a security group attached to it admits the world
// on the database port. It returns the place that shows it (the world-open rule) and says
// what it is; ok is false when the instance is not reachable or that cannot be told. The
// exposure view of the security-group rules provides it; AWS-RDS-008 escalates to
// critical through it.
type Exposure func(g *graph.Graph, db *graph.Resource) (at rules.Locatable, why string, ok bool)

// PubliclyAccessible is AWS-RDS-008 without the exposure escalation.
var PubliclyAccessible = PubliclyAccessibleWith(nil)

// publicSpec is the setting AWS-RDS-008 judges.
var publicSpec = setting.Spec{
	Kinds:          []graph.Kind{graph.DBInstance, graph.RDSClusterInstance},
	Terraform:      "publicly_accessible",
	CloudFormation: "PubliclyAccessible",
	Problem:        "DB instance is publicly accessible",
	Safe:           setting.False,
	Default:        graph.BoolValue(false),
	Fixed:          graph.BoolValue(false),
}

// PubliclyAccessibleWith is AWS-RDS-008, a publicly accessible DB instance, raised to
// critical where exposed (nil: never) finds it reachable from the internet.
func PubliclyAccessibleWith(exposed Exposure) *rules.Rule {
	return &rules.Rule{Meta: rules.Meta{
		ID:    "AWS-RDS-008",
		Name:  "rds-publicly-accessible",
		Title: "DB instance is publicly accessible",
		Description: "A publicly accessible DB instance gets a DNS name that resolves to a public IP address: only " +
			"its security groups stand between the database and the internet, and one world-open rule on the " +
			"database port exposes it to password guessing and engine exploits. Instances are private by default " +
			"in Terraform (publicly_accessible defaults to false in the AWS provider). In CloudFormation an absent " +
			"PubliclyAccessible makes the instance public when its VPC has an internet gateway (CreateDBInstance): " +
			"an instance without DBSubnetGroupName (nor cluster or source instance) goes to the default VPC, which has " +
			"one, and is reported; with a subnet group it depends on that VPC and is counted as unresolved. The " +
			"finding is raised to critical when a security group of the instance admits the internet.",
		Remediation: "Terraform: `publicly_accessible = false` (or remove the argument) on aws_db_instance and " +
			"aws_rds_cluster_instance. CloudFormation: `PubliclyAccessible: false` on AWS::RDS::DBInstance. Reach " +
			"the database through a bastion, a VPN or a private link instead.",
		Severity: rules.High,
		Tags:     tags("public-access", "network", "CWE-284"),
		Formats:  publicSpec.Formats(),
		Fix:      rules.FixAuto,
	}, Check: func(ctx *rules.Context) { checkPublic(ctx, exposed) }}
}

func checkPublic(ctx *rules.Context, exposed Exposure) {
	for _, r := range ctx.Graph.OfKind(publicSpec.Kinds...) {
		path := publicSpec.Path(r)
		found := setting.Lookup(r, path)
		switch {
		case found.Unknown != nil:
			ctx.Unresolved(r, found.Unknown, path[0]+" is not known statically")
		case found.Attr == nil && !r.Format.IsTerraform():
			// The AWS provider always sends its default, false; CloudFormation leaves an
			// absent setting to RDS, which decides by where the instance is placed.
			checkPlacement(ctx, r)
		case found.Attr == nil || publicSpec.Safe(found.Attr.Value):
		default:
			v := found.Attr.Value
			fix := rules.SetValue(r, path[0], v, publicSpec.Fixed, setting.Render(publicSpec.Fixed, r.Format))
			msg := fmt.Sprintf("%s: %s is %s", publicSpec.Problem, path[0], setting.Render(v, r.Format))
			opts := []rules.ReportOption{fix.Option("")}
			if exposed != nil {
				if at, why, ok := exposed(ctx.Graph, r); ok {
					msg += ", and reachable from the internet"
					opts = append(opts, rules.WithSeverity(rules.Critical), rules.WithRelated(at, why))
				}
			}
			ctx.Report(r, v, msg, opts...)
		}
	}
}

// checkPlacement judges a CloudFormation instance without PubliclyAccessible: RDS then
// makes it public when its VPC has an internet gateway. Without a subnet group, a cluster
// or a source instance to place it, it goes to the default VPC, which has one.
func checkPlacement(ctx *rules.Context, r *graph.Resource) {
	if a := r.Get("DBSubnetGroupName", "DBClusterIdentifier", "SourceDBInstanceIdentifier"); a != nil {
		ctx.Unresolved(r, r, "PubliclyAccessible is not set, and defaults to true when the instance's VPC has an internet gateway",
			rules.Related{Range: a.Range, Message: "the instance is placed here"})
		return
	}
	o := rules.AddSetting(r, r.Body, "PubliclyAccessible", publicSpec.Fixed, "PubliclyAccessible: false")
	ctx.Report(r, nil, "DB instance is publicly accessible: PubliclyAccessible is not set, and the instance, with no "+
		"DBSubnetGroupName, goes to the default VPC, whose internet gateway makes it public", o.Option(""))
}
