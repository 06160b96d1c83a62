// Package baseline records the findings a repository has today, so that a pull request
// fails only on the findings it adds. Findings are recorded by fingerprint (rule, resource
// file and address, attribute path: the identity SARIF uses), never by line, so moving
// code around does not resurface them. File paths are recorded relative to a root (the
// configuration's directory or the repository root, chosen by the caller), so that a
// baseline matches whatever directory the scan runs from. The file is JSON, sorted, and
// carries each finding's rule, file and address for the people who review it.
package baseline

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	root   string         // what recorded paths are relative to; "" for as reported
}

// ErrVersion is returned when a baseline file has a version this iacscan cannot read.
var ErrVersion = errors.New("unsupported baseline version")

// Write records findings as a baseline file, their paths relative to the directory root
// ("" records the paths as reported: relative to the working directory).
func Write(w io.Writer, findings []rules.Finding, root string) error {
	f := File{Version: Version, Findings: make([]Entry, 0, len(findings))}
	for i := range findings {
		if findings[i].Rule == nil {
			continue
		}
		fd := rebase(findings[i], root)
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

// Read loads a baseline file whose paths are relative to the directory root, as Write
// recorded them.
func Read(r io.Reader, root string) (*Baseline, error) {
	var f File
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("baseline: %w %d (want %d)", ErrVersion, f.Version, Version)
	}
	b := &Baseline{counts: make(map[string]int, len(f.Findings)), root: root}
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
		if f.Rule != nil {
			if fp := rebase(f, b.root).Fingerprint(); left[fp] > 0 {
				left[fp]--
				known = append(known, f)
				continue
			}
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

// rebase returns f with its resource's path relative to root: the identity a baseline
// records. Paths outside root, or any path when root is "", stay as reported.
func rebase(f rules.Finding, root string) *rules.Finding {
	if root == "" || f.Rule == nil {
		return &f
	}
	abs := filepath.FromSlash(f.Resource.Path)
	if !filepath.IsAbs(abs) {
		wd, err := os.Getwd()
		if err != nil {
			return &f
		}
		abs = filepath.Join(wd, abs)
	}
	if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
		f.Resource.Path = filepath.ToSlash(rel)
	}
	return &f
}
