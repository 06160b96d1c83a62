package rds

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// MinorUpgrade is AWS-RDS-006: a DB instance that never takes minor engine versions, the
// ones that carry security patches.
var MinorUpgrade = setting.Rule(rules.Meta{
	ID:    "AWS-RDS-006",
	Name:  "rds-auto-minor-version-upgrade-disabled",
	Title: "DB instance does not upgrade minor engine versions automatically",
	Description: "Minor engine versions fix bugs and security vulnerabilities without changing the engine's " +
		"behaviour. With automatic minor version upgrades off, an instance keeps a vulnerable version until " +
		"someone upgrades it by hand. Upgrades are on by default (auto_minor_version_upgrade / " +
		"AutoMinorVersionUpgrade default to true): only an explicit false is reported. Upgrades are applied in " +
		"the maintenance window.",
	Remediation: "Terraform: `auto_minor_version_upgrade = true` (or remove the argument) on aws_db_instance and " +
		"aws_rds_cluster_instance. CloudFormation: `AutoMinorVersionUpgrade: true` on AWS::RDS::DBInstance.",
	Severity: rules.Medium,
	Tags:     tags("patching"),
	Fix:      rules.FixAuto,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.DBInstance, graph.RDSClusterInstance},
	Terraform:      "auto_minor_version_upgrade",
	CloudFormation: "AutoMinorVersionUpgrade",
	Problem:        "DB instance does not upgrade minor engine versions automatically",
	Safe:           setting.True,
	Default:        graph.BoolValue(true),
	Fixed:          graph.BoolValue(true),
})
