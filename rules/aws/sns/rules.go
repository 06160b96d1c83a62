// Package sns holds the SNS rules: topic policies open to any principal, read through the
// shared policy engine (rules/policy).
package sns

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Rules is the family, in ID order.
var Rules = []*rules.Rule{PublicPolicy}

// topicKinds are the resources holding a topic policy.
var topicKinds = []graph.Kind{graph.SNSTopic, graph.SNSTopicPolicy}
