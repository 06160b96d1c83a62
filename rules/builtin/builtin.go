// Package builtin is the one explicit list of every rule iacscan ships.
package builtin

import (
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/cloudtrail"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/aws/s3"
	"github.com/iacscan/iacscan/rules/aws/vpc"
)

// All returns every rule, ordered by ID within each family. The slice is new on every call,
// so callers may filter it freely.
func All() []*rules.Rule {
	var all []*rules.Rule
	for _, family := range [][]*rules.Rule{s3.Rules, {cloudtrail.TrailBucketPublic}, ec2.Rules, ec2.GraphRules, vpc.Rules} {
		all = append(all, family...)
	}
	return all
}
