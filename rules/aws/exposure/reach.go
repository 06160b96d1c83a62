package exposure

import (
	"fmt"
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Reach is one way the internet reaches a resource.
type Reach struct {
	// Path is the evidence, from the resource outwards: the public IP setting, the Elastic
	// IP, or the target group, listener and internet-facing load balancer.
	Path []rules.Related
	// Ports are the only ports the internet reaches the resource on (a load balancer
	// forwards to its target group's port); nil when it reaches every port.
	Ports []int
}

// publicIP is the reach of a resource with a public address, at the evidence.
func publicIP(at rules.Locatable, msg string) Reach {
	return Reach{Path: []rules.Related{{Range: at.Location(), Message: msg}}}
}

// reaches finds every resource the internet reaches, by resource.
type reaches map[*graph.Resource][]Reach

func (rs reaches) add(r *graph.Resource, reach Reach) { rs[r] = append(rs[r], reach) }

// build collects the reaches of g's resources: public IPs first, then what the
// internet-facing load balancers forward to.
func build(g *graph.Graph) reaches {
	rs := reaches{}
	for _, r := range g.OfKind(graph.Instance, graph.LaunchTemplate, graph.LaunchConfiguration) {
		rs.publicIPs(g, r)
	}
	rs.elasticIPs(g)
	for _, asg := range g.OfKind(graph.AutoScalingGroup) {
		rs.publicSubnets(g, asg)
	}
	for _, r := range g.OfKind(graph.DBInstance, graph.RDSClusterInstance, graph.RedshiftCluster) {
		a := r.Get("publicly_accessible", "PubliclyAccessible")
		if a == nil || !a.Value.IsTrue() {
			continue
		}
		rs.add(r, publicIP(a, address(r)+" is publicly accessible ("+a.Name+")"))
		// An Aurora instance takes its security groups from its cluster.
		if c := r.Get("cluster_identifier", "DBClusterIdentifier"); c != nil {
			for _, cluster := range targets(c.Value, graph.RDSCluster) {
				rs.add(cluster, Reach{Path: []rules.Related{
					{Range: c.Range, Message: address(r) + " is an instance of " + address(cluster)},
					{Range: a.Range, Message: address(r) + " is publicly accessible (" + a.Name + ")"},
				}})
			}
		}
	}
	for _, lb := range g.OfKind(graph.LoadBalancer, graph.ClassicLoadBalancer) {
		if step, ok := internetFacing(lb); ok {
			rs.add(lb, Reach{Path: []rules.Related{step}})
			rs.targets(g, lb, step)
		}
	}
	return rs
}

// publicIPs adds the reach of an instance, launch template or launch configuration that
// gets a public IP: associate_public_ip_address (on the resource or one of its network
// interfaces), or a subnet that maps public IPs on launch, unless the resource turns the
// public IP off.
func (rs reaches) publicIPs(g *graph.Graph, r *graph.Resource) {
	if on := PublicIPSettings(r); len(on) > 0 {
		rs.add(r, publicIP(on[0], address(r)+" gets a public IP ("+on[0].Name+")"))
		return
	}
	if publicIPOff(r) {
		return
	}
	for _, h := range ipHolders(r) {
		a := h.Get("subnet_id", "SubnetId")
		if a == nil {
			continue
		}
		for _, s := range targets(a.Value, graph.Subnet) {
			if m := s.Get("map_public_ip_on_launch", "MapPublicIpOnLaunch"); m != nil && m.Value.IsTrue() {
				rs.add(r, Reach{Path: []rules.Related{
					{Range: a.Range, Message: address(r) + " is launched in " + address(s)},
					{Range: m.Range, Message: address(s) + " gives a public IP to what is launched in it (" + m.Name + ")"},
				}})
				return
			}
		}
	}
}

// publicSubnets adds the reach of the launch templates and configurations an auto scaling
// group launches into a subnet that maps public IPs on launch (vpc_zone_identifier,
// VPCZoneIdentifier), unless the template turns the public IP off: the group's instances
// get public IPs.
func (rs reaches) publicSubnets(g *graph.Graph, asg *graph.Resource) {
	zones := asg.Get("vpc_zone_identifier", "VPCZoneIdentifier")
	if zones == nil {
		return
	}
	for _, s := range targets(zones.Value, graph.Subnet) {
		m := s.Get("map_public_ip_on_launch", "MapPublicIpOnLaunch")
		if m == nil || !m.Value.IsTrue() {
			continue
		}
		for _, t := range g.Targets(asg, graph.LaunchTemplate, graph.LaunchConfiguration) {
			if publicIPOff(t) || len(rs[t]) > 0 {
				continue
			}
			rs.add(t, Reach{Path: []rules.Related{
				{Range: zones.Range, Message: address(asg) + " launches " + address(t) + " in " + address(s)},
				{Range: m.Range, Message: address(s) + " gives a public IP to what is launched in it (" + m.Name + ")"},
			}})
		}
		return
	}
}

// publicIPOff reports whether a launch template or configuration turns the public IP off
// on itself or one of its network interfaces.
func publicIPOff(r *graph.Resource) bool {
	for _, h := range ipHolders(r) {
		if a := h.Get("associate_public_ip_address", "AssociatePublicIpAddress"); a != nil && a.Value.IsFalse() {
			return true
		}
	}
	return false
}

// PublicIPSettings returns the associate_public_ip_address / AssociatePublicIpAddress
// attributes of an instance, launch template or launch configuration (or of their network
// interfaces) that are true.
func PublicIPSettings(r *graph.Resource) []*graph.Attribute {
	var out []*graph.Attribute
	for _, h := range ipHolders(r) {
		if a := h.Get("associate_public_ip_address", "AssociatePublicIpAddress"); a != nil && a.Value.IsTrue() {
			out = append(out, a)
		}
	}
	return out
}

// ipHolders returns the maps that may set associate_public_ip_address: the resource's
// body and its network interfaces (CloudFormation launch templates: in LaunchTemplateData).
func ipHolders(r *graph.Resource) []*graph.Value {
	holders := []*graph.Value{r.Body}
	holders = append(holders, r.Body.Elements("network_interfaces", "NetworkInterfaces")...)
	return append(holders, r.Body.Lookup("LaunchTemplateData").Elements("NetworkInterfaces")...)
}

// elasticIPs adds the reach of the instances and network interfaces an Elastic IP is
// associated with: aws_eip.instance / network_interface, aws_eip_association, and the
// CloudFormation EIP and EIPAssociation.
func (rs reaches) elasticIPs(g *graph.Graph) {
	for _, e := range g.OfKind(graph.EIP, graph.EIPAssociation) {
		for _, a := range []*graph.Attribute{
			e.Get("instance", "instance_id", "InstanceId"),
			e.Get("network_interface", "network_interface_id", "NetworkInterfaceId"),
		} {
			if a == nil {
				continue
			}
			for _, t := range targets(a.Value, graph.Instance, graph.NetworkInterface) {
				rs.add(t, publicIP(a, address(e)+" associates an Elastic IP with "+address(t)))
			}
		}
	}
}

// internetFacing reports whether a load balancer faces the internet, with the evidence:
// `internal` not true (Terraform) or `Scheme` internet-facing (CloudFormation), the AWS
// default when neither is set. A value not statically known faces nothing.
func internetFacing(lb *graph.Resource) (rules.Related, bool) {
	if a := lb.Get("internal"); a != nil {
		return rules.Related{Range: a.Range, Message: address(lb) + " is internet-facing (internal = false)"}, a.Value.IsFalse()
	}
	if a := lb.Get("Scheme"); a != nil {
		s, _ := a.Value.AsString()
		return rules.Related{Range: a.Range, Message: address(lb) + " is internet-facing (Scheme: internet-facing)"}, s == "internet-facing"
	}
	return rules.Related{Range: lb.Header, Message: address(lb) + " is internet-facing (the default)"}, true
}

// targets adds the reach of what an internet-facing load balancer forwards to: the
// instances registered with the target groups its listeners (and their rules) forward
// to, and the launch templates and configurations of the auto scaling groups attached to
// those target groups. They are reached on the target group's port only; a target group
// whose port is not statically known reaches nothing.
func (rs reaches) targets(g *graph.Graph, lb *graph.Resource, lbStep rules.Related) {
	for _, l := range g.Referrers(lb, graph.LBListener) {
		tgs := g.Targets(l, graph.TargetGroup)
		for _, rule := range g.Referrers(l, graph.LBListenerRule) {
			tgs = append(tgs, g.Targets(rule, graph.TargetGroup)...)
		}
		listenerStep := rules.Related{Range: l.Header, Message: address(l) + " forwards traffic from " + address(lb)}
		for _, tg := range tgs {
			port, ok := tg.Body.Lookup("port").AsInt()
			if !ok {
				port, ok = tg.Body.Lookup("Port").AsInt()
			}
			if !ok {
				continue
			}
			for _, t := range targetsOf(g, tg) {
				rs.add(t.resource, Reach{
					Path:  []rules.Related{{Range: t.at.Location(), Message: fmt.Sprintf("%s is a target of %s (port %d)", address(t.resource), address(tg), port)}, listenerStep, lbStep},
					Ports: []int{port},
				})
			}
		}
	}
}

// target is a resource a target group sends traffic to, with where it is registered.
type target struct {
	resource *graph.Resource
	at       rules.Locatable
}

// targetsOf returns the instances, launch templates and launch configurations a target
// group sends traffic to, each with where it is registered.
func targetsOf(g *graph.Graph, tg *graph.Resource) []target {
	var out []target
	for _, t := range g.Targets(tg, graph.Instance) { // CloudFormation Targets[].Id
		out = append(out, target{t, tg})
	}
	for _, att := range g.Referrers(tg, graph.LBTargetGroupAttachment) {
		for _, t := range g.Targets(att, graph.Instance) {
			out = append(out, target{t, att})
		}
	}
	for _, asg := range g.Referrers(tg, graph.AutoScalingGroup) {
		for _, t := range g.Targets(asg, graph.LaunchTemplate, graph.LaunchConfiguration) {
			out = append(out, target{t, asg})
		}
	}
	return out
}

// targets returns the resources of the given kinds v references.
func targets(v *graph.Value, kinds ...graph.Kind) []*graph.Resource {
	var out []*graph.Resource
	v.Walk(func(x *graph.Value) {
		for _, ref := range x.Refs {
			if ref.Target != nil && slices.Contains(kinds, ref.Target.Kind) && !slices.Contains(out, ref.Target) {
				out = append(out, ref.Target)
			}
		}
	})
	return out
}

// address names a resource in messages: its address, or the logical ID in CloudFormation.
func address(r *graph.Resource) string { return r.ID.Address }
