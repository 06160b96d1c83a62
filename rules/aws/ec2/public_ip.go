package ec2

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/exposure"
)

// PublicIP is AWS-EC2-107: an instance, launch template, launch configuration or subnet
// hands out public IPs, or an Elastic IP is allocated or associated.
var PublicIP = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-EC2-107",
		Name:  "ec2-public-ip",
		Title: "Instance, subnet or Elastic IP gives a public IP",
		Description: "An inventory of what makes resources reachable from the internet: `associate_public_ip_address` / `AssociatePublicIpAddress` on an instance, " +
			"launch template or launch configuration (or one of their network interfaces), a subnet with `map_public_ip_on_launch` / `MapPublicIpOnLaunch`, " +
			"and Elastic IPs (`aws_eip`, `aws_eip_association`, `AWS::EC2::EIP`, `AWS::EC2::EIPAssociation`). " +
			"It is informational and off by default: public IPs are normal for bastions and public subnets. " +
			"The same facts feed the exposure view that raises the security-group findings of the groups attached to these resources.",
		Remediation: "Keep workloads in private subnets behind a load balancer or NAT gateway and reach instances through Session Manager. " +
			"Terraform: set `associate_public_ip_address = false` and `map_public_ip_on_launch = false`, and remove Elastic IPs that are not needed. " +
			"CloudFormation: set `AssociatePublicIpAddress: false` and `MapPublicIpOnLaunch: false`, and remove `AWS::EC2::EIP` resources that are not needed.",
		Severity:   rules.Low,
		Tags:       tags,
		Formats:    rules.AllFormats,
		Fix:        rules.FixNone,
		DefaultOff: true,
	},
	Check: checkPublicIP,
}

func checkPublicIP(ctx *rules.Context) {
	g := ctx.Graph
	for _, r := range g.OfKind(graph.Instance, graph.LaunchTemplate, graph.LaunchConfiguration) {
		for _, a := range exposure.PublicIPSettings(r) {
			ctx.Report(r, a, r.ID.Address+" gets a public IP ("+a.Name+")")
		}
	}
	for _, r := range g.OfKind(graph.Subnet) {
		if a := r.Get("map_public_ip_on_launch", "MapPublicIpOnLaunch"); a != nil && a.Value.IsTrue() {
			ctx.Report(r, a, "subnet "+r.ID.Address+" gives a public IP to every instance launched in it ("+a.Name+")")
		}
	}
	for _, r := range g.OfKind(graph.EIP) {
		ctx.Report(r, nil, r.ID.Address+" allocates an Elastic IP")
	}
	for _, r := range g.OfKind(graph.EIPAssociation) {
		ctx.Report(r, nil, r.ID.Address+" associates an Elastic IP")
	}
}
