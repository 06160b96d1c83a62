// Package sqs holds the SQS queue rules (RULES.md 3.8).
package sqs

import "github.com/iacscan/iacscan/rules"

// Rules is the SQS family, ordered by ID.
var Rules = []*rules.Rule{Unencrypted}
