package redshift

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// providerParam names the AWS provider major version whose default AWS-RS-001 follows.
const providerParam = "aws-provider-major"

// PubliclyAccessible is AWS-RS-001: a cluster reachable from public networks. The
// provider's default changed in 6.0, so the rule follows the major version the
// configuration names (6 unless told).
var PubliclyAccessible = &rules.Rule{Meta: publicMeta, Check: checkPublic}

// publicMeta is AWS-RS-001's metadata, which its check passes to the setting engine (only
// the fix mode matters there, which configuration never changes).
var publicMeta = rules.Meta{
	ID:    "AWS-RS-001",
	Name:  "redshift-publicly-accessible",
	Title: "Redshift cluster is publicly accessible",
	Description: "A publicly accessible cluster gets a public IP address: only its security groups stand " +
		"between the warehouse and the internet. Defaults changed: before AWS provider 6.0, " +
		"aws_redshift_cluster's `publicly_accessible` defaulted to true; from 6.0 (hashicorp/terraform-provider-aws " +
		"#41978, following AWS, which creates new clusters private since 10 January 2025) it defaults to false, as " +
		"CloudFormation's `PubliclyAccessible` does. The rule follows provider 6 unless the rule parameter `" +
		providerParam + "` names an older major version; then an absent setting is reported too.",
	Remediation: "Terraform: `publicly_accessible = false` on aws_redshift_cluster (write it explicitly with " +
		"providers before 6.0). CloudFormation: `PubliclyAccessible: false` on AWS::Redshift::Cluster.",
	Severity: rules.High,
	Tags:     tags("public-access", "network", "CWE-284"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixAuto,
	Params: []rules.Param{{
		Name:        providerParam,
		Description: "the AWS provider major version in use: before 6, an absent publicly_accessible means true",
		Value:       6,
	}},
}

func checkPublic(ctx *rules.Context) {
	spec := setting.Spec{
		Kinds:          []graph.Kind{graph.RedshiftCluster},
		Terraform:      "publicly_accessible",
		CloudFormation: "PubliclyAccessible",
		Problem:        "Redshift cluster is publicly accessible",
		Safe:           setting.False,
		Fixed:          graph.BoolValue(false),
	}
	for _, r := range ctx.Graph.OfKind(spec.Kinds...) {
		spec.Default = graph.BoolValue(false)
		if r.Format.IsTerraform() && ctx.Int(providerParam) < 6 {
			spec.Default = graph.BoolValue(true)
		}
		spec.Check(ctx, &publicMeta, r)
	}
}
