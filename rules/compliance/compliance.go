// Package compliance maps iacscan's rules to the controls of compliance frameworks (the
// CIS AWS Foundations Benchmark, AWS Foundational Security Best Practices) in one table
// per framework, and evaluates a scan against them: every control passes, fails, does not
// apply, cannot be checked before deployment, or is not checked by iacscan.
package compliance

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Framework is a compliance standard and its controls, in the standard's order.
type Framework struct {
	Name     string // what --compliance takes: "cis-aws"
	Title    string // "CIS AWS Foundations Benchmark v6.0.0"
	Tag      string // prefix of the rule tags naming its controls: "cis-aws-6.0.0"
	Controls []Control
}

// Control is one control and how iacscan decides it.
type Control struct {
	ID    string
	Title string
	// Rules are the iacscan rules whose findings fail the control.
	Rules []string
	// Kinds are the resource kinds the control is about: with none of them in the scan,
	// it does not apply.
	Kinds []string
	// Runtime marks controls about the running account (root MFA, credential age): no
	// source file can show them.
	Runtime bool
	// Family, "ipv4" or "ipv6", narrows a network control to findings on sources of that
	// address family (CIS 6.3 is about 0.0.0.0/0, 6.4 about ::/0); "" takes every finding.
	Family string
}

// Status is a control's outcome.
type Status string

const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	NotApplicable Status = "not applicable"
	Runtime       Status = "not checkable before deployment"
	Unresolved    Status = "unresolved"  // a value it depends on is known only at deploy time
	NotChecked    Status = "not checked" // no rule of iacscan's covers it, or its rules are turned off
)

// statuses is the order summaries count them in.
var statuses = []Status{Pass, Fail, NotApplicable, Runtime, Unresolved, NotChecked}

// Input is what a scan tells the evaluation.
type Input struct {
	Catalog    []*rules.Rule // every rule iacscan has
	Ran        []*rules.Rule // the rules that ran
	Findings   []rules.Finding
	Unresolved []rules.Unresolved
	Kinds      map[graph.Kind]int // resources in the scan by kind
}

// Result is a control's outcome and why.
type Result struct {
	Control
	Status Status
	Detail string // the failing rules with their finding counts, or why it was not checked
}

// Evaluate decides every control of fw for the scan in in.
func Evaluate(fw *Framework, in Input) []Result {
	unresolved := count(in.Unresolved, func(u rules.Unresolved) *rules.Meta { return u.Rule })
	out := make([]Result, len(fw.Controls))
	for i, c := range fw.Controls {
		failed := count(in.Findings, func(f rules.Finding) *rules.Meta {
			if !c.family(&f) {
				return nil
			}
			return f.Rule
		})
		out[i] = Result{Control: c}
		out[i].Status, out[i].Detail = decide(c, in, failed, unresolved)
	}
	return out
}

// family reports whether f is about a source of the control's address family. The
// network rules report each world source at its attribute, whose path names the family
// in every format: ipv6_cidr_blocks and cidr_ipv6 (Terraform), CidrIpv6 (CloudFormation).
func (c Control) family(f *rules.Finding) bool {
	if c.Family == "" || f.Path == "" {
		return true
	}
	return strings.Contains(strings.ToLower(f.Path), "ipv6") == (c.Family == "ipv6")
}

func decide(c Control, in Input, failed, unresolved map[string]int) (Status, string) {
	if c.Runtime {
		return Runtime, "about the running account, not the templates"
	}
	known := slices.DeleteFunc(slices.Clone(c.Rules), func(id string) bool { return !hasRule(in.Catalog, id) })
	if len(known) == 0 {
		return NotChecked, "no iacscan rule checks it"
	}
	ran := slices.DeleteFunc(slices.Clone(known), func(id string) bool { return !hasRule(in.Ran, id) })
	if len(ran) == 0 {
		return NotChecked, "turned off: enable " + strings.Join(known, ", ")
	}
	if fails := counted(ran, failed); fails != "" {
		return Fail, fails
	}
	if !slices.ContainsFunc(c.Kinds, func(k string) bool { return in.Kinds[graph.Kind(k)] > 0 }) {
		return NotApplicable, "no " + strings.Join(c.Kinds, ", ") + " in the scan"
	}
	if open := counted(ran, unresolved); open != "" {
		return Unresolved, open
	}
	return Pass, strings.Join(ran, ", ")
}

func hasRule(rs []*rules.Rule, id string) bool {
	return slices.ContainsFunc(rs, func(r *rules.Rule) bool { return r.ID == id })
}

// count tallies items by the ID of their rule.
func count[T any](items []T, rule func(T) *rules.Meta) map[string]int {
	m := map[string]int{}
	for _, it := range items {
		if r := rule(it); r != nil {
			m[r.ID]++
		}
	}
	return m
}

// counted lists the rules with a non-zero tally: "AWS-CT-007 (2), AWS-CT-008 (1)".
func counted(ids []string, tally map[string]int) string {
	var parts []string
	for _, id := range ids {
		if n := tally[id]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s (%d)", id, n))
		}
	}
	return strings.Join(parts, ", ")
}

// Summary counts the results by status: "3 pass, 1 fail, ...", statuses with none left out.
func Summary(results []Result) string {
	var parts []string
	for _, s := range statuses {
		n := 0
		for _, r := range results {
			if r.Status == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

// Tags returns the control tags of the rule with the given ID across all frameworks,
// such as "cis-aws-6.0.0:4.1" and "aws-fsbp:CloudTrail.1": the catalog adds them to the
// rule's tags, so SARIF, the rule pages and `iacscan rules` carry them.
func Tags(id string) []string { return slices.Clone(tagIndex()[id]) }

// tagIndex maps each rule ID to the tags of the controls it decides, in the frameworks'
// and the controls' order: one pass over the tables, not one for each rule of the catalog.
var tagIndex = sync.OnceValue(func() map[string][]string {
	index := map[string][]string{}
	for _, fw := range []*Framework{CIS, FSBP} {
		for _, c := range fw.Controls {
			tag := fw.Tag + ":" + c.ID
			for _, id := range c.Rules {
				if t := index[id]; len(t) == 0 || t[len(t)-1] != tag { // a rule listed twice
					index[id] = append(t, tag)
				}
			}
		}
	}
	return index
})

// Names returns the frameworks' names, sorted.
func Names() []string { return slices.Sorted(maps.Keys(Frameworks)) }

// Render writes the framework's controls as a table: ID, status, detail, title.
func Render(w io.Writer, fw *Framework, results []Result) error {
	if _, err := fmt.Fprintf(w, "%s\n%s\n\n", fw.Title, Summary(results)); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTROL\tSTATUS\tDETAIL\tTITLE")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Status, r.Detail, r.Title)
	}
	return tw.Flush()
}
