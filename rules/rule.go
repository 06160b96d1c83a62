// Package rules defines what a rule is, what it reports and how rules run over a graph.
// Rules live in rules/aws/<service>; rules/builtin is the one list of all of them.
package rules

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// FixMode says what `--fix` may do for a rule's findings (RULES.md decision 6).
type FixMode string

const (
	FixAuto    FixMode = "auto"    // --fix writes it
	FixGuarded FixMode = "guarded" // --fix writes it when the rule's preconditions hold
	FixSuggest FixMode = "suggest" // shown in --diff and SARIF, never written
	FixNone    FixMode = "none"
)

// DocsBase is where the rule pages (docs/rules/ID.md) are published.
const DocsBase = "https://github.com/iacscan/iacscan/blob/main/docs/rules/"

// Meta describes a rule. ID is stable forever: it is GitHub's alert identity and what
// ignore comments name.
type Meta struct {
	ID          string   `json:"id"`          // "AWS-S3-001"
	Name        string   `json:"name"`        // slug: "s3-bucket-public-read-acl"
	Title       string   `json:"title"`       // one sentence (SARIF shortDescription)
	Description string   `json:"description"` // why it matters (SARIF fullDescription)
	Remediation string   `json:"remediation"` // what to change, markdown, one paragraph
	Severity    Severity `json:"severity"`
	Tags        []string `json:"tags"`    // "security", "aws", "s3", "CWE-…"
	Aliases     []string `json:"aliases"` // peer IDs: Conformity "S3-001", checkov "CKV_AWS_20", trivy "AVD-AWS-0092"
	// Formats lists the input formats the rule's examples cover; the registry test demands a
	// positive and a negative example in each.
	Formats    []graph.Format `json:"formats"`
	Fix        FixMode        `json:"fix"`
	DefaultOff bool           `json:"default_off,omitempty"` // RULES.md decision 3: enabled only by config or --rules
	// Params are the settings configuration may change (`.iacscan.yaml`), with defaults.
	Params []Param `json:"params,omitempty"`
	// Help is the documentation page of a rule iacscan does not ship (a custom rule's
	// help_uri); "" for iacscan's own, documented in docs/rules.
	Help string `json:"help,omitempty"`
}

// HelpURI is the rule's documentation page: iacscan's own for its rules, the one a custom
// rule names, else "".
func (m *Meta) HelpURI() string {
	switch {
	case m.Help != "":
		return m.Help
	case strings.HasPrefix(m.ID, "AWS-"):
		return DocsBase + m.ID + ".md"
	}
	return ""
}

// Rule is a rule's metadata and its check.
type Rule struct {
	Meta
	Check func(*Context)
	// Isolated says Check shares nothing with the checks of rules that are not isolated:
	// it only reads the graph, and its Memo keys are its own. RunAll runs isolated rules
	// on a goroutine of their own (a team's custom rules), beside the others.
	Isolated bool
}

// AllFormats is every format a rule over CloudFormation-expressible concepts applies to.
var AllFormats = []graph.Format{graph.Terraform, graph.CloudFormationYAML, graph.CloudFormationJSON, graph.Serverless}
