package vpc

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// FlowLogs is AWS-VPC-001: a VPC whose traffic is not logged.
var FlowLogs = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-VPC-001",
		Name:  "vpc-no-flow-logs",
		Title: "VPC has no flow log",
		Description: "No flow log in the same module or template captures the VPC's traffic: no `aws_flow_log` whose `vpc_id` references it, no `AWS::EC2::FlowLog` whose `ResourceId` references it. " +
			"Without flow logs there is no record of who connected to what, which incident response and anomaly detection (GuardDuty reads them too) depend on. " +
			"A flow log naming its VPC by a value not known statically (a variable, a module output) may be this VPC's: the VPCs of its scope are then unresolved, not reported.",
		Remediation: "Add a flow log for the VPC with traffic type `ALL`. " +
			"Terraform: `resource \"aws_flow_log\" \"this\" { vpc_id = aws_vpc.main.id, traffic_type = \"ALL\", log_destination_type = \"s3\", log_destination = aws_s3_bucket.flow_logs.arn }` " +
			"(or a CloudWatch Logs group with an `iam_role_arn` allowed to write to it). " +
			"CloudFormation: an `AWS::EC2::FlowLog` with `ResourceType: VPC`, `ResourceId: !Ref VPC`, `TrafficType: ALL` and a `LogDestination`. " +
			"The destination and the delivery role are site-specific, so iacscan only suggests this.",
		Severity: rules.Low,
		Tags:     tags("logging", "CWE-778"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkFlowLogs,
}

func checkFlowLogs(ctx *rules.Context) {
	g := ctx.Graph
	unknown := map[string]*graph.Value{} // by scope: a flow log naming a VPC not known statically
	for _, fl := range g.OfKind(graph.FlowLog) {
		if v := fl.Body.Lookup("vpc_id"); v != nil && !v.Known() && !v.ReadsOnlyResources() {
			unknown[fl.Scope] = v
		}
		if v := fl.Body.Lookup("ResourceId"); v != nil && !v.Known() && !v.ReadsOnlyResources() {
			unknown[fl.Scope] = v
		}
	}
	for _, v := range g.OfKind(graph.VPC, graph.DefaultVPC) {
		if len(g.Referrers(v, graph.FlowLog)) > 0 {
			continue
		}
		if u := unknown[v.Scope]; u != nil {
			ctx.Unresolved(v, nil, "a flow log names its VPC by a value not known statically", rules.Related{Range: u.Range, Message: "this flow log may be the VPC's"})
			continue
		}
		ctx.Report(v, nil, "VPC "+v.ID.Address+" has no flow log",
			rules.WithFix(rules.FixSuggest, "add a flow log for "+v.ID.Address+" with traffic type ALL; its destination and delivery role are site-specific"))
	}
}
