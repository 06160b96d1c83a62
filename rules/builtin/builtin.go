// Package builtin is the one explicit list of every rule iacscan ships.
package builtin

import (
	"slices"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/account"
	"github.com/iacscan/iacscan/rules/aws/cloudtrail"
	"github.com/iacscan/iacscan/rules/aws/ebs"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/aws/elbv2"
	"github.com/iacscan/iacscan/rules/aws/iam"
	"github.com/iacscan/iacscan/rules/aws/kinesis"
	"github.com/iacscan/iacscan/rules/aws/kms"
	"github.com/iacscan/iacscan/rules/aws/lambda"
	"github.com/iacscan/iacscan/rules/aws/rds"
	"github.com/iacscan/iacscan/rules/aws/redshift"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/aws/sns"
	"github.com/iacscan/iacscan/rules/aws/sqs"
	"github.com/iacscan/iacscan/rules/aws/vpc"
	"github.com/iacscan/iacscan/rules/compliance"
	"github.com/iacscan/iacscan/rules/migration"
)

// withMetadata returns a copy of r with the peers' IDs of the migration table in its
// aliases and the compliance controls it decides in its tags.
func withMetadata(r *rules.Rule) *rules.Rule {
	c := migration.WithAliases(r)
	c.Tags = slices.Concat(c.Tags, compliance.Tags(c.ID))
	return c
}

// families are the rule families, one per line.
var families = [][]*rules.Rule{
	s3.Rules,
	ec2.Rules,
	ec2.GraphRules,
	vpc.Rules,
	cloudtrail.Rules,
	account.Rules,
	elbv2.Rules,
	ebs.Rules,
	rds.Rules,
	redshift.Rules,
	kms.Rules,
	kinesis.Rules,
	sqs.Rules,
	lambda.Rules,
	iam.Rules,
	sns.Rules,
}

// All returns every rule, ordered by ID within each family, with the peers' IDs of the
// migration table merged into its aliases and its compliance controls into its tags. The
// slice and the rules are new on every call, so callers may filter them freely.
func All() []*rules.Rule {
	var all []*rules.Rule
	for _, family := range families {
		for _, r := range family {
			all = append(all, withMetadata(r))
		}
	}
	return all
}
