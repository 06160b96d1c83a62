package migration

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/rules"
)

// columns are the tools in the order the guide's rule table shows them.
var columns = []string{Conformity, Checkov, Trivy, TrivyLong, CfnNag, KICS}

// Doc renders docs/migration.md from the catalog's aliases: which iacscan rules each peer
// ID stands for, and the peers' IDs of each rule.
func Doc(catalog []*rules.Rule) string {
	var b strings.Builder
	b.WriteString(`# Migrating from checkov, tfsec, trivy, cfn_nag, KICS and Conformity

Generated from the rules' metadata (` + "`go test ./rules/builtin -update`" + `); do not edit.

Every iacscan rule answers to the IDs other tools give the same check. Your existing
ignores keep working, and ` + "`--rules`, `--skip-rules`" + ` and ` + "`.iacscan.yaml`" + ` accept the same IDs:

` + "```hcl" + `
# checkov:skip=CKV_AWS_24:bastion, locked down by the NACL
# tfsec:ignore:aws-ec2-no-public-ingress-sgr
# trivy:ignore:AVD-AWS-0107:exp:2027-01-31
` + "```" + `

CloudFormation ` + "`Metadata`" + ` suppressions work too: ` + "`cfn_nag: {rules_to_suppress: [{id: W35, reason: ...}]}`" + `
and ` + "`checkov: {skip: [{id: CKV_AWS_18, comment: ...}]}`" + `.

One peer ID can stand for several iacscan rules: trivy's AVD-AWS-0107 reports every
world-open ingress rule, so it covers every port rule, where iacscan has one rule per
service. An ignore naming an ID that no iacscan rule claims suppresses nothing and is
reported as a warning with its file and line. KICS query IDs work in ` + "`--rules`" + `,
` + "`--skip-rules`" + ` and the configuration; KICS's own ` + "`kics-scan`" + ` comments are not read.

## By peer ID

| Tool | ID | iacscan rules |
|---|---|---|
`)
	for _, row := range byPeer(catalog) {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", row.tool, row.id, strings.Join(row.rules, ", "))
	}
	b.WriteString("\n## By iacscan rule\n\n| Rule | " + strings.Join(columns, " | ") + " |\n|---|" + strings.Repeat("---|", len(columns)) + "\n")
	for _, r := range catalog {
		cells := make([]string, len(columns))
		for _, a := range r.Aliases {
			if i := slices.Index(columns, Tool(a)); i >= 0 {
				cells[i] += sep(cells[i]) + "`" + a + "`"
			}
		}
		fmt.Fprintf(&b, "| [%s](rules/%s.md) | %s |\n", r.ID, r.ID, strings.Join(cells, " | "))
	}
	return b.String()
}

func sep(s string) string {
	if s == "" {
		return ""
	}
	return ", "
}

type peerRow struct {
	tool, id string
	rules    []string
}

// byPeer inverts the aliases: one row per peer ID, sorted by tool and ID.
func byPeer(catalog []*rules.Rule) []peerRow {
	rows := map[string]*peerRow{}
	for _, r := range catalog {
		for _, a := range r.Aliases {
			row := rows[a]
			if row == nil {
				row = &peerRow{tool: Tool(a), id: a}
				rows[a] = row
			}
			if !slices.Contains(row.rules, r.ID) {
				row.rules = append(row.rules, r.ID)
			}
		}
	}
	out := make([]peerRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b peerRow) int {
		return cmp.Or(cmp.Compare(slices.Index(columns, a.tool), slices.Index(columns, b.tool)), cmp.Compare(a.id, b.id))
	})
	return out
}
