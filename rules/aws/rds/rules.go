// Package rds holds the RDS rules (RULES.md 3.5): publicly accessible DB instances,
// automatic minor version upgrades turned off, and snapshots shared with everyone.
package rds

import "github.com/iacscan/iacscan/rules"

// Rules is the RDS family, ordered by ID.
var Rules = []*rules.Rule{MinorUpgrade, PubliclyAccessible, SnapshotPublic}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "rds"}, more...)
}
