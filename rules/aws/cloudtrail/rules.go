// Package cloudtrail holds the CloudTrail rules (RULES.md 3.2).
package cloudtrail

import "github.com/iacscan/iacscan/rules"

// Rules is the CloudTrail family, ordered by ID.
var Rules = []*rules.Rule{MultiRegion, TrailBucketPublic, LogValidation, KMSEncryption, LoggingOff}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "cloudtrail", "logging"}, more...)
}
