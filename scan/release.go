package scan

import (
	"crypto/sha256"
	"path/filepath"
	"sync"

	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// held is what a scan keeps of an input whose content it let go: enough to partition the
// scan (partition.go) and to read the input again and know it is the content first read.
type held struct {
	shape
	sum [sha256.Size]byte
}

// release replaces the content of in, of the given shape, by nothing and returns what
// restore needs.
func release(in *parsers.Input, s shape) held {
	h := held{shape: s, sum: sha256.Sum256(in.File.Src)}
	h.size = len(in.File.Src) // the shape is of the content first read, which may have changed since
	in.File = source.NewFile(in.File.Path, nil)
	return h
}

// restore reads the content of a released input again, as discovery read it: a regular
// file within the file-bytes budget maxBytes. Content that changed since it was first read
// is scanned as it is now, with a warning: the findings are then about the file as it
// is, which --fix checks again before writing. A file that can no longer be read is
// scanned as empty, with an error at it, as discovery reports such a file.
func restore(in *parsers.Input, h held, maxBytes int64) *source.Diagnostic {
	src, err := readRegular(filepath.FromSlash(in.File.Path), maxBytes)
	in.File = source.NewFile(in.File.Path, src)
	if err != nil {
		d := fileError(in.File.Path, err)
		d.Detail = "a large scan reads each part of the tree again when it analyses it; this file could not be read again, and was not scanned"
		return &d
	}
	if len(src) == h.size && sha256.Sum256(src) == h.sum {
		return nil
	}
	at := in.File.Range(0, 0)
	return &source.Diagnostic{Severity: source.Warning, Summary: "file changed during the scan", Subject: &at,
		Detail: "a large scan reads each part of the tree again when it analyses it; this file's content is no longer what was first read, and was scanned as it is now"}
}

// restoreAll gives every released input its content again, and returns a diagnostic for
// each that changed or can no longer be read.
func restoreAll(inputs []parsers.Input, released map[string]held, maxBytes int64) source.Diagnostics {
	var diags source.Diagnostics
	for i := range inputs {
		if h, ok := released[inputs[i].File.Path]; ok {
			if d := restore(&inputs[i], h, maxBytes); d != nil {
				diags = append(diags, *d)
			}
			delete(released, inputs[i].File.Path)
		}
	}
	return diags
}

// reread is the file a Result read again last: reports ask for the files of their
// findings in order, each many times.
type reread struct {
	mu   sync.Mutex
	path string
	f    *source.File // nil: not the content scanned
}

// file returns the content of a released input as it was scanned, read again, or nil when
// that is not what the file holds now.
func (c *reread) file(path string, h held, maxBytes int64) *source.File {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path != path {
		in := parsers.Input{File: source.NewFile(path, nil)}
		c.path, c.f = path, nil
		if restore(&in, h, maxBytes) == nil {
			c.f = in.File
		}
	}
	return c.f
}

// referenced returns the files a unit's result points into: reports show excerpts of them,
// and fixes plan edits against them.
func referenced(res *Result) map[string]bool {
	out := map[string]bool{}
	finding := func(f *rules.Finding) {
		out[f.Range.Path], out[f.Resource.Path] = true, true
		for _, r := range f.Related {
			out[r.Range.Path] = true
		}
		for _, s := range f.Trace {
			out[s.Range.Path] = true
		}
		if f.Fix != nil {
			for _, c := range f.Fix.Changes {
				if c.Resource != nil {
					out[c.Resource.ID.Path] = true
				}
			}
			for _, e := range f.Fix.Edits {
				out[e.Path] = true
			}
		}
	}
	for i := range res.Findings {
		finding(&res.Findings[i])
	}
	for i := range res.Suppressed {
		finding(&res.Suppressed[i].Finding)
		if at := res.Suppressed[i].Suppression.Location; at != nil {
			out[at.Path] = true
		}
	}
	for _, u := range res.Unresolved {
		out[u.Range.Path], out[u.Resource.Path] = true, true
		for _, r := range u.Related {
			out[r.Range.Path] = true
		}
	}
	for _, d := range res.Diagnostics {
		if d.Subject != nil {
			out[d.Subject.Path] = true
		}
	}
	return out
}
