// Package elbv2 holds the load balancer rules (RULES.md 3.12): target groups that reach
// their targets in plain HTTP, and load balancers that face the internet.
package elbv2

import "github.com/iacscan/iacscan/rules"

// Rules is the family, ordered by ID.
var Rules = []*rules.Rule{InternetFacing, PlainHTTPTargets}

// tags are the tags of every rule of the family, plus more.
func tags(more ...string) []string {
	return append([]string{"security", "aws", "elb"}, more...)
}
