package document

import (
	"bytes"
	"io"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/iacscan/iacscan/source"
)

// fastJSON builds Nodes from jsontext tokens. It accepts what encoding/json accepts and
// builds the same tree: duplicate names and invalid UTF-8 (each bad byte read as U+FFFD,
// as encoding/json does) are allowed, the nesting bound is the same, and numbers keep
// their text. On any error it gives up, and encoding/json reads the file again for the
// diagnostic (FuzzJSONDecodersAgree holds the two decoders to the same trees).
type fastJSON struct {
	f     *source.File
	cur   *source.Cursor // offsets come in order: the cursor steps from line to line
	dec   *jsontext.Decoder
	base  int // bytes before the decoder's input: a byte order mark
	prev  int // where the previous token ended
	diags source.Diagnostics
	// pairs and items hold the entries of the objects and arrays being read, innermost
	// last: each is copied into a slice of its exact size once its collection is closed,
	// instead of appending to a slice that grows (and is copied) as entries come.
	pairs []Pair
	items []*Node
}

// parseJSONFast reads the JSON value after base with jsontext; ok is false when the file
// is not valid JSON.
func parseJSONFast(f *source.File, base int) (root *Node, diags source.Diagnostics, ok bool) {
	d := &fastJSON{f: f, cur: f.Cursor(), base: base, prev: base,
		dec: jsontext.NewDecoder(bytes.NewBuffer(f.Src[base:]),
			jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))}
	root, ok = d.value(0)
	if !ok {
		return nil, nil, false
	}
	if _, err := d.dec.ReadToken(); err != io.EOF {
		return nil, nil, false // data after the value, or an error
	}
	return root, d.diags, true
}

// token reads the next token and returns it with its start offset.
func (d *fastJSON) token() (jsontext.Token, int, bool) {
	start := nextJSONToken(d.f.Src, d.prev)
	tok, err := d.dec.ReadToken()
	if err != nil {
		return jsontext.Token{}, start, false
	}
	d.prev = d.base + int(d.dec.InputOffset())
	return tok, start, true
}

func (d *fastJSON) value(depth int) (*Node, bool) {
	tok, start, ok := d.token()
	if !ok {
		return nil, false
	}
	switch tok.Kind() {
	case '{':
		if depth >= maxJSONDepth {
			return nil, false
		}
		return d.object(start, depth+1)
	case '[':
		if depth >= maxJSONDepth {
			return nil, false
		}
		return d.array(start, depth+1)
	case '"':
		return d.scalar(StrTag, tok.String(), DoubleQuoted, start), true
	case '0':
		text := string(d.f.Src[start:d.prev]) // as written, as encoding/json's UseNumber keeps it
		tag := IntTag
		if strings.ContainsAny(text, ".eE") {
			tag = FloatTag
		}
		return d.scalar(tag, text, Plain, start), true
	case 't':
		return d.scalar(BoolTag, "true", Plain, start), true
	case 'f':
		return d.scalar(BoolTag, "false", Plain, start), true
	case 'n':
		return d.scalar(NullTag, "null", Plain, start), true
	}
	return nil, false // a closing delimiter where a value belongs: jsontext reports it as an error first
}

func (d *fastJSON) scalar(tag, value string, style Style, start int) *Node {
	return &Node{Kind: Scalar, Tag: tag, Value: value, Style: style, Range: d.cur.Range(start, d.prev)}
}

// end sets the range of a collection n, opened at open, that the last token closed.
func (d *fastJSON) end(n *Node, open source.Pos) {
	n.Range = source.Range{Path: d.f.Path, Start: open, End: d.cur.PosAt(d.prev)}
}

func (d *fastJSON) object(start, depth int) (*Node, bool) {
	n := &Node{Kind: Mapping, Tag: MapTag, Style: Flow}
	open := d.cur.PosAt(start)
	first := len(d.pairs)
	defer func() { d.pairs = d.pairs[:first] }()
	for {
		switch d.dec.PeekKind() {
		case '}':
			if _, _, ok := d.token(); !ok {
				return nil, false
			}
			d.end(n, open)
			if len(d.pairs) > first {
				n.Pairs = slices.Clone(d.pairs[first:])
			}
			d.diags = append(d.diags, duplicates(n.Pairs)...)
			return n, true
		case '"':
		default:
			return nil, false
		}
		tok, keyStart, ok := d.token()
		if !ok {
			return nil, false
		}
		key := d.scalar(StrTag, tok.String(), DoubleQuoted, keyStart)
		val, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		d.pairs = append(d.pairs, Pair{Key: key, Value: val})
	}
}

func (d *fastJSON) array(start, depth int) (*Node, bool) {
	n := &Node{Kind: Sequence, Tag: SeqTag, Style: Flow}
	open := d.cur.PosAt(start)
	first := len(d.items)
	defer func() { d.items = d.items[:first] }()
	for {
		switch d.dec.PeekKind() {
		case ']':
			if _, _, ok := d.token(); !ok {
				return nil, false
			}
			d.end(n, open)
			if len(d.items) > first {
				n.Items = slices.Clone(d.items[first:])
			}
			return n, true
		case 0:
			return nil, false
		}
		item, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		d.items = append(d.items, item)
	}
}
