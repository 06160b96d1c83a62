// Package migration holds what teams moving from other tools need: the one table of the
// IDs Conformity, checkov, trivy, tfsec, cfn_nag and KICS give to each iacscan rule's check. The
// catalog (rules/builtin) merges it into every rule's aliases, so that ignores written
// for those tools (`checkov:skip=CKV_AWS_24`, `tfsec:ignore:aws-ec2-no-public-ingress-sgr`,
// `trivy:ignore:AVD-AWS-0107`), `--rules`/`--skip-rules` and the configuration accept them;
// docs/migration.md is rendered from it.
package migration

import (
	"maps"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/rules"
)

// Tool names, as the migration guide shows them.
const (
	Conformity = "Conformity"
	Checkov    = "checkov"
	Trivy      = "trivy"         // AVD IDs
	TrivyLong  = "tfsec / trivy" // long IDs such as aws-ec2-no-public-ingress-sgr
	CfnNag     = "cfn_nag"
	KICS       = "KICS"
)

var (
	kicsID     = lazyregexp.New(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	checkovID  = lazyregexp.New(`^CKV2?_AWS_\d+$`)
	avdID      = lazyregexp.New(`^AVD-AWS-\d{4}$`)
	longID     = lazyregexp.New(`^aws(-[a-z0-9]+)+$`)
	cfnNagID   = lazyregexp.New(`^[WF]\d+$`)
	conformity = lazyregexp.New(`^[A-Za-z0-9]+-\d{3}$`)
)

// Tool returns the tool whose ID scheme id follows, or "" when none does.
func Tool(id string) string {
	switch {
	case kicsID.MatchString(id):
		return KICS
	case checkovID.MatchString(id):
		return Checkov
	case avdID.MatchString(id):
		return Trivy
	case longID.MatchString(id):
		return TrivyLong
	case cfnNagID.MatchString(id):
		return CfnNag
	case conformity.MatchString(id):
		return Conformity
	}
	return ""
}

// Aliases returns the peers' IDs for the rule with the given ID, in table order.
func Aliases(id string) []string { return slices.Clone(table[id]) }

// IDs returns every rule ID the table lists, sorted.
func IDs() []string { return slices.Sorted(maps.Keys(table)) }

// WithAliases returns a copy of r whose aliases are its own followed by the table's,
// without duplicates. r itself is not changed: rule packages own their variables.
func WithAliases(r *rules.Rule) *rules.Rule {
	c := *r
	peers := table[r.ID]
	c.Aliases = nil
	if n := len(r.Aliases) + len(peers); n > 0 {
		c.Aliases = make([]string, 0, n)
	}
	for _, list := range [][]string{r.Aliases, peers} {
		for _, a := range list {
			if !slices.ContainsFunc(c.Aliases, func(b string) bool { return strings.EqualFold(a, b) }) {
				c.Aliases = append(c.Aliases, a)
			}
		}
	}
	return &c
}
