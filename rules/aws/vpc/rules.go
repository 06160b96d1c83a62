// Package vpc holds the VPC rules: network ACL entries open to the internet, VPCs without
// flow logs and the default VPC. Network ACL entries are read through the Entry view,
// which makes inline Terraform blocks, aws_network_acl_rule and AWS::EC2::NetworkAclEntry
// look alike and evaluates them in rule-number order, as AWS does.
package vpc

import "github.com/iacscan/iacscan/rules"

// Rules is the family, in ID order.
var Rules = []*rules.Rule{FlowLogs, NACLIngress, DefaultVPC}

// tags returns the family's tags followed by extra ones.
func tags(extra ...string) []string {
	return append([]string{"security", "aws", "vpc", "network"}, extra...)
}
