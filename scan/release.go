package scan

import (
	"crypto/sha256"
	"os"
	"path/filepath"

	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// held is what a partitioned scan keeps of an input whose content it released: enough to
// read it again and know it is the content scanned.
type held struct {
	size int
	sum  [sha256.Size]byte
}

// release replaces the content of in by nothing and returns what restore needs.
func release(in *parsers.Input) held {
	h := held{size: len(in.File.Src), sum: sha256.Sum256(in.File.Src)}
	in.File = source.NewFile(in.File.Path, nil)
	return h
}

// restore reads the content of a released input again. Content that changed since it was
// read (or that cannot be read) is scanned as it is now, with a warning: the findings are
// then about the file as it is, which --fix checks again before writing.
func restore(in *parsers.Input, h held) *source.Diagnostic {
	src, err := os.ReadFile(filepath.FromSlash(in.File.Path))
	in.File = source.NewFile(in.File.Path, src)
	if err == nil && len(src) == h.size && sha256.Sum256(src) == h.sum {
		return nil
	}
	at := in.File.Range(0, 0)
	d := source.Diagnostic{Severity: source.Warning, Summary: "file changed during the scan", Subject: &at,
		Detail: "a large scan reads each part of the tree again when it analyses it; this file's content is no longer what was first read, and was scanned as it is now"}
	if err != nil {
		d.Detail = "a large scan reads each part of the tree again when it analyses it; this file could not be read again: " + err.Error()
	}
	return &d
}

// restored returns r's inputs with the content of every released one read again, and a
// warning for each that changed.
func (r *Result) restored() ([]parsers.Input, source.Diagnostics) {
	inputs := make([]parsers.Input, len(r.inputs))
	copy(inputs, r.inputs)
	var diags source.Diagnostics
	for i := range inputs {
		if h, ok := r.released[inputs[i].File.Path]; ok {
			if d := restore(&inputs[i], h); d != nil {
				diags = append(diags, *d)
			}
		}
	}
	return inputs, diags
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
