package rds

import (
	"strings"

	"fmt"

	"github.com/iacscan/iacscan/rules/aws/ec2"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// PubliclyAccessible is AWS-RDS-008.
var PubliclyAccessible = publiclyAccessible()

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

// publiclyAccessible is AWS-RDS-008, a publicly accessible DB instance, raised to critical
// when a security group attached to it also admits the internet on the database port
// (RULES.md section 4 item 5).
func publiclyAccessible() *rules.Rule {
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
	}, Check: func(ctx *rules.Context) { checkPublic(ctx) }}
}

func checkPublic(ctx *rules.Context) {
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
			if path, ok := reachable(ctx, r); ok {
				msg += ", and a security group admits the internet on the database port"
				opts = append(opts, rules.WithSeverity(rules.Critical), rules.WithPath(path...))
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

// reachable returns the path by which the internet reaches db on its port — the group, its
// attachment, the world source — when one of its security groups admits the world there.
func reachable(ctx *rules.Context, db *graph.Resource) ([]rules.Related, bool) {
	port, ok := dbPort(db)
	if !ok {
		return nil, false
	}
	return ec2.WorldOpenOnPort(ctx, db, port)
}

// enginePorts are the default ports of the engines, by the engine name's prefix.
var enginePorts = []struct {
	prefix string
	port   int
}{
	{"aurora-postgresql", 5432}, {"postgres", 5432}, {"aurora", 3306}, {"mysql", 3306}, {"mariadb", 3306},
	{"oracle", 1521}, {"sqlserver", 1433}, {"db2", 50000},
}

// dbPort returns the port db listens on: its own setting, else its engine's default.
func dbPort(db *graph.Resource) (int, bool) {
	if a := db.Get("port", "Port"); a != nil {
		return a.Value.AsInt()
	}
	engine, ok := db.Body.Lookup("engine").AsString()
	if !ok {
		engine, ok = db.Body.Lookup("Engine").AsString()
	}
	for _, e := range enginePorts {
		if ok && strings.HasPrefix(strings.ToLower(engine), e.prefix) {
			return e.port, true
		}
	}
	return 0, false
}
