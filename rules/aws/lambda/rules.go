// Package lambda holds the Lambda function rules (RULES.md 3.9).
package lambda

import "github.com/iacscan/iacscan/rules"

// Rules is the Lambda family, ordered by ID.
var Rules = []*rules.Rule{Tracing, PublicPermission}
