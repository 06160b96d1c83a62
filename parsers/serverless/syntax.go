package serverless

import "strings"

// part is a piece of a string holding variables: literal text, or the inside of a `${...}`.
type part struct {
	text     string
	variable bool
}

// split cuts s into literal text and variables. Braces nest (`${self:a.${opt:stage}}`);
// an unterminated `${` is literal text.
func split(s string) []part {
	var parts []part
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		end := closing(s[i+2:])
		if end < 0 {
			break
		}
		if i > 0 {
			parts = append(parts, part{text: s[:i]})
		}
		parts = append(parts, part{text: s[i+2 : i+2+end], variable: true})
		s = s[i+2+end+1:]
	}
	if s != "" {
		parts = append(parts, part{text: s})
	}
	return parts
}

// closing returns the index of the brace that closes a variable whose inside starts s, or
// -1.
func closing(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// splitCandidates cuts an expression at the commas outside quotes, parentheses, brackets
// and braces: `opt:stage, ${self:provider.stage}, 'dev'`.
func splitCandidates(s string) []string {
	var (
		out   []string
		depth int
		quote byte
		start int
	)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// quoted returns the text of a quoted fallback ('dev' or "dev").
func quoted(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}
