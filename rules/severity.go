package rules

import (
	"fmt"
	"strings"
)

// Severity of a rule or finding, ordered so that a higher value is more severe.
type Severity uint8

const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

var severityNames = map[Severity]string{Low: "low", Medium: "medium", High: "high", Critical: "critical"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return "unknown"
}

// MarshalText makes JSON reports show the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name (any case).
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity parses "critical", "high", "medium" or "low" (any case).
func ParseSeverity(name string) (Severity, error) {
	for s, n := range severityNames {
		if strings.EqualFold(name, n) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium or low)", name)
}

// SARIF returns the SARIF level and security-severity score of s (RULES.md decision 2).
// It is the one mapping table; every writer uses it.
func (s Severity) SARIF() (level, score string) {
	switch s {
	case Critical:
		return "error", "9.5"
	case High:
		return "error", "8.0"
	case Medium:
		return "warning", "5.5"
	default:
		return "note", "2.0"
	}
}
