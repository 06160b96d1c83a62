// Package builtin is the one explicit list of every rule iacscan ships.
package builtin

import (
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
)

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

// All returns every rule, ordered by ID within each family. The slice is new on every call,
// so callers may filter it freely.
func All() []*rules.Rule {
	var all []*rules.Rule
	for _, family := range families {
		all = append(all, family...)
	}
	return all
}
