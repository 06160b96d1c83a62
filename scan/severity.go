package scan

import (
	"slices"

	"github.com/iacscan/iacscan/rules"
)

// showSeverities keeps the findings and unresolved checks whose severity is among shown
// (everything when shown is empty) and returns how many findings it left out. What it
// leaves out is in no report and fails no run: the filter decides what is shown
// (--severity), --fail-on what fails among what is shown.
func showSeverities(findings []rules.Finding, unresolved []rules.Unresolved, shown []rules.Severity) ([]rules.Finding, []rules.Unresolved, int) {
	if len(shown) == 0 {
		return findings, unresolved, 0
	}
	all := len(findings)
	findings = slices.DeleteFunc(findings, func(f rules.Finding) bool { return !slices.Contains(shown, f.Severity) })
	unresolved = slices.DeleteFunc(unresolved, func(u rules.Unresolved) bool {
		return u.Rule != nil && !slices.Contains(shown, u.Rule.Severity)
	})
	return findings, unresolved, all - len(findings)
}
