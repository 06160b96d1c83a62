package suppress

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/source"
)

// comment is one comment of a file.
type comment struct {
	text     string // without the comment markers
	textAt   int    // byte offset of text in the file
	start    int    // byte offset of the comment marker
	end      int    // byte offset after the comment (its newline excluded)
	trailing bool   // code precedes it on its line
}

// block is a top-level HCL block: `resource "aws_s3_bucket" "b" { ... }`, `module "web" {}`.
type block struct {
	typ        string
	start, end int
}

// hclComments lexes a native-syntax Terraform file and returns its comments and its
// top-level blocks. The lexer, unlike a line scan, knows that `#` in a string or heredoc
// is no comment; it also works on files with syntax errors.
func hclComments(f *source.File) ([]comment, []block) {
	toks, _ := hclsyntax.LexConfig(f.Src, f.Path, hcl.InitialPos)
	var (
		comments []comment
		blocks   []block
		depth    int
		header   *block // a block header being read at depth 0
		open     *block // the top-level block depth > 0 is in
	)
	for _, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenComment:
			comments = append(comments, hclComment(f, tok))
			if bytes.HasSuffix(tok.Bytes, []byte("\n")) && depth == 0 {
				header = nil // a line comment ends the line
			}
		case hclsyntax.TokenIdent, hclsyntax.TokenOQuote, hclsyntax.TokenQuotedLit, hclsyntax.TokenCQuote:
			if depth == 0 && header == nil && tok.Type == hclsyntax.TokenIdent {
				header = &block{typ: string(tok.Bytes), start: tok.Range.Start.Byte}
			}
		case hclsyntax.TokenOBrace, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if depth == 0 && header != nil && tok.Type == hclsyntax.TokenOBrace {
				open, header = header, nil
			}
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
			if depth == 0 && open != nil {
				open.end = tok.Range.End.Byte
				blocks = append(blocks, *open)
				open = nil
			}
		default:
			if depth == 0 {
				header = nil // `name = value`: an attribute, not a block
			}
		}
	}
	if open != nil { // unclosed at the end of the file
		open.end = len(f.Src)
		blocks = append(blocks, *open)
	}
	return comments, blocks
}

func hclComment(f *source.File, tok hclsyntax.Token) comment {
	start := tok.Range.Start.Byte
	raw := string(tok.Bytes)
	marker := 1 // "#"
	switch {
	case strings.HasPrefix(raw, "//"):
		marker = 2
	case strings.HasPrefix(raw, "/*"):
		marker = 2
		raw = strings.TrimSuffix(raw, "*/")
	}
	text := strings.TrimRight(raw[marker:], "\r\n")
	return comment{
		text:     text,
		textAt:   start + marker,
		start:    start,
		end:      start + marker + len(text),
		trailing: codeBefore(f, start),
	}
}

// codeBefore reports whether anything but blanks precedes offset on its line.
func codeBefore(f *source.File, off int) bool {
	line := f.PosAt(off).Line
	lineStart := f.Offset(line, 1)
	return len(bytes.TrimSpace(f.Src[lineStart:off])) > 0
}

// blockScalarHeader matches a line ending in a YAML block scalar indicator: `key: |`,
// `- >-`, `UserData: !Base64 |2`.
var blockScalarHeader = lazyregexp.New(`(^|\s)[|>][1-9+-]*$`)

// yamlComments returns the comments of a YAML file: a `#` at the start of a line or after
// a blank, outside quotes and outside block scalars (a `#` in a UserData script is text).
func yamlComments(f *source.File) []comment {
	var (
		out         []comment
		scalarAbove = -1 // the indentation a block scalar's lines exceed, or -1
	)
	for n := 1; n <= f.LineCount(); n++ {
		line := f.Line(n)
		indent := yamlIndent(line)
		if scalarAbove >= 0 {
			if len(bytes.TrimSpace(line)) == 0 || indent > scalarAbove {
				continue
			}
			scalarAbove = -1
		}
		code := line
		if at := yamlCommentAt(line); at >= 0 {
			start := f.Offset(n, 1) + at
			out = append(out, comment{
				text:     string(line[at+1:]),
				textAt:   start + 1,
				start:    start,
				end:      start + len(line) - at,
				trailing: len(bytes.TrimSpace(line[:at])) > 0,
			})
			code = line[:at]
		}
		if blockScalarHeader.Match(bytes.TrimRight(code, " \t")) {
			scalarAbove = indent
		}
	}
	return out
}

// yamlIndent is the indentation of a line's node: leading blanks and sequence dashes
// (`  - key:` puts key at 4), since a block scalar's text is indented past its key.
func yamlIndent(line []byte) int {
	i := 0
	for i < len(line) {
		switch {
		case line[i] == ' ' || line[i] == '\t':
			i++
		case line[i] == '-' && (i+1 == len(line) || line[i+1] == ' '):
			i++
		default:
			return i
		}
	}
	return i
}

// yamlCommentAt returns the byte index of the `#` starting a comment on line, or -1. A
// quote opens a quoted scalar only where a scalar starts (after `: `, `- `, `[`, `{`, `,`
// or at the start of the line), so the apostrophe in `it's` opens nothing.
func yamlCommentAt(line []byte) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '"' && c == '\\', quote == '\'' && c == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++ // an escaped character, or '' in a single-quoted scalar
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		case (c == '"' || c == '\'') && scalarStart(line[:i]):
			quote = c
		}
	}
	return -1
}

func scalarStart(before []byte) bool {
	trimmed := bytes.TrimRight(before, " \t")
	if len(trimmed) == 0 {
		return true
	}
	switch trimmed[len(trimmed)-1] {
	case '[', '{', ',':
		return true
	case ':', '-', '?': // indicators only when a blank follows: `a:b` and `x-'y'` are plain text
		return len(trimmed) < len(before)
	}
	return false
}
