package document

import "strings"

// The scanners below find where a YAML node ends. yaml.v3 reports only where a node starts,
// and its parse already validated the text, so they only have to skip the node's syntax.
// Each one stops at the end of the input whatever the bytes are.

// properties skips a node's tag and anchor (`!Ref`, `&base`) written at off. It returns
// where they end (off when there are none) and where the content starts: after the spaces,
// line breaks and comments that may follow them.
func properties(src []byte, off int) (end, content int) {
	end, content = off, off
	for content < len(src) && (src[content] == '!' || src[content] == '&') {
		end = tokenEnd(src, content)
		content = skipBlank(src, end)
	}
	return end, content
}

// tokenEnd returns the end of a tag or anchor, as yaml.v3 reads them: the closing ">" of a
// verbatim tag (`!<tag:yaml.org,2002:str>`), the last URI character of a tag (which takes
// `,`, `[` and `]` too, as libyaml does), the last word character of an anchor.
func tokenEnd(src []byte, off int) int {
	if off+1 < len(src) && src[off] == '!' && src[off+1] == '<' {
		for i := off + 2; i < len(src); i++ {
			if src[i] == '>' {
				return i + 1
			}
		}
		return len(src)
	}
	in := isWordChar
	if src[off] == '!' {
		in = isTagChar
	}
	i := off + 1
	for i < len(src) && in(src[i]) {
		i++
	}
	return i
}

// isWordChar reports whether b may be in an anchor name: yaml.v3's is_alpha.
func isWordChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b == '_' || b == '-'
}

// isTagChar reports whether b may be in a tag: a word character or one of the URI
// characters yaml.v3 accepts.
func isTagChar(b byte) bool {
	return isWordChar(b) || strings.IndexByte(";/?:@&=+$,.!~*'()[]%", b) >= 0
}

// skipBlank skips spaces, tabs, line breaks and comments.
func skipBlank(src []byte, off int) int {
	for off < len(src) {
		switch {
		case isSpace(src[off]):
			off++
		case src[off] == '#':
			for off < len(src) && src[off] != '\n' && src[off] != '\r' {
				off++
			}
		default:
			return off
		}
	}
	return off
}

// quotedEnd returns the end of the quoted scalar whose opening quote is at off: just after
// the closing quote, skipping backslash escapes in double quotes and doubled quotes in
// single quotes.
func quotedEnd(src []byte, off int) int {
	if off >= len(src) {
		return len(src)
	}
	quote := src[off]
	for i := off + 1; i < len(src); i++ {
		switch {
		case quote == '"' && src[i] == '\\':
			i++
		case src[i] == quote && quote == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case src[i] == quote:
			return i + 1
		}
	}
	return len(src)
}

// blockScalarEnd returns the end of the block scalar (`|`, `>-`, `|2+ # comment`) whose
// indicator is at off and whose decoded text is value: the end of its last non-blank
// content line, or of the indicators when it has no content.
func blockScalarEnd(src []byte, off int, value string) int {
	header := min(off+1, len(src))
	for header < len(src) && (src[header] == '+' || src[header] == '-' || ('0' <= src[header] && src[header] <= '9')) {
		header++
	}
	want := nonSpace(value)
	if want == 0 {
		return header
	}
	body := header
	for body < len(src) && src[body] != '\n' && src[body] != '\r' { // skip a comment
		body++
	}
	return countEnd(src, body, want)
}

// countEnd returns the end of a scalar starting at off that holds want non-blank bytes.
// It works for plain and block scalars, whose decoding (indentation, folding, chomping)
// only ever changes blanks: the non-blank bytes of the value are those of the source.
func countEnd(src []byte, off, want int) int {
	end := off
	for i := off; i < len(src) && want > 0; i++ {
		switch {
		case isSpace(src[i]):
		case src[i] == 0xC2 && i+1 < len(src) && src[i+1] == 0x85: // NEL, a line break for YAML
			i++
		default:
			want--
			end = i + 1
		}
	}
	return end
}

// nonSpace counts the bytes of s that are not blanks.
func nonSpace(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			n++
		}
	}
	return n
}

// afterColon returns where the empty value of a key ending at off sits: just after the
// key's ":" when it follows on the same line, else right after the key (`{a, b}`).
func afterColon(src []byte, off int) int {
	i := off
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i < len(src) && src[i] == ':' {
		return i + 1
	}
	return off
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
