package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/iacscan/iacscan/rules"
)

// claimants returns the rules a peer ID (an alias, not a glob) stands for. trivy's
// AVD-AWS-0107, for one, covers every security-group port rule.
func claimants(catalog []*rules.Rule, id string) []*rules.Rule {
	if strings.ContainsAny(id, "*?[") {
		return nil
	}
	var out []*rules.Rule
	for _, r := range catalog {
		if r.Matches(id) {
			out = append(out, r)
		}
	}
	return out
}

// listClaimants writes the rules that answer to id, for `explain` of a peer ID that
// stands for several of them.
func listClaimants(w io.Writer, id string, rs []*rules.Rule) error {
	fmt.Fprintf(w, "%s stands for %d iacscan rules; an ignore or --skip-rules naming it covers them all:\n\n", id, len(rs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rs {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nRun `iacscan explain ID` for one of them.\n")
	return err
}
