package scan

import (
	"slices"
	"testing"

	"github.com/iacscan/iacscan/rules"
)

// TestShowSeverities checks the split of findings and unresolved checks by the shown
// severities, and that no filter shows everything.
func TestShowSeverities(t *testing.T) {
	high, low := &rules.Meta{ID: "H", Severity: rules.High}, &rules.Meta{ID: "L", Severity: rules.Low}
	findings := []rules.Finding{{Rule: high, Severity: rules.High}, {Rule: low, Severity: rules.Low}, {Rule: low, Severity: rules.Critical}}
	unresolved := []rules.Unresolved{{Rule: high}, {Rule: low}}
	ids := func(fs []rules.Finding) (out []string) {
		for _, f := range fs {
			out = append(out, f.Rule.ID+":"+f.Severity.String())
		}
		return out
	}
	shownF, shownU, hid := showSeverities(slices.Clone(findings), slices.Clone(unresolved), []rules.Severity{rules.Critical, rules.High})
	// A finding's own severity decides (a rule may raise or lower it); an unresolved
	// check has only its rule's.
	if got := ids(shownF); !slices.Equal(got, []string{"H:high", "L:critical"}) {
		t.Errorf("shown findings %v", got)
	}
	if got := ids(hid.findings); !slices.Equal(got, []string{"L:low"}) {
		t.Errorf("hidden findings %v", got)
	}
	if len(shownU) != 1 || shownU[0].Rule != high || len(hid.unresolved) != 1 || hid.unresolved[0].Rule != low {
		t.Errorf("unresolved split %v / %v", shownU, hid.unresolved)
	}
	allF, allU, none := showSeverities(findings, unresolved, nil)
	if len(allF) != 3 || len(allU) != 2 || len(none.findings)+len(none.unresolved) != 0 {
		t.Errorf("no filter: %d findings, %d unresolved, %+v hidden", len(allF), len(allU), none)
	}
}
