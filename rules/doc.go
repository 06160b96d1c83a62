package rules

import (
	"encoding/json"
	"fmt"
	"strings"
)

var formatTitles = map[string]string{
	"terraform":           "Terraform",
	"terraform-json":      "Terraform JSON",
	"cloudformation-yaml": "CloudFormation YAML",
	"cloudformation-json": "CloudFormation JSON",
	"serverless":          "serverless.yml",
}

// Doc renders a rule's documentation page as Markdown: docs/rules/<ID>.md is generated from
// it, and `iacscan explain` prints it.
func Doc(m *Meta) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", m.ID, m.Title)
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Name | `%s` |\n", m.Name)
	fmt.Fprintf(&b, "| Severity | %s |\n", m.Severity)
	fmt.Fprintf(&b, "| Fix | %s |\n", m.Fix)
	enabled := "yes"
	if m.DefaultOff {
		enabled = "no (turn it on with `--rules " + m.ID + "` or the config file)"
	}
	fmt.Fprintf(&b, "| Enabled by default | %s |\n", enabled)
	formats := make([]string, len(m.Formats))
	for i, f := range m.Formats {
		formats[i] = formatTitles[f.String()]
	}
	fmt.Fprintf(&b, "| Formats | %s |\n", strings.Join(formats, ", "))
	if len(m.Aliases) > 0 {
		fmt.Fprintf(&b, "| Aliases | %s |\n", "`"+strings.Join(m.Aliases, "`, `")+"`")
	}
	fmt.Fprintf(&b, "| Tags | %s |\n", strings.Join(m.Tags, ", "))
	fmt.Fprintf(&b, "\n## Why it matters\n\n%s\n", strings.TrimSpace(m.Description))
	fmt.Fprintf(&b, "\n## How to fix\n\n%s\n", strings.TrimSpace(m.Remediation))
	if len(m.Params) > 0 {
		fmt.Fprintf(&b, "\n## Parameters\n\nSet them in `.iacscan.yaml` under `rules: {%s: {...}}`.\n\n| Name | Default | Meaning |\n|---|---|---|\n", m.ID)
		for _, p := range m.Params {
			def, _ := json.Marshal(p.Value) // the YAML flow syntax the config file takes
			fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", p.Name, def, p.Description)
		}
	}
	fmt.Fprintf(&b, "\n## Suppressing\n\nAccepted on purpose? Say so next to the resource, with a reason:\n\n```hcl\n# iacscan:ignore:%s reason\n```\n", m.ID)
	return b.String()
}
