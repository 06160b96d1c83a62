// Package kinesis holds the Kinesis Data Streams rules (RULES.md 3.8).
package kinesis

import "github.com/iacscan/iacscan/rules"

// Rules is the Kinesis family, ordered by ID.
var Rules = []*rules.Rule{Unencrypted}
