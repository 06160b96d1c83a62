package sarif

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// The end-to-end tests run the real iacscan binary over the repository's examples/, so
// that the parsers, the rules and the CLI's --format handling are part of what is checked.

// built is the binary buildIacscan built once for the package, or the error that stopped it.
var built struct {
	once sync.Once
	bin  string
	err  error
}

// buildIacscan builds cmd/iacscan, once per test binary, and returns it. The build is
// cached by go, so it costs a link; the binary is removed when the tests end (TestMain).
func buildIacscan(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "iacscan-sarif-e2e-")
		if err != nil {
			built.err = err
			return
		}
		built.bin = filepath.Join(dir, "iacscan")
		cmd := exec.Command("go", "build", "-o", built.bin, "./cmd/iacscan")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/iacscan: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.bin != "" {
		os.RemoveAll(filepath.Dir(built.bin))
	}
	os.Exit(code)
}

// scanSARIF runs `iacscan -f sarif PATH` in dir and returns the log. Exit code 1 (failing
// findings) is expected; 2 is a run error.
func scanSARIF(t *testing.T, bin, dir, path string) ([]byte, *sarif.Report) {
	t.Helper()
	cmd := exec.Command(bin, "scan", "-q", "-f", "sarif", path)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("iacscan -f sarif %s: %v\n%s", path, err, stderr.Bytes())
	}
	log, err := sarif.FromBytes(stdout.Bytes())
	if err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.Bytes())
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want exactly 1", len(log.Runs))
	}
	return stdout.Bytes(), log
}

func TestExamplesSARIF(t *testing.T) {
	bin := buildIacscan(t)
	out, log := scanSARIF(t, bin, "..", "examples")
	validateSchema(t, out)
	run := log.Runs[0]
	if len(run.Results) == 0 {
		t.Fatal("examples/ produced no results: every format there has findings")
	}
	rules := run.Tool.Driver.Rules
	for i, r := range run.Results {
		pl := r.Locations[0].PhysicalLocation
		uri, region := deref(pl.ArtifactLocation.URI), pl.Region
		fp, _ := r.PartialFingerprints[FingerprintKey].(string)
		switch {
		case !strings.HasPrefix(uri, "examples/") || deref(pl.ArtifactLocation.URIBaseId) != SourceRoot:
			t.Errorf("result %d: uri %q base %q, want a repository-relative examples/ path under %s", i, uri, deref(pl.ArtifactLocation.URIBaseId), SourceRoot)
		case region.StartLine == nil || region.StartColumn == nil || region.EndLine == nil || region.EndColumn == nil:
			t.Errorf("result %d (%s): region %+v lacks a start or end", i, uri, region)
		case r.RuleIndex == nil || int(*r.RuleIndex) >= len(rules) || rules[*r.RuleIndex].ID != deref(r.RuleID):
			t.Errorf("result %d: ruleIndex %v does not point at rule %s", i, r.RuleIndex, deref(r.RuleID))
		case len(fp) != 32:
			t.Errorf("result %d: partialFingerprints = %v, want a 32-digit %s", i, r.PartialFingerprints, FingerprintKey)
		}
	}
	checkSeverities(t, run)
}

// checkSeverities checks that code scanning shows each result with iacscan's severity:
// the descriptor whose id equals the result's ruleId (the one GitHub reads
// security-severity from) has the result's level.
func checkSeverities(t *testing.T, run *sarif.Run) {
	t.Helper()
	byID := map[string]*sarif.ReportingDescriptor{}
	for _, d := range run.Tool.Driver.Rules {
		byID[d.ID] = d
	}
	for i, r := range run.Results {
		d := byID[deref(r.RuleID)]
		if d == nil || d.DefaultConfiguration == nil || d.DefaultConfiguration.Level != deref(r.Level) {
			t.Errorf("result %d (%s, level %s): the descriptor of its ruleId is %+v, want one with its level", i, deref(r.RuleID), deref(r.Level), d)
		}
	}
}

// TestSeverityOverrideInCodeScanning overrides a rule's severity in .iacscan.yaml: the
// results of that rule carry the override's security-severity in code scanning.
func TestSeverityOverrideInCodeScanning(t *testing.T) {
	bin := buildIacscan(t)
	dir := copyExamples(t)
	if err := os.WriteFile(filepath.Join(dir, ".iacscan.yaml"), []byte("severity:\n  AWS-EC2-002: critical\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, log := scanSARIF(t, bin, dir, ".")
	run := log.Runs[0]
	checkSeverities(t, run)
	n := 0
	for _, r := range run.Results {
		if deref(r.RuleID) != "AWS-EC2-002" {
			continue
		}
		n++
		d := run.Tool.Driver.Rules[*r.RuleIndex]
		if d.ID != "AWS-EC2-002" || d.Properties["security-severity"] != "9.5" {
			t.Errorf("AWS-EC2-002 result at %s: descriptor %s with security-severity %v, want 9.5 (critical)",
				deref(r.Locations[0].PhysicalLocation.ArtifactLocation.URI), d.ID, d.Properties["security-severity"])
		}
	}
	if n == 0 {
		t.Error("examples/ has no AWS-EC2-002 result at the overridden severity")
	}
}

// TestFingerprintsSurviveInsertedLines inserts blank lines at the top of each scanned file
// with findings in turn: every result keeps its fingerprint, the results in that file move
// down by as many lines, and the others stay where they were.
func TestFingerprintsSurviveInsertedLines(t *testing.T) {
	bin := buildIacscan(t)
	const inserted = 3
	base := copyExamples(t)
	_, log := scanSARIF(t, bin, base, ".")
	before := resultsByFingerprint(t, log)
	files := map[string]bool{}
	for _, r := range before {
		files[r.uri] = true
	}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		t.Run(file, func(t *testing.T) {
			dir := copyExamples(t)
			path := filepath.Join(dir, filepath.FromSlash(file))
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append([]byte(strings.Repeat("\n", inserted)), src...), 0o644); err != nil {
				t.Fatal(err)
			}
			_, log := scanSARIF(t, bin, dir, ".")
			after := resultsByFingerprint(t, log)
			if len(after) != len(before) {
				t.Fatalf("got %d results after the edit, want %d", len(after), len(before))
			}
			for fp, want := range before {
				if want.uri == file {
					want.line += inserted
				}
				if got, ok := after[fp]; !ok || got != want {
					t.Errorf("fingerprint %s: got %+v (found %v), want %+v", fp, got, ok, want)
				}
			}
		})
	}
}

type located struct {
	rule, uri string
	line      int
}

func resultsByFingerprint(t *testing.T, log *sarif.Report) map[string]located {
	t.Helper()
	out := map[string]located{}
	for _, r := range log.Runs[0].Results {
		fp, _ := r.PartialFingerprints[FingerprintKey].(string)
		pl := r.Locations[0].PhysicalLocation
		l := located{rule: deref(r.RuleID), uri: deref(pl.ArtifactLocation.URI), line: deref(pl.Region.StartLine)}
		if prev, dup := out[fp]; dup || fp == "" {
			t.Fatalf("fingerprint %q of %+v is not unique (also %+v)", fp, l, prev)
		}
		out[fp] = l
	}
	return out
}

// copyExamples copies the repository's examples/ into a new temporary directory.
func copyExamples(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples"))); err != nil {
		t.Fatal(err)
	}
	return dir
}
