// Package redshift holds the Redshift rules (RULES.md 3.6): publicly accessible clusters,
// automated snapshots turned off, and user activity logging off in the cluster's
// parameter group.
package redshift

import "github.com/iacscan/iacscan/rules"

// Rules is the Redshift family, ordered by ID.
var Rules = []*rules.Rule{PubliclyAccessible, SnapshotRetention, UserActivityLogging}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "redshift"}, more...)
}
