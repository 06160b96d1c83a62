// Package ebs holds the EBS and AMI rules (RULES.md 3.4): volume and block device
// encryption, the account's encryption by default, snapshot public sharing and public AMI
// launch permissions. AWS-EC2-019 lives here with the other AMI and volume sharing rules.
package ebs

import "github.com/iacscan/iacscan/rules"

// Rules is the EBS and AMI family, ordered by ID.
var Rules = []*rules.Rule{Encryption, SnapshotPublic, DefaultEncryption, AMIPublic}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "ebs"}, more...)
}
