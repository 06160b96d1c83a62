package suppress

import (
	"bytes"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// span is a part of a file an ignore can cover as a whole: a top-level HCL block or a
// YAML resource.
type span struct {
	start, end int
	headerLine int
	byRelation bool
}

// Inline returns the ignores written in the comments of f. Terraform files are lexed;
// CloudFormation YAML and serverless.yml files are scanned line by line. JSON has no
// comments (CloudFormation JSON declares ignores in Metadata). resources are the graph's
// resources: those of f are what a YAML comment inside or above covers.
func Inline(f *source.File, format graph.Format, resources []*graph.Resource) []*Ignore {
	if !hasComments(format) || !mayHoldDirective(f.Src) {
		return nil // most files: no need to lex them a second time
	}
	var (
		comments []comment
		spans    []span
	)
	switch format {
	case graph.Terraform:
		var blocks []block
		comments, blocks = hclComments(f)
		for _, b := range blocks {
			spans = append(spans, span{
				start:      b.start,
				end:        b.end,
				headerLine: f.PosAt(b.start).Line,
				byRelation: b.typ != "resource" && b.typ != "data",
			})
		}
	case graph.CloudFormationYAML, graph.Serverless:
		comments = yamlComments(f)
		for _, r := range resources {
			if r.Range.Path == f.Path {
				spans = append(spans, span{start: r.Range.Start.Byte, end: r.Range.End.Byte, headerLine: r.Header.Start.Line})
			}
		}
	default:
		return nil
	}
	return placeAll(f, comments, spans)
}

// hasComments reports whether Inline reads the comments of a format: JSON has none.
func hasComments(format graph.Format) bool {
	switch format {
	case graph.Terraform, graph.CloudFormationYAML, graph.Serverless:
		return true
	}
	return false
}

// mayHoldDirective reports whether src contains a directive prefix anywhere.
func mayHoldDirective(src []byte) bool {
	// Every prefix ends in "ignore:" or "skip=": two searches rule out most files, where
	// one for each prefix took four.
	if !bytes.Contains(src, []byte("ignore:")) && !bytes.Contains(src, []byte("skip=")) {
		return false
	}
	for _, p := range prefixes {
		if bytes.Contains(src, []byte(p.text)) {
			return true
		}
	}
	return false
}

func placeAll(f *source.File, comments []comment, spans []span) []*Ignore {
	for i := range spans {
		// A comment after the end of a block or resource on its last line (`} # ...`,
		// `Open: true # ...`) is still about it.
		if s := &spans[i]; s.end > s.start {
			s.end = max(s.end, f.LineEnd(f.PosAt(s.end-1).Line))
		}
	}
	commentLines := map[int]bool{}
	for _, c := range comments {
		if !c.trailing {
			for n := f.PosAt(c.start).Line; n <= f.PosAt(c.end).Line; n++ {
				commentLines[n] = true
			}
		}
	}
	var out []*Ignore
	for _, c := range comments {
		ds := parseComment(c.text)
		if len(ds) == 0 {
			continue
		}
		scope := place(f, c, spans, commentLines)
		for _, d := range ds {
			at := c.textAt + d.offset
			out = append(out, &Ignore{
				Tool:      d.tool,
				IDs:       d.ids,
				Selector:  d.selector,
				Expires:   d.expires,
				Reason:    d.reason,
				At:        f.Range(at, at+d.length),
				Problem:   d.problem,
				Workspace: d.ws,
				Scope:     scope,
			})
		}
	}
	return out
}

// place decides what a comment covers: the block it is inside; else the line it trails,
// or the first line below it that is not a comment; that line's block if one starts
// there, else the line alone.
func place(f *source.File, c comment, spans []span, commentLines map[int]bool) Scope {
	if s := innermost(spans, c.start); s != nil {
		return blockScope(f, s)
	}
	line := f.PosAt(c.start).Line
	if !c.trailing {
		line = f.PosAt(c.end).Line + 1
		for commentLines[line] {
			line++
		}
	}
	for i := range spans {
		if spans[i].headerLine == line {
			return blockScope(f, &spans[i])
		}
	}
	return Scope{Path: f.Path, Line: line}
}

func innermost(spans []span, off int) *span {
	var best *span
	for i := range spans {
		s := &spans[i]
		if s.start <= off && off < s.end && (best == nil || s.end-s.start < best.end-best.start) {
			best = s
		}
	}
	return best
}

func blockScope(f *source.File, s *span) Scope {
	return Scope{Path: f.Path, Block: f.Range(s.start, s.end), ByRelation: s.byRelation}
}
