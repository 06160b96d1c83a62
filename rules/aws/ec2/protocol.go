package ec2

import (
	"fmt"
	"strings"
)

// Protocol is a security-group rule's IP protocol, normalised across spellings.
type Protocol uint8

const (
	Other Protocol = iota // any other IP protocol (ESP, GRE, ...): no ports, no named rule
	All                   // "-1" or "all": every protocol and every port
	TCP
	UDP
	ICMP
	ICMPv6
)

var protocolNames = [...]string{Other: "other", All: "all", TCP: "tcp", UDP: "udp", ICMP: "icmp", ICMPv6: "icmpv6"}

func (p Protocol) String() string { return protocolNames[p] }

// protocols maps every spelling AWS accepts for the protocols rules care about: names in
// any case and IANA numbers, as strings or numbers.
var protocols = map[string]Protocol{
	"-1": All, "all": All,
	"tcp": TCP, "6": TCP,
	"udp": UDP, "17": UDP,
	"icmp": ICMP, "1": ICMP,
	"icmpv6": ICMPv6, "58": ICMPv6,
}

// ParseProtocol normalises a protocol as written: "tcp", "TCP", "6", "-1", "all", ...
func ParseProtocol(s string) Protocol {
	return protocols[strings.ToLower(strings.TrimSpace(s))] // Other is the zero value
}

// port is one service port: a tcp or udp port number, or an ICMP type (-1: every type).
type port struct {
	protocol Protocol
	number   int
}

// in reports whether p opens the port.
func (pt port) in(p *Permission) bool {
	return p.Protocol == pt.protocol && p.From <= pt.number && pt.number <= p.To
}

// String renders "tcp/22", "icmp all types" or "icmpv6 type 128".
func (pt port) String() string {
	switch {
	case pt.protocol != ICMP && pt.protocol != ICMPv6:
		return fmt.Sprintf("%s/%d", pt.protocol, pt.number)
	case pt.number < 0:
		return pt.protocol.String() + " all types"
	}
	return fmt.Sprintf("%s type %d", pt.protocol, pt.number)
}
