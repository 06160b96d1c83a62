package rules

import (
	"fmt"
	"slices"
	"strings"
)

// ParseSeverities parses a severity filter (--severity, the configuration's
// show-severities): a comma-separated list of names in any case, as trivy's --severity
// takes them ("CRITICAL,HIGH" is exactly those two), or one name followed by "+" for that
// severity and every one above it ("high+" is high and critical). It returns the
// severities from most to least severe, each once.
func ParseSeverities(spec string) ([]Severity, error) {
	if name, ok := strings.CutSuffix(strings.TrimSpace(spec), "+"); ok {
		least, err := ParseSeverity(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		var out []Severity
		for s := Critical; s >= least; s-- {
			out = append(out, s)
		}
		return out, nil
	}
	var out []Severity
	for name := range strings.SplitSeq(spec, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		s, err := ParseSeverity(name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no severity in %q (want a list such as critical,high or a minimum such as high+)", spec)
	}
	slices.SortFunc(out, func(a, b Severity) int { return int(b) - int(a) })
	return out, nil
}
