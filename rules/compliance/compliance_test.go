package compliance

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

func rule(id string) *rules.Rule { return &rules.Rule{Meta: rules.Meta{ID: id}} }

func TestEvaluate(t *testing.T) {
	a, b, off := rule("AWS-T-001"), rule("AWS-T-002"), rule("AWS-T-003")
	fw := &Framework{Name: "t", Title: "Test", Tag: "t", Controls: []Control{
		{ID: "1", Rules: []string{"AWS-T-001"}, Kinds: []string{"aws_x"}},      // finding
		{ID: "2", Rules: []string{"AWS-T-002"}, Kinds: []string{"aws_x"}},      // clean
		{ID: "3", Rules: []string{"AWS-T-002"}, Kinds: []string{"aws_absent"}}, // nothing to check
		{ID: "4", Runtime: true}, // root MFA and the like
		{ID: "5"},                // no rule at all
		{ID: "6", Rules: []string{"AWS-T-009"}, Kinds: []string{"aws_x"}},              // rule not in this build
		{ID: "7", Rules: []string{"AWS-T-003"}, Kinds: []string{"aws_x"}},              // rule turned off
		{ID: "8", Rules: []string{"AWS-T-002", "AWS-T-001"}, Kinds: []string{"aws_x"}}, // one of two rules fails
		{ID: "9", Rules: []string{"AWS-T-002"}, Kinds: []string{"aws_y"}},              // value unknown
		{ID: "10", Rules: []string{"AWS-T-001"}, Kinds: []string{"aws_absent"}},        // a finding beats "not applicable"
	}}
	in := Input{
		Catalog:    []*rules.Rule{a, b, off},
		Ran:        []*rules.Rule{a, b},
		Findings:   []rules.Finding{{Rule: &a.Meta}, {Rule: &a.Meta}},
		Unresolved: []rules.Unresolved{{Rule: &b.Meta}},
		Kinds:      map[graph.Kind]int{"aws_x": 2, "aws_y": 1},
	}
	want := []struct {
		status Status
		detail string
	}{
		{Fail, "AWS-T-001 (2)"},
		{Unresolved, "AWS-T-002 (1)"},
		{NotApplicable, "no aws_absent in the scan"},
		{Runtime, "about the running account, not the templates"},
		{NotChecked, "no iacscan rule checks it"},
		{NotChecked, "no iacscan rule checks it"},
		{NotChecked, "turned off: enable AWS-T-003"},
		{Fail, "AWS-T-001 (2)"},
		{Unresolved, "AWS-T-002 (1)"},
		{Fail, "AWS-T-001 (2)"},
	}
	got := Evaluate(fw, in)
	for i, w := range want {
		if got[i].Status != w.status || got[i].Detail != w.detail {
			t.Errorf("control %s: %s (%s), want %s (%s)", got[i].ID, got[i].Status, got[i].Detail, w.status, w.detail)
		}
	}
	in.Unresolved = nil
	if r := Evaluate(fw, in)[1]; r.Status != Pass || r.Detail != "AWS-T-002" {
		t.Errorf("clean control: %s (%s), want pass", r.Status, r.Detail)
	}
	if s := Summary(got); s != "3 fail, 1 not applicable, 1 not checkable before deployment, 2 unresolved, 3 not checked" {
		t.Errorf("Summary = %q", s)
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		id   string
		want []string
	}{
		{"AWS-CT-007", []string{"cis-aws-6.0.0:4.2", "aws-fsbp:CloudTrail.4"}},
		{"AWS-EC2-002", []string{"cis-aws-6.0.0:6.3", "cis-aws-6.0.0:6.4", "aws-fsbp:EC2.19"}},
		{"AWS-EC2-007", nil}, // DNS: in neither framework
	}
	for _, tc := range tests {
		if got := Tags(tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("Tags(%s) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

// TestFrameworks keeps the tables well formed: unique control IDs, a title each, and
// kinds for every control a rule decides (else it could never be "not applicable").
func TestFrameworks(t *testing.T) {
	for _, fw := range Frameworks {
		seen := map[string]bool{}
		for _, c := range fw.Controls {
			if seen[c.ID] || c.Title == "" || (len(c.Rules) > 0 && len(c.Kinds) == 0) || (c.Runtime && len(c.Rules) > 0) {
				t.Errorf("%s %s: duplicate, untitled, rules without kinds, or runtime with rules", fw.Name, c.ID)
			}
			seen[c.ID] = true
		}
	}
	if n := len(CIS.Controls); n != 63 {
		t.Errorf("CIS v6.0.0 has 63 recommendations in sections 2-6, the table %d", n)
	}
}

func TestRender(t *testing.T) {
	var out bytes.Buffer
	results := []Result{{Control: Control{ID: "4.2", Title: "Log validation"}, Status: Fail, Detail: "AWS-CT-007 (1)"}}
	if err := Render(&out, &Framework{Title: "CIS"}, results); err != nil {
		t.Fatal(err)
	}
	want := "CIS\n1 fail\n\nCONTROL  STATUS  DETAIL          TITLE\n4.2      fail    AWS-CT-007 (1)  Log validation\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), strings.ReplaceAll(want, " ", "·"))
	}
}

// TestFamily checks that CIS 6.3 (0.0.0.0/0) and 6.4 (::/0) fail only on findings about
// sources of their own address family, in each format's attribute spelling.
func TestFamily(t *testing.T) {
	ssh := rule("AWS-EC2-002")
	fw := &Framework{Controls: []Control{
		{ID: "6.3", Rules: []string{"AWS-EC2-002"}, Kinds: []string{"aws_security_group"}, Family: "ipv4"},
		{ID: "6.4", Rules: []string{"AWS-EC2-002"}, Kinds: []string{"aws_security_group"}, Family: "ipv6"},
	}}
	tests := []struct {
		path     string
		ipv4     Status
		ipv6     Status
		describe string
	}{
		{"ingress[0].cidr_blocks[1]", Fail, Pass, "Terraform IPv4"},
		{"ingress[0].ipv6_cidr_blocks[0]", Pass, Fail, "Terraform IPv6"},
		{"cidr_ipv6", Pass, Fail, "aws_vpc_security_group_ingress_rule IPv6"},
		{"SecurityGroupIngress[0].CidrIpv6", Pass, Fail, "CloudFormation IPv6"},
		{"SecurityGroupIngress[0].CidrIp", Fail, Pass, "CloudFormation IPv4"},
		{"", Fail, Fail, "no attribute path: both"},
	}
	for _, tc := range tests {
		got := Evaluate(fw, Input{
			Catalog: []*rules.Rule{ssh}, Ran: []*rules.Rule{ssh},
			Findings: []rules.Finding{{Rule: &ssh.Meta, Path: tc.path}},
			Kinds:    map[graph.Kind]int{"aws_security_group": 1},
		})
		if got[0].Status != tc.ipv4 || got[1].Status != tc.ipv6 {
			t.Errorf("%s (%q): 6.3 %s, 6.4 %s; want %s, %s", tc.describe, tc.path, got[0].Status, got[1].Status, tc.ipv4, tc.ipv6)
		}
	}
}
