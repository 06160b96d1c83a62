package sarif

import (
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// locator turns source ranges into SARIF locations. The run declares its columns in UTF-16
// code units, the unit GitHub and editors count in, so columns are recomputed from the
// scanned bytes; source.Pos counts code points, which differs after characters outside the
// Basic Multilingual Plane.
type locator struct {
	res   *scan.Result
	files map[string]*source.File // by path, as res.File gave them
}

func newLocator(res *scan.Result) locator {
	return locator{res: res, files: map[string]*source.File{}}
}

// file returns the scanned file at path, or nil, asking res once per path: a large scan
// reads the files it let go of again (scan.Result.File).
func (l locator) file(path string) *source.File {
	f, ok := l.files[path]
	if !ok {
		f = l.res.File(path)
		l.files[path] = f
	}
	return f
}

func (l locator) location(r source.Range) *sarif.Location {
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(artifactLocation(r.Path)).
		WithRegion(l.region(r)))
}

// region returns the full region of r: GitHub needs all four of start and end line and
// column. An end before the start (a range that was never given one) collapses to the
// start, and positions are clamped to 1 so that the log stays valid.
func (l locator) region(r source.Range) *sarif.Region {
	file := l.file(r.Path)
	end := r.End
	if end.Line < r.Start.Line || (end.Line == r.Start.Line && end.Column < r.Start.Column) {
		end = r.Start
	}
	return sarif.NewRegion().
		WithStartLine(max(r.Start.Line, 1)).
		WithStartColumn(utf16Column(file, r.Start)).
		WithEndLine(max(end.Line, 1)).
		WithEndColumn(utf16Column(file, end))
}

// editRegion is the region a fix replaces: the byte span an Edit names and, when the file
// is known, the same span in lines and columns for consumers that read only those.
func (l locator) editRegion(path string, start, end int) *sarif.Region {
	region := sarif.NewRegion()
	if file := l.file(path); file != nil {
		region = l.region(file.Range(start, end))
	}
	return region.WithByteOffset(start).WithByteLength(end - start)
}

// utf16Column is p's 1-based column in UTF-16 code units, counted from the start of its
// line in file. Without the file, or when p's byte offset does not lie on p's line, the
// code-point column is the best available answer.
func utf16Column(file *source.File, p source.Pos) int {
	if file == nil || p.Line < 1 || p.Line > file.LineCount() {
		return max(p.Column, 1)
	}
	start := file.Offset(p.Line, 1)
	if p.Byte < start || p.Byte > file.LineEnd(p.Line) {
		return max(p.Column, 1)
	}
	return file.UTF16Count(start, p.Byte) + 1
}
