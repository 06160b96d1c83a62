package scan

import "sync/atomic"

// Progress counts a running scan's work for a progress display, atomically, so that the
// display may read it from another goroutine while Run runs. The scan only counts: how
// and whether to show it is the caller's business.
type Progress struct {
	// Found counts the inputs discovery found, Parsed those parsed, Resources the
	// resources parsed from them.
	Found, Parsed, Resources atomic.Int64
}

// parsed is the parsers' progress hook counting into p, or nil when p is.
func (p *Progress) parsed() func(files, resources int) {
	if p == nil {
		return nil
	}
	return func(files, resources int) {
		p.Parsed.Add(int64(files))
		p.Resources.Add(int64(resources))
	}
}
