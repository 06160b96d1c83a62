package scan

import (
	"slices"

	"github.com/iacscan/iacscan/rules"
)

// hidden are the findings and unresolved checks of the severities Options.Severities
// leaves out of the reports.
type hidden struct {
	findings   []rules.Finding
	unresolved []rules.Unresolved
}

// showSeverities splits the findings and unresolved checks into those whose severity is
// among shown (everything when shown is empty) and the others. What it leaves out is in
// no report and fails no run: the filter decides what is shown (--severity), --fail-on
// what fails among what is shown.
func showSeverities(findings []rules.Finding, unresolved []rules.Unresolved, shown []rules.Severity) ([]rules.Finding, []rules.Unresolved, hidden) {
	var h hidden
	if len(shown) == 0 {
		return findings, unresolved, h
	}
	var keptF []rules.Finding
	for _, f := range findings {
		if slices.Contains(shown, f.Severity) {
			keptF = append(keptF, f)
		} else {
			h.findings = append(h.findings, f)
		}
	}
	var keptU []rules.Unresolved
	for _, u := range unresolved {
		if u.Rule == nil || slices.Contains(shown, u.Rule.Severity) {
			keptU = append(keptU, u)
		} else {
			h.unresolved = append(h.unresolved, u)
		}
	}
	return keptF, keptU, h
}
