package scan

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/source"
)

// Discover walks paths (into subdirectories when recursive) and returns the inputs found,
// sorted by path. Directories iacscan
// never scans (.git, .terraform, node_modules) are skipped, and so are files that are no
// input, silently when found in a directory and with a warning when named explicitly.
// File paths are slash-separated and relative to the working directory when inside it.
func Discover(ctx context.Context, paths []string, recursive bool) ([]parsers.Input, source.Diagnostics, error) {
	var (
		inputs []parsers.Input
		diags  source.Diagnostics
		seen   = map[string]bool{}
	)
	add := func(name string, explicit bool) {
		display := displayPath(name)
		if seen[display] {
			return
		}
		seen[display] = true
		src, err := os.ReadFile(name)
		if err != nil {
			diags = append(diags, source.Errorf(nil, "%s: %v", display, err))
			return
		}
		format := detect.Classify(name, src)
		if format == graph.FormatNone {
			if explicit {
				diags = append(diags, source.Diagnostic{Severity: source.Warning, Summary: display + ": not a Terraform, CloudFormation or serverless file; skipped"})
			}
			return
		}
		inputs = append(inputs, parsers.Input{File: source.NewFile(display, src), Format: format})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("scan: %w", err)
		}
		if !info.IsDir() {
			add(p, true)
			continue
		}
		err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				diags = append(diags, source.Errorf(nil, "%s: %v", displayPath(name), err))
				return nil
			}
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			if d.IsDir() {
				if name != p && (!recursive || detect.SkipDir(d.Name())) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && detect.Candidate(d.Name()) {
				add(name, false)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("scan: %w", err)
		}
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].File.Path < inputs[j].File.Path })
	return inputs, diags, nil
}

// displayPath makes a path slash-separated and relative to the working directory when it
// lies inside it, so that reports and SARIF carry repository-relative paths.
func displayPath(name string) string {
	if filepath.IsAbs(name) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, name); err == nil && filepath.IsLocal(rel) {
				name = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(name))
}
