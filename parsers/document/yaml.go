package document

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/source"
)

// expansionBase is how many nodes, beyond one per byte of input, a document may expand to
// through aliases before it is rejected: enough for any real file, while a "billion laughs"
// document (aliases of aliases of lists) is stopped before it exhausts memory.
const expansionBase = 100_000

var (
	utf8BOM    = []byte("\xEF\xBB\xBF")
	errorLine  = lazyregexp.New(`^yaml: line (\d+): (.*)$`)
	utf16BOMLE = []byte("\xFF\xFE")
	utf16BOMBE = []byte("\xFE\xFF")
)

// ParseYAML reads the first document of a YAML file. It returns a nil node, without
// diagnostics, for a file that holds no document.
func ParseYAML(f *source.File) (*Node, source.Diagnostics) {
	if bytes.HasPrefix(f.Src, utf16BOMLE) || bytes.HasPrefix(f.Src, utf16BOMBE) {
		// libyaml would transcode the file, and no offset it reports would match the bytes.
		r := f.Range(0, 0)
		return nil, source.Diagnostics{source.Errorf(&r, "UTF-16 files are not supported: save the file as UTF-8")}
	}
	d := &yamlDecoder{f: f, cur: f.Cursor(), src: f.Src, lines: yamlLines(f.Src), limit: expansionBase + len(f.Src)}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Src, &doc); err != nil {
		return nil, source.Diagnostics{d.syntaxError(err)}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := d.node(doc.Content[0], -1)
	if d.overflow != nil {
		return nil, source.Diagnostics{*d.overflow}
	}
	return root, d.diags
}

// yamlDecoder converts a yaml.Node tree, which knows only where each node starts, into
// Nodes with exact ranges.
type yamlDecoder struct {
	f     *source.File
	cur   *source.Cursor // nodes come in document order: the cursor steps from line to line
	src   []byte
	lines []int // where each line starts, as libyaml counts lines

	anchors map[*yaml.Node]*Node
	sizes   map[*yaml.Node]int // nodes an anchored node expands to, for the alias budget
	count   int                // nodes produced so far, aliases expanded
	limit   int

	overflow *source.Diagnostic
	diags    source.Diagnostics
}

// node converts yn, which starts at yaml's line and column. emptyAt is where an empty
// value sits (just after the colon of its key), or -1 to use the position yaml reports.
func (d *yamlDecoder) node(yn *yaml.Node, emptyAt int) *Node {
	start := d.offset(yn.Line, yn.Column)
	if d.overflow != nil {
		return &Node{Kind: Scalar, Tag: NullTag, Range: d.cur.Range(start, start)}
	}
	before := d.count
	d.count++
	var n *Node
	switch yn.Kind {
	case yaml.MappingNode:
		n = d.mapping(yn, start)
	case yaml.SequenceNode:
		n = d.sequence(yn, start)
	case yaml.AliasNode:
		n = d.alias(yn, start)
	default:
		n = d.scalar(yn, start, emptyAt)
	}
	if yn.Anchor != "" {
		if d.anchors == nil {
			d.anchors, d.sizes = map[*yaml.Node]*Node{}, map[*yaml.Node]int{}
		}
		d.anchors[yn], d.sizes[yn] = n, d.count-before
	}
	return n
}

func (d *yamlDecoder) scalar(yn *yaml.Node, start, emptyAt int) *Node {
	n := &Node{Kind: Scalar, Tag: yn.ShortTag(), Value: yn.Value, Style: styleOf(yn.Style)}
	propsEnd, content := properties(d.src, start)
	end := propsEnd
	switch {
	case n.Style == DoubleQuoted || n.Style == SingleQuoted:
		end = quotedEnd(d.src, content)
	case n.Style == Literal || n.Style == Folded:
		end = blockScalarEnd(d.src, content, yn.Value)
	case yn.Value != "":
		end = countEnd(d.src, content, nonSpace(yn.Value))
	case propsEnd == start && emptyAt >= 0:
		start, end = emptyAt, emptyAt
	}
	n.Range = d.cur.Range(start, end)
	return n
}

func (d *yamlDecoder) mapping(yn *yaml.Node, start int) *Node {
	n := &Node{Kind: Mapping, Tag: yn.ShortTag(), Style: styleOf(yn.Style), Pairs: make([]Pair, 0, len(yn.Content)/2)}
	open := d.cur.PosAt(start)
	end := start
	for i := 0; i+1 < len(yn.Content); i += 2 {
		k := d.node(yn.Content[i], -1)
		v := d.node(yn.Content[i+1], afterColon(d.src, k.Range.End.Byte))
		n.Pairs = append(n.Pairs, Pair{Key: k, Value: v})
		end = v.Range.End.Byte
	}
	n.Range = source.Range{Path: d.f.Path, Start: open, End: d.cur.PosAt(d.collectionEnd(start, end, n.Style))}
	d.diags = append(d.diags, duplicates(n.Pairs)...)
	n.Pairs = merge(n.Pairs)
	return n
}

func (d *yamlDecoder) sequence(yn *yaml.Node, start int) *Node {
	n := &Node{Kind: Sequence, Tag: yn.ShortTag(), Style: styleOf(yn.Style), Items: make([]*Node, 0, len(yn.Content))}
	open := d.cur.PosAt(start)
	end := start
	for _, c := range yn.Content {
		item := d.node(c, -1)
		n.Items = append(n.Items, item)
		end = item.Range.End.Byte
	}
	n.Range = source.Range{Path: d.f.Path, Start: open, End: d.cur.PosAt(d.collectionEnd(start, end, n.Style))}
	return n
}

// alias resolves `*name` to a copy of the anchored node that keeps the alias's own range.
func (d *yamlDecoder) alias(yn *yaml.Node, start int) *Node {
	end := min(start+1+len(yn.Value), len(d.src))
	target := d.anchors[yn.Alias]
	if target == nil { // yaml.v3 rejects unknown and self-containing anchors; stay safe anyway
		return &Node{Kind: Scalar, Tag: NullTag, Range: d.cur.Range(start, end)}
	}
	n := new(Node)
	*n = *target
	n.Range, n.Alias = d.cur.Range(start, end), target
	d.count += d.sizes[yn.Alias]
	if d.count > d.limit {
		d.overflow = &source.Diagnostic{
			Severity: source.Error,
			Summary:  fmt.Sprintf("aliases expand the document to more than %d nodes", d.limit),
			Subject:  &n.Range,
		}
	}
	return n
}

// collectionEnd returns the end of a collection whose last child ends at lastEnd: just
// after the closing bracket of a flow collection, the last child's end for a block one.
func (d *yamlDecoder) collectionEnd(start, lastEnd int, style Style) int {
	_, open := properties(d.src, start)
	if style != Flow || open >= len(d.src) || (d.src[open] != '{' && d.src[open] != '[') {
		return lastEnd // a block collection, or a single-pair mapping inside […]
	}
	closing := byte(']')
	if d.src[open] == '{' {
		closing = '}'
	}
	i := max(lastEnd, open+1)
	for i < len(d.src) {
		i = skipBlank(d.src, i)
		if i >= len(d.src) || d.src[i] != ',' {
			break
		}
		i++
	}
	if i < len(d.src) && d.src[i] == closing {
		return i + 1
	}
	return lastEnd
}

// offset converts yaml's 1-based line and code-point column into a byte offset.
func (d *yamlDecoder) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(d.lines) {
		return len(d.src)
	}
	return d.f.RuneOffset(d.lines[line-1], col-1) // indexed: a long flow line stays linear
}

// syntaxError turns yaml.v3's "yaml: line N: msg" into a diagnostic spanning that line's
// text: yaml.v3 reports no column, so the range starts at the line's first non-space.
func (d *yamlDecoder) syntaxError(err error) source.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	start, end := 0, 0
	if m := errorLine.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
		if line, convErr := strconv.Atoi(m[1]); convErr == nil {
			if parserProblems[msg] {
				line++ // yaml.v3 numbers lines from 0 for parser (not scanner) errors
			}
			start = d.offset(line, 1)
			for start < len(d.src) && d.src[start] == ' ' {
				start++
			}
			end = start
			for end < len(d.src) && d.src[end] != '\n' && d.src[end] != '\r' {
				end++
			}
		}
	}
	if at, size, ok := badCharacter(d.src); ok && byteProblems[msg] {
		// libyaml checks the bytes before it parses and says no line: the offending byte
		// is found here, so that the error is not reported at 1:1.
		start, end = at, at+size
	}
	r := d.f.Range(start, end)
	return source.Diagnostic{Severity: source.Error, Summary: "YAML syntax error", Detail: msg, Subject: &r}
}

// byteProblems are libyaml's reader errors: about the bytes, with no position.
var byteProblems = map[string]bool{
	"invalid leading UTF-8 octet":        true,
	"invalid trailing UTF-8 octet":       true,
	"incomplete UTF-8 octet sequence":    true,
	"invalid length of a UTF-8 sequence": true,
	"control characters are not allowed": true,
	"invalid Unicode character":          true,
}

// badCharacter returns the first character libyaml refuses: an invalid UTF-8 sequence, or
// a code point outside YAML's printable set.
func badCharacter(src []byte) (at, size int, ok bool) {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 || !printable(r) {
			return i, max(n, 1), true
		}
		i += n
	}
	return 0, 0, false
}

// printable is libyaml's test of the characters a YAML stream may hold.
func printable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r == 0x85 ||
		r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// parserProblems are the messages of libyaml's parser errors, whose line yaml.v3 reports
// 0-based while it reports scanner errors 1-based.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlLines returns where each line starts as libyaml counts lines: after "\r\n", "\n", a
// lone "\r", NEL, LS or PS. A leading byte order mark is not counted as a column.
func yamlLines(src []byte) []int {
	lines := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	if bytes.HasPrefix(src, utf8BOM) {
		lines[0] = len(utf8BOM)
	}
	if bytes.IndexByte(src, '\r') < 0 && bytes.IndexByte(src, 0xC2) < 0 && bytes.IndexByte(src, 0xE2) < 0 {
		// No CR, NEL, LS or PS (whose encodings start with C2 and E2): lines end at "\n"
		// only, found a vector at a time rather than a byte at a time.
		return newlineStarts(src, lines)
	}
	return breakStarts(src, lines)
}

// newlineStarts appends to lines where each line after a "\n" starts.
func newlineStarts(src []byte, lines []int) []int {
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return lines
		}
		i += j + 1
		lines = append(lines, i)
	}
}

// breakStarts appends to lines where each line after any of libyaml's line breaks starts.
func breakStarts(src []byte, lines []int) []int {
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
		case src[i] == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		case src[i] == 0xC2 && i+1 < len(src) && src[i+1] == 0x85: // NEL
			i++
		case src[i] == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9): // LS, PS
			i += 2
		default:
			continue
		}
		lines = append(lines, i+1)
	}
	return lines
}

func styleOf(s yaml.Style) Style {
	switch {
	case s&yaml.DoubleQuotedStyle != 0:
		return DoubleQuoted
	case s&yaml.SingleQuotedStyle != 0:
		return SingleQuoted
	case s&yaml.LiteralStyle != 0:
		return Literal
	case s&yaml.FoldedStyle != 0:
		return Folded
	case s&yaml.FlowStyle != 0:
		return Flow
	}
	return Plain
}

// merge applies YAML merge keys (`<<: *defaults`, common in serverless.yml): the entries
// of the merged mappings are added after the mapping's own, unless the mapping sets the
// key itself; in a merged list the first mapping wins.
func merge(pairs []Pair) []Pair {
	if !slices.ContainsFunc(pairs, isMerge) {
		return pairs
	}
	var own, merged []Pair
	for _, p := range pairs {
		if isMerge(p) {
			merged = append(merged, mergeSources(p.Value)...)
		} else {
			own = append(own, p)
		}
	}
	out := own
	for _, p := range merged {
		if p.Key.Kind != Scalar || !slices.ContainsFunc(out, func(q Pair) bool {
			return q.Key.Kind == Scalar && q.Key.Value == p.Key.Value
		}) {
			p.Merged = true
			out = append(out, p)
		}
	}
	return out
}

func isMerge(p Pair) bool {
	return p.Key.Kind == Scalar && p.Key.Tag == mergeTag && (p.Value.Kind == Mapping || p.Value.Kind == Sequence)
}

// mergeSources returns the entries a merge key brings in: a mapping's, or those of each
// mapping of a list.
func mergeSources(n *Node) []Pair {
	if n.Kind == Mapping {
		return n.Pairs
	}
	var out []Pair
	for _, it := range n.Items {
		if it.Kind == Mapping {
			out = append(out, it.Pairs...)
		}
	}
	return out
}
