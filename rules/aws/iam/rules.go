// Package iam holds the IAM rules: policies granting every action on every resource,
// inline user and group policies on every resource, AdministratorAccess attachments,
// hard-coded credentials, the account password policy, console users without MFA
// enforcement, and the informational inventory of access keys and users. Policy rules
// read the documents of the shared policy engine (rules/policy); the identity rules read
// the Identities view, which joins users, groups and roles with their memberships,
// policies and console logins in every format.
package iam

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// Rules is the family, in ID order.
var Rules = []*rules.Rule{
	AccessKeys, PasswordPolicy, NoMFA, InlineStarResource, AdminAttached, FullAdmin, Users, HardcodedKeys,
}

// tags returns the family's tags followed by extra ones (topic, CWE).
func tags(extra ...string) []string {
	return append([]string{"security", "aws", "iam"}, extra...)
}

// hit is one offending statement, reported once however many documents read it (a data
// source attached to several policies), with where each of them reads it.
type hit struct {
	st   *policy.Statement
	doc  *policy.Document // the first document found reading it
	at   rules.Locatable
	also []*policy.Document
}

// hits collects offending statements in the order they are first found.
type hits struct {
	order []*hit
	seen  map[*policy.Statement]*hit
}

// add records that doc reads the offending statement st, found at at, and reports
// whether it is new.
func (h *hits) add(doc *policy.Document, st *policy.Statement, at rules.Locatable) bool {
	if h.seen == nil {
		h.seen = map[*policy.Statement]*hit{}
	}
	if old := h.seen[st]; old != nil {
		old.also = append(old.also, doc)
		return false
	}
	x := &hit{st: st, doc: doc, at: at}
	h.seen[st] = x
	h.order = append(h.order, x)
	return true
}

// options are the related locations and trace of a statement's finding: where the data
// source holding it is attached to each document that reads it.
func (x *hit) options() []rules.ReportOption {
	var opts []rules.ReportOption
	var trace []graph.Step
	for _, d := range append([]*policy.Document{x.doc}, x.also...) {
		if d.Data == nil || d.Attr == nil {
			continue
		}
		opts = append(opts, rules.WithRelated(d.Attr, "the policy document is attached to "+d.Owner.ID.Address+" here"))
		if len(trace) == 0 {
			trace = dataTrace(x.st, d)
		}
	}
	if len(trace) > 0 {
		opts = append(opts, rules.WithTrace(trace))
	}
	return opts
}

// dataTrace is where a statement read through a data source came from: its statement
// block in the data source, then the attribute that reads the data source's json.
func dataTrace(st *policy.Statement, d *policy.Document) []graph.Step {
	return []graph.Step{
		{Range: st.At.Range, What: st.Resource.ID.Address + " statement " + st.Name()},
		{Range: d.Attr.Range, What: d.Owner.ID.Address + " " + d.Attr.Name},
	}
}

// owner names where a statement is declared for messages: the document's owner, and the
// data source holding the statement when it is another resource.
func owner(d *policy.Document, st *policy.Statement) string {
	name := d.Describe()
	if st.Resource != d.Owner {
		name += " (" + st.Resource.ID.Address + ")"
	}
	return name
}
