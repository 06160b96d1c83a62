// Package kms holds the KMS key rules (RULES.md 3.8).
package kms

import "github.com/iacscan/iacscan/rules"

// Rules is the KMS family, ordered by ID.
var Rules = []*rules.Rule{Rotation, DisabledInUse}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "kms", "encryption"}, more...)
}
