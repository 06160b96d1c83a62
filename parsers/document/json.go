package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/source"
)

// maxJSONDepth bounds nesting as yaml.v3 does, so that a hostile file cannot exhaust the
// stack of the recursive decoder.
const maxJSONDepth = 10_000

var (
	errJSONDepth    = fmt.Errorf("nesting deeper than %d levels", maxJSONDepth)
	errJSONTrailing = errors.New("unexpected data after the top-level value")
)

// ParseJSON reads a JSON file (a leading UTF-8 byte order mark is allowed). It uses a JSON
// decoder rather than a YAML parser, which would reject valid escapes such as `\/` and
// accept duplicate keys; duplicate keys are reported as warnings.
//
// A file is read with jsontext, whose tokens cost a fraction of encoding/json's; a file
// it rejects is read again with encoding/json, whose error messages the diagnostics give.
func ParseJSON(f *source.File) (*Node, source.Diagnostics) {
	base := 0
	if bytes.HasPrefix(f.Src, utf8BOM) {
		base = len(utf8BOM)
	}
	if root, diags, ok := parseJSONFast(f, base); ok {
		return root, diags
	}
	return parseJSONStd(f, base)
}

// parseJSONStd reads a JSON file with encoding/json, token by token.
func parseJSONStd(f *source.File, base int) (*Node, source.Diagnostics) {
	d := &jsonDecoder{f: f, dec: json.NewDecoder(bytes.NewReader(f.Src[base:])), base: base, prev: base}
	d.dec.UseNumber()
	root, err := d.value(0)
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, append(d.diags, d.syntaxError(err))
	}
	return root, d.diags
}

// jsonDecoder builds Nodes from encoding/json tokens. The decoder's InputOffset gives where
// each token ends; where the next one starts is found by skipping blanks and one separator.
type jsonDecoder struct {
	f     *source.File
	dec   *json.Decoder
	base  int // bytes before the decoder's input: a byte order mark
	prev  int // where the previous token ended
	diags source.Diagnostics
}

// token reads the next token and returns it with its start offset.
func (d *jsonDecoder) token() (json.Token, int, error) {
	start := d.next()
	tok, err := d.dec.Token()
	if err != nil {
		return nil, start, err
	}
	d.prev = d.base + int(d.dec.InputOffset())
	return tok, start, nil
}

// next returns where the token after d.prev starts.
func (d *jsonDecoder) next() int { return nextJSONToken(d.f.Src, d.prev) }

// nextJSONToken returns where the token after a token ending at prev starts: after blanks
// and one separator.
func nextJSONToken(src []byte, prev int) int {
	i := skipJSONSpace(src, prev)
	if i < len(src) && (src[i] == ',' || src[i] == ':') {
		i = skipJSONSpace(src, i+1)
	}
	return i
}

func skipJSONSpace(src []byte, off int) int {
	for off < len(src) && isSpace(src[off]) {
		off++
	}
	return off
}

func (d *jsonDecoder) value(depth int) (*Node, error) {
	tok, start, err := d.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxJSONDepth {
			d.prev = start // report the error at this bracket
			return nil, errJSONDepth
		}
		if t == '{' {
			return d.object(start, depth+1)
		}
		if t == '[' {
			return d.array(start, depth+1)
		}
	case string:
		return d.scalar(StrTag, t, DoubleQuoted, start), nil
	case json.Number:
		tag := IntTag
		if strings.ContainsAny(string(t), ".eE") {
			tag = FloatTag
		}
		return d.scalar(tag, string(t), Plain, start), nil
	case bool:
		return d.scalar(BoolTag, strconv.FormatBool(t), Plain, start), nil
	case nil:
		return d.scalar(NullTag, "null", Plain, start), nil
	}
	return nil, fmt.Errorf("unexpected %v", tok) // encoding/json already rejects misplaced delimiters
}

func (d *jsonDecoder) scalar(tag, value string, style Style, start int) *Node {
	return &Node{Kind: Scalar, Tag: tag, Value: value, Style: style, Range: d.f.Range(start, d.prev)}
}

func (d *jsonDecoder) object(start, depth int) (*Node, error) {
	n := &Node{Kind: Mapping, Tag: MapTag, Style: Flow}
	for d.dec.More() {
		tok, keyStart, err := d.token()
		if err != nil {
			return nil, err
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("unexpected %v", tok) // encoding/json only returns string keys
		}
		key := d.scalar(StrTag, name, DoubleQuoted, keyStart)
		val, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		n.Pairs = append(n.Pairs, Pair{Key: key, Value: val})
	}
	if _, _, err := d.token(); err != nil { // the closing brace
		return nil, err
	}
	n.Range = d.f.Range(start, d.prev)
	d.diags = append(d.diags, duplicates(n.Pairs)...)
	return n, nil
}

func (d *jsonDecoder) array(start, depth int) (*Node, error) {
	n := &Node{Kind: Sequence, Tag: SeqTag, Style: Flow}
	for d.dec.More() {
		item, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, item)
	}
	if _, _, err := d.token(); err != nil { // the closing bracket
		return nil, err
	}
	n.Range = d.f.Range(start, d.prev)
	return n, nil
}

// end checks that nothing but blanks follows the top-level value.
func (d *jsonDecoder) end() error {
	_, err := d.dec.Token()
	switch {
	case err == io.EOF:
		return nil
	case err == nil:
		return errJSONTrailing
	}
	return err
}

// syntaxError places a decoding error at the token where it occurred: the offsets of
// json.SyntaxError are relative to whichever value the decoder was scanning, so the start
// of the offending token is found from the end of the last good one instead.
func (d *jsonDecoder) syntaxError(err error) source.Diagnostic {
	at := d.next()
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		at, msg = len(d.f.Src), "unexpected end of input"
	}
	r := d.f.Range(at, at)
	return source.Diagnostic{Severity: source.Error, Summary: "JSON syntax error", Detail: msg, Subject: &r}
}
