// Package baseline records the findings a repository has today, so that a pull request
// fails only on the findings it adds. Findings are recorded by fingerprint (rule, resource
// file and address, attribute path: the identity SARIF uses), never by line, so moving
// code around does not resurface them. The file is JSON, sorted, and carries each
// finding's rule, file and address for the people who review it.
package baseline

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/iacscan/iacscan/rules"
)

// Version is the baseline file format's version.
const Version = 1

// File is the baseline file.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one recorded finding. Only Fingerprint is matched; the rest is for people.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Address     string `json:"address"`
	Path        string `json:"path,omitempty"`
}

// Baseline is a loaded baseline file.
type Baseline struct {
	counts map[string]int // fingerprint → how many findings with it are recorded
}

// ErrVersion is returned when a baseline file has a version this iacscan cannot read.
var ErrVersion = errors.New("unsupported baseline version")

// Write records findings as a baseline file.
func Write(w io.Writer, findings []rules.Finding) error {
	f := File{Version: Version, Findings: make([]Entry, 0, len(findings))}
	for i := range findings {
		fd := &findings[i]
		if fd.Rule == nil {
			continue
		}
		f.Findings = append(f.Findings, Entry{
			Fingerprint: fd.Fingerprint(),
			Rule:        fd.Rule.ID,
			File:        fd.Resource.Path,
			Address:     fd.Resource.Address,
			Path:        fd.Path,
		})
	}
	// Sorted by what people read, so that a regenerated baseline diffs cleanly.
	slices.SortFunc(f.Findings, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Address, b.Address),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// Read loads a baseline file.
func Read(r io.Reader) (*Baseline, error) {
	var f File
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("baseline: %w %d (want %d)", ErrVersion, f.Version, Version)
	}
	b := &Baseline{counts: make(map[string]int, len(f.Findings))}
	for _, e := range f.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("baseline: an entry for %s %s has no fingerprint", e.Rule, e.Address)
		}
		b.counts[e.Fingerprint]++
	}
	return b, nil
}

// Filter splits findings into the new ones and those the baseline records. Each recorded
// entry absorbs one finding, so a second finding with the same identity is new.
func (b *Baseline) Filter(findings []rules.Finding) (fresh, known []rules.Finding) {
	left := make(map[string]int, len(b.counts))
	for fp, n := range b.counts {
		left[fp] = n
	}
	for _, f := range findings {
		if f.Rule != nil && left[f.Fingerprint()] > 0 {
			left[f.Fingerprint()]--
			known = append(known, f)
			continue
		}
		fresh = append(fresh, f)
	}
	return fresh, known
}

// Len is the number of recorded findings.
func (b *Baseline) Len() int {
	n := 0
	for _, c := range b.counts {
		n += c
	}
	return n
}
