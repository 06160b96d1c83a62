package suppress

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// The tools whose ignore syntax iacscan reads. Only iacscan's own ignores are reported
// when unused: a team that still runs checkov keeps skips iacscan has nothing to match.
const (
	ToolIacscan = "iacscan"
	ToolCheckov = "checkov"
	ToolTfsec   = "tfsec"
	ToolTrivy   = "trivy"
	ToolCfnNag  = "cfn_nag"
)

// dateLayout is the expiry date format: `:exp:2027-01-31`.
const dateLayout = "2006-01-02"

// defaultWorkspace is the Terraform workspace a source scan stands for; trivy and tfsec
// ignores scoped to another workspace (`:ws:prod`) do not apply.
const defaultWorkspace = "default"

// prefixes start the directives found in comments, each with its tool.
var prefixes = []struct{ text, tool string }{
	{"iacscan:ignore:", ToolIacscan},
	{"tfsec:ignore:", ToolTfsec},
	{"trivy:ignore:", ToolTrivy},
	{"checkov:skip=", ToolCheckov},
}

// directive is one ignore as written in a comment, before it is placed in a file.
type directive struct {
	tool     string
	ids      []string
	selector *Selector
	expires  time.Time // zero: no expiry
	reason   string
	offset   int    // byte offset of the directive within the comment text
	length   int    // its length in bytes
	problem  string // why the directive is malformed, or ""
	ws       string // trivy/tfsec workspace glob, or ""
}

// parseComment returns every directive in the text of one comment. A comment may hold
// several (`# tfsec:ignore:A tfsec:ignore:B`); each ends where the next begins.
func parseComment(text string) []directive {
	var starts []struct{ at, prefix int }
	for i := 0; i < len(text); i++ {
		if i > 0 && isWordChar(rune(text[i-1])) {
			continue
		}
		for p, pre := range prefixes {
			if strings.HasPrefix(text[i:], pre.text) {
				starts = append(starts, struct{ at, prefix int }{i, p})
				break
			}
		}
	}
	out := make([]directive, 0, len(starts))
	for n, s := range starts {
		end := len(text)
		if n+1 < len(starts) {
			end = starts[n+1].at
		}
		body := strings.TrimRightFunc(text[s.at+len(prefixes[s.prefix].text):end], unicode.IsSpace)
		d := parseDirective(prefixes[s.prefix].tool, body)
		d.offset, d.length = s.at, len(strings.TrimRightFunc(text[s.at:end], unicode.IsSpace))
		out = append(out, d)
	}
	return out
}

func isWordChar(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// parseDirective reads what follows a prefix: `ID[,ID...][selector][:exp:DATE][:ws:GLOB]
// reason`, or for checkov `ID[,ID...][:reason]`.
func parseDirective(tool, body string) directive {
	d := directive{tool: tool}
	idEnd := strings.IndexFunc(body, func(r rune) bool { return r == '[' || r == ':' || unicode.IsSpace(r) })
	if idEnd < 0 {
		idEnd = len(body)
	}
	for id := range strings.SplitSeq(body[:idEnd], ",") {
		if id = strings.TrimSpace(id); id != "" {
			d.ids = append(d.ids, id)
		}
	}
	rest := body[idEnd:]
	if len(d.ids) == 0 {
		d.problem = "names no rule"
		return d
	}
	if tool == ToolCheckov {
		reason, _ := strings.CutPrefix(rest, ":")
		d.reason = strings.TrimSpace(reason)
		return d
	}
	rest = d.parseSelector(rest)
	rest = d.parseOptions(rest)
	if d.problem == "" && rest != "" && !unicode.IsSpace(rune(rest[0])) {
		d.problem = fmt.Sprintf("unexpected %q after the rule IDs", rest)
	}
	d.reason = strings.TrimSpace(rest)
	return d
}

// parseSelector reads an optional `[key]` or `[attr=value]` and returns the rest.
func (d *directive) parseSelector(rest string) string {
	if !strings.HasPrefix(rest, "[") {
		return rest
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		d.problem = "unclosed ["
		return ""
	}
	sel, err := parseSelector(rest[1:end])
	if err != nil {
		d.problem = err.Error()
	}
	d.selector = sel
	return rest[end+1:]
}

// parseOptions reads `:exp:DATE` and `:ws:GLOB` in any order and returns the rest.
func (d *directive) parseOptions(rest string) string {
	for d.problem == "" && strings.HasPrefix(rest, ":") {
		name, value, _ := strings.Cut(rest[1:], ":")
		end := strings.IndexFunc(value, func(r rune) bool { return r == ':' || unicode.IsSpace(r) })
		if end < 0 {
			end = len(value)
		}
		switch name {
		case "exp":
			t, err := time.Parse(dateLayout, value[:end])
			if err != nil {
				d.problem = fmt.Sprintf("expiry %q is not a date like 2027-01-31", value[:end])
			}
			d.expires = t
		case "ws":
			d.ws = value[:end]
		default:
			d.problem = fmt.Sprintf("unknown option %q (want :exp:YYYY-MM-DD)", ":"+name)
		}
		rest = value[end:]
	}
	return rest
}

// Selector narrows an ignore to some instances of a resource: `[logs]` to the for_each
// instance with key "logs" (or the count instance 0 with `[0]`), `[bucket=logs]` to the
// instances whose attribute has that value, as trivy's ignores do.
type Selector struct {
	Key   string // instance key, when Attr is ""
	Attr  string // dotted attribute path
	Value string
}

func parseSelector(s string) (*Selector, error) {
	attr, value, ok := strings.Cut(s, "=")
	if !ok {
		key := strings.Trim(strings.TrimSpace(s), `"`)
		if key == "" {
			return nil, fmt.Errorf("empty [] selector")
		}
		return &Selector{Key: key}, nil
	}
	attr, value = strings.TrimSpace(attr), strings.Trim(strings.TrimSpace(value), `"`)
	if attr == "" {
		return nil, fmt.Errorf("selector %q names no attribute", s)
	}
	return &Selector{Attr: attr, Value: value}, nil
}

func (s *Selector) String() string {
	if s.Attr == "" {
		return "[" + s.Key + "]"
	}
	return "[" + s.Attr + "=" + s.Value + "]"
}
