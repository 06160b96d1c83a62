// Package cases reads the test cases of rules: txtar archives whose sections are input
// files and the expected findings, fixes and unresolved checks, in one line each. The
// built-in rules' tests (rules/ruletest) and `iacscan rules test` for a team's own rules
// (rules/custom) share it.
//
// A section holds bytes a file may lack, so flags after a '#' in an input's name say how
// to read it: "main.tf#crlf" has CRLF line endings where the section has "\n",
// "main.tf#noeol" has no final newline, "main.tf#crlf,noeol" both.
package cases

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// The names of the expected sections; fix goldens are named after their input plus
// FixedSuffix.
const (
	WantSection       = "want"
	FixesSection      = "fixes"
	UnresolvedSection = "unresolved"
	FixedSuffix       = ".fixed"
)

// IsExpected reports whether a section holds what is expected rather than an input.
func IsExpected(name string) bool {
	return name == WantSection || name == FixesSection || name == UnresolvedSection || strings.HasSuffix(name, FixedSuffix)
}

// Inputs returns the archive's input sections as parser inputs, decoded as their flags say.
func Inputs(ar *txtar.Archive) ([]parsers.Input, error) {
	var inputs []parsers.Input
	for _, f := range ar.Files {
		if IsExpected(f.Name) {
			continue
		}
		path, flags := SplitName(f.Name)
		data := Decode(f.Data, flags)
		format := detect.Classify(path, data)
		if format == graph.FormatNone {
			return nil, fmt.Errorf("archive section %q is not an input iacscan reads", f.Name)
		}
		inputs = append(inputs, parsers.Input{File: source.NewFile(path, data), Format: format})
	}
	return inputs, nil
}

// Format renders findings one per line as "path:line:col: ID message".
func Format(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s: %s %s\n", Position(f), f.Rule.ID, f.Message)
	}
	return b.String()
}

// FormatFixes renders the fixes of findings one per line as
// "path:line:col: ID mode: description".
func FormatFixes(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Fix != nil {
			fmt.Fprintf(&b, "%s: %s %s: %s\n", Position(f), f.Rule.ID, f.Fix.Mode, f.Fix.Description)
		}
	}
	return b.String()
}

// FormatUnresolved renders unresolved checks one per line as "path:line:col: ID reason".
func FormatUnresolved(us []rules.Unresolved) string {
	var b strings.Builder
	for _, u := range us {
		fmt.Fprintf(&b, "%s:%d:%d: %s %s\n", u.Range.Path, u.Range.Start.Line, u.Range.Start.Column, u.Rule.ID, u.Reason)
	}
	return b.String()
}

func Position(f rules.Finding) string {
	return fmt.Sprintf("%s:%d:%d", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column)
}

// SplitName splits an input section's name into its path and flags.
func SplitName(name string) (path string, flags []string) {
	path, list, found := strings.Cut(name, "#")
	if found {
		flags = strings.Split(list, ",")
	}
	return path, flags
}

// Decode turns a section's data into the file's bytes, as flags say.
func Decode(data []byte, flags []string) []byte {
	if slices.Contains(flags, "crlf") {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if slices.Contains(flags, "noeol") {
		eol := "\n"
		if slices.Contains(flags, "crlf") {
			eol = "\r\n"
		}
		data = bytes.TrimSuffix(data, []byte(eol))
	}
	return data
}

// Encode turns a file's bytes into section data, the inverse of Decode, and reports
// whether Decode gives the bytes back: a CRLF file with a bare "\n" has no encoding.
func Encode(src []byte, flags []string) ([]byte, bool) {
	data := src
	if slices.Contains(flags, "crlf") {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	if slices.Contains(flags, "noeol") {
		data = append(slices.Clip(data), '\n')
	}
	return data, bytes.Equal(Decode(data, flags), src)
}

// LineDiff shows the lines of want and got that differ, in order: "-" for want's, "+" for
// got's, each with its line number and quoted so that a stray "\r" or trailing space shows.
// The line matching is go-udiff's (gopls' diff), the same as --diff's.
func LineDiff(want, got string) string {
	d, err := udiff.ToUnifiedDiff("want", "got", want, udiff.Lines(want, got), 0)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	shift := 0 // got's line number minus want's, after the hunks so far
	for _, h := range d.Hunks {
		w, g := h.FromLine, h.FromLine+shift
		for _, l := range h.Lines {
			switch l.Kind {
			case udiff.Delete:
				fmt.Fprintf(&b, "%d: - %q\n", w, l.Content)
				w++
			case udiff.Insert:
				fmt.Fprintf(&b, "%d: + %q\n", g, l.Content)
				g++
			default:
				w, g = w+1, g+1
			}
		}
		shift = g - w
	}
	return b.String()
}
