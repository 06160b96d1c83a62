package elbv2

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// InternetFacing is AWS-ELBV2-007: a load balancer reachable from the internet. Often
// intended, so the rule is informational and off by default: a review item.
var InternetFacing = setting.Rule(rules.Meta{
	ID:    "AWS-ELBV2-007",
	Name:  "elb-internet-facing",
	Title: "Load balancer is internet-facing",
	Description: "An internet-facing load balancer has public addresses: whatever its listeners forward to is " +
		"reachable from anywhere, so each one should be a deliberate, reviewed choice. Application, network and " +
		"classic load balancers are internet-facing unless declared internal (`internal` defaults to false, " +
		"`Scheme` to internet-facing); gateway load balancers have no scheme and are not reported.",
	Remediation: "Where the load balancer serves only the VPC, declare it internal: `internal = true` (Terraform) " +
		"or `Scheme: internal` (CloudFormation). Otherwise review what it exposes, and ignore the finding with " +
		"the reason.",
	Severity:   rules.Low,
	Tags:       tags("network", "exposure"),
	Fix:        rules.FixNone,
	DefaultOff: true,
}, setting.Spec{
	Kinds:     []graph.Kind{graph.LoadBalancer, graph.ClassicLoadBalancer},
	Terraform: "internal",
	Problem:   "load balancer is internet-facing",
	Safe:      setting.True,
	Default:   graph.BoolValue(false),
	Skip:      gateway,
}, setting.Spec{
	Kinds:          []graph.Kind{graph.LoadBalancer, graph.ClassicLoadBalancer},
	CloudFormation: "Scheme",
	Problem:        "load balancer is internet-facing",
	Safe:           setting.OneOf("internal"),
	Default:        graph.StringValue("internet-facing"),
	Skip:           gateway,
})

// gateway reports whether r is a gateway load balancer, which has no scheme: it takes
// traffic from route tables, never from the internet directly.
func gateway(r *graph.Resource) bool {
	a := r.Get("load_balancer_type", "Type")
	if a == nil {
		return false
	}
	s, ok := a.Value.AsString()
	return ok && s == "gateway"
}
