package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/rules"
)

// ruleListers are the formats of `iacscan rules`.
var ruleListers = map[string]func(io.Writer, []*rules.Rule) error{
	"text":     listText,
	"json":     listJSON,
	"markdown": listMarkdown,
}

func (a *app) rulesCommand() *cobra.Command {
	format := newChoice("text", "text", "json", "markdown")
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.customRulesOf("", "."); err != nil {
				return err
			}
			a.printRuleDiagnostics()
			return ruleListers[format.value](cmd.OutOrStdout(), a.catalog)
		},
	}
	cmd.Flags().VarP(format, "format", "f", "output format")
	cmd.AddCommand(a.rulesTestCommand())
	return cmd
}

func (a *app) explainCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "explain ID",
		Short: "Explain a rule: what it checks, why it matters and how to fix it",
		Long:  "Explain a rule. ID is the rule's ID (AWS-EC2-002), name (sg-open-ssh) or an alias such as a checkov or trivy ID.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.customRulesOf("", "."); err != nil {
				return err
			}
			if many := claimants(a.catalog, args[0]); len(many) > 1 {
				return listClaimants(cmd.OutOrStdout(), args[0], many)
			}
			r := rules.Lookup(a.catalog, args[0])
			if r == nil {
				return fmt.Errorf("no rule is named %q (see `iacscan rules`)", args[0])
			}
			doc := rules.Doc(&r.Meta)
			if help := r.HelpURI(); help != "" {
				doc += "\nDocumentation: " + help + "\n"
			}
			_, err := io.WriteString(cmd.OutOrStdout(), doc)
			return err
		},
	}
}

func defaultState(m *rules.Meta) string {
	if m.DefaultOff {
		return "off"
	}
	return "on"
}

// accountState says whether a rule has an account check (a resource missing from the
// account), which only the baseline profile runs.
func accountState(m *rules.Meta) string {
	if m.HasAccountCheck() {
		return "baseline"
	}
	return "-"
}

func listText(w io.Writer, all []*rules.Rule) error {
	var b bytes.Buffer // tabwriter has no sticky error: write once, and check that
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tFIX\tDEFAULT\tACCOUNT\tTITLE")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Fix, defaultState(&r.Meta), accountState(&r.Meta), r.Title)
	}
	tw.Flush()
	_, err := w.Write(b.Bytes())
	return err
}

func listMarkdown(w io.Writer, all []*rules.Rule) error {
	var b strings.Builder
	b.WriteString("| ID | Name | Severity | Fix | Default | Title |\n|---|---|---|---|---|---|\n")
	for _, r := range all {
		state := defaultState(&r.Meta)
		if r.HasAccountCheck() {
			state += " (account check: baseline profile)"
		}
		fmt.Fprintf(&b, "| [%s](%s) | `%s` | %s | %s | %s | %s |\n", r.ID, r.HelpURI(), r.Name, r.Severity, r.Fix,
			state, strings.ReplaceAll(r.Title, "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleJSON is the schema of one rule in `iacscan rules --format json`
// (docs/json-report.md), kept apart from rules.Meta so that it cannot drift by accident.
type ruleJSON struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Title          string   `json:"title"`
	Description    string   `json:"description"`
	Remediation    string   `json:"remediation"`
	Severity       string   `json:"severity"`
	Fix            string   `json:"fix"`
	DefaultEnabled bool     `json:"default_enabled"`
	AccountCheck   bool     `json:"account_check"`
	Formats        []string `json:"formats"`
	Tags           []string `json:"tags"`
	Aliases        []string `json:"aliases"`
	HelpURI        string   `json:"help_uri"`
}

func listJSON(w io.Writer, all []*rules.Rule) error {
	doc := struct {
		SchemaVersion string     `json:"schema_version"`
		Rules         []ruleJSON `json:"rules"`
	}{SchemaVersion: "1", Rules: make([]ruleJSON, 0, len(all))}
	for _, r := range all {
		formats := make([]string, len(r.Formats))
		for i, f := range r.Formats {
			formats[i] = f.String()
		}
		doc.Rules = append(doc.Rules, ruleJSON{
			ID: r.ID, Name: r.Name, Title: r.Title, Description: r.Description, Remediation: r.Remediation,
			Severity: r.Severity.String(), Fix: string(r.Fix), DefaultEnabled: !r.DefaultOff, AccountCheck: r.HasAccountCheck(),
			Formats: formats, Tags: nonNil(r.Tags), Aliases: nonNil(r.Aliases), HelpURI: r.HelpURI(),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
