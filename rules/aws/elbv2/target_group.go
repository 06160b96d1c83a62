package elbv2

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// PlainHTTPTargets is AWS-ELBV2-101: a target group the load balancer reaches in plain
// HTTP. Switching to HTTPS needs targets that serve TLS: a suggestion.
var PlainHTTPTargets = setting.Rule(rules.Meta{
	ID:    "AWS-ELBV2-101",
	Name:  "elbv2-target-group-http",
	Title: "Target group sends traffic to its targets in plain HTTP",
	Description: "Behind an HTTPS listener, a target group with protocol HTTP decrypts the request at the load " +
		"balancer and carries it, cookies and credentials included, in clear text across the VPC to the " +
		"targets, where anyone who can capture traffic on the path reads it. Target groups of Lambda functions " +
		"use no protocol and are not reported.",
	Remediation: "Serve TLS on the targets and set `protocol = \"HTTPS\"` (Terraform) or `Protocol: HTTPS` " +
		"(CloudFormation), with the targets' TLS port.",
	Severity: rules.Medium,
	Tags:     tags("encryption", "CWE-319"),
	Fix:      rules.FixSuggest,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.TargetGroup},
	Terraform:      "protocol",
	CloudFormation: "Protocol",
	Problem:        "target group reaches its targets in plain HTTP",
	Safe:           setting.NoneOf("HTTP"),
	Fixed:          graph.StringValue("HTTPS"),
	Advice:         "the targets must serve TLS, on the port the target group names",
	Skip:           lambdaTargets,
})

// lambdaTargets reports whether r is a target group of Lambda functions, which the load
// balancer invokes without a protocol.
func lambdaTargets(r *graph.Resource) bool {
	a := r.Get("target_type", "TargetType")
	if a == nil {
		return false
	}
	s, ok := a.Value.AsString()
	return ok && s == "lambda"
}
