package report

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/scan"
)

// notReported says how many findings the process stage kept out of the report, such as
// "2 suppressed, 1 in the baseline", or "" when it kept none out. Every report shows it,
// so that an ignore never makes a finding vanish without a trace.
func notReported(st scan.Stats) string {
	var parts []string
	if st.Suppressed > 0 {
		parts = append(parts, fmt.Sprintf("%d suppressed", st.Suppressed))
	}
	if st.Baselined > 0 {
		parts = append(parts, fmt.Sprintf("%d in the baseline", st.Baselined))
	}
	if st.HiddenBySeverity > 0 {
		parts = append(parts, fmt.Sprintf("%d of other severities", st.HiddenBySeverity))
	}
	return strings.Join(parts, ", ")
}

// unresolvedNote says how many checks were skipped because a value is known only at
// deploy time, or "" when none was: a clean report must not hide what it could not judge.
func unresolvedNote(st scan.Stats) string {
	if st.Unresolved == 0 {
		return ""
	}
	return fmt.Sprintf("%s unresolved: a value is known only at deploy time (--explain-values lists them).", plural(st.Unresolved, "check"))
}
