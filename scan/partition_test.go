package scan

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/source"
)

// forcePartition makes every scan of the test of more than one unit partitioned.
func forcePartition(t *testing.T, bytes int64) {
	t.Helper()
	saved := partitionBytes
	partitionBytes = bytes
	t.Cleanup(func() { partitionBytes = saved })
}

const fixture = "testdata/partition"

// The units of the fixture: the two callers of modules/web with it, every other Terraform
// directory alone, the CloudFormation template and the serverless service together.
func TestPartitionUnits(t *testing.T) {
	forcePartition(t, 1)
	inputs, _, err := DiscoverWithin(t.Context(), []string{fixture}, true, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	units, _ := partition(inputs, nil, builtin.All(), Options{})
	for _, u := range units {
		var dirs []string
		for _, in := range u {
			if d := strings.TrimPrefix(path.Dir(in.File.Path), fixture+"/"); !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
		got = append(got, strings.Join(dirs, "+"))
	}
	want := []string{"account", "app+modules/web+other", "cfn+sls", "standalone"}
	if !slices.Equal(got, want) {
		t.Errorf("units = %q, want %q", got, want)
	}
}

// Scans that must see everything at once are not partitioned, however large.
func TestPartitionRefused(t *testing.T) {
	forcePartition(t, 1)
	inputs, _, err := DiscoverWithin(t.Context(), []string{fixture}, true, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	baseline, err := rules.ApplyProfile(builtin.All(), "baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		inputs   []parsers.Input
		selected []*rules.Rule
		opts     Options
	}{
		{"pre-commit", inputs, builtin.All(), Options{ReportOnly: true}},
		{"account checks", inputs, baseline, Options{}},
		{"a custom rule", inputs, append(builtin.All(), &rules.Rule{Meta: rules.Meta{ID: "ACME-001", Tags: []string{"custom"}}, Check: func(*rules.Context) {}}), Options{}},
		{"a plan", append(slices.Clone(inputs), parsers.Input{File: source.NewFile("plan.json", []byte("{}")), Format: graph.TerraformPlan}), builtin.All(), Options{}},
		{"one input", inputs[:1], builtin.All(), Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if units, _ := partition(tc.inputs, nil, tc.selected, tc.opts); units != nil {
				t.Errorf("partitioned into %d units", len(units))
			}
		})
	}
	forcePartition(t, 1<<40)
	if units, _ := partition(inputs, nil, builtin.All(), Options{}); units != nil {
		t.Errorf("a small scan is partitioned into %d units", len(units))
	}
}

// The partitioned scan reports exactly what the scan of one graph reports: findings with
// their planned fixes, suppressed findings, unresolved checks, diagnostics and statistics,
// and --fix writes the same files, whether the scan kept its fix changes for Fix (Fixing)
// or let go of them (then Fix scans again). The fixture's account-level public access
// block, in a unit of its own, changes what is reported about the buckets of the others.
func TestPartitionedScanIsTheSame(t *testing.T) {
	for _, profile := range []string{"", "baseline"} {
		for _, fixing := range []bool{false, true} {
			t.Run(fmt.Sprintf("profile %s fixing %v", profile, fixing), func(t *testing.T) {
				selected, err := rules.ApplyProfile(builtin.All(), profile)
				if err != nil {
					t.Fatal(err)
				}
				scan := func(bytes int64) *Result {
					forcePartition(t, bytes)
					res, err := Run(t.Context(), []string{fixture}, Options{Rules: selected, Fixing: fixing})
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				whole, parts := scan(1<<40), scan(1)
				// The baseline profile's account checks see the whole scan: it is not partitioned.
				if want := !fixing && profile == ""; parts.compact != want {
					t.Errorf("the scan let go of its fix changes: %v, want %v", parts.compact, want)
				}
				whole.PlanFixes() // as the reports that show fixes do
				parts.PlanFixes()
				if got := describe(parts); got != describe(whole) {
					t.Errorf("partitioned:\n%s\nwhole:\n%s", got, describe(whole))
				}
				if !strings.Contains(describe(whole), "the account-level block does not turn on") {
					t.Error("the fixture's account-level block does not reach the other units' buckets")
				}
				checkSameFix(t, whole, parts)
			})
		}
	}
}

// With NoFixEdits (text and GitHub reports only), a partitioned scan reports what the
// scan of one graph reports before fixes are planned: no edits, fix modes as the rules
// gave them; and Fix, which scans again, still fixes the same files.
func TestPartitionedScanWithoutFixEdits(t *testing.T) {
	scan := func(bytes int64) *Result {
		forcePartition(t, bytes)
		res, err := Run(t.Context(), []string{fixture}, Options{Rules: builtin.All(), NoFixEdits: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	whole, parts := scan(1<<40), scan(1)
	if !parts.compact {
		t.Fatal("the fixture's scan was not partitioned")
	}
	if got, want := describe(parts), describe(whole); got != want {
		t.Errorf("partitioned:\n%s\nwhole:\n%s", got, want)
	}
	for _, f := range parts.Findings {
		if f.Fix != nil && len(f.Fix.Edits) > 0 {
			t.Errorf("%s at %v: edits planned though no report shows them", f.Rule.ID, f.Range)
		}
	}
	checkSameFix(t, whole, parts)
}

// checkSameFix runs Fix on the scan of one graph and on the partitioned scan, which must
// fix the same files the same way and report the same after.
func checkSameFix(t *testing.T, whole, parts *Result) {
	t.Helper()
	fixedWhole, err := Fix(t.Context(), whole)
	if err != nil {
		t.Fatal(err)
	}
	fixedParts, err := Fix(t.Context(), parts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describeFixed(fixedParts), describeFixed(fixedWhole); got != want {
		t.Errorf("partitioned --fix:\n%s\nwhole:\n%s", got, want)
	}
	if len(fixedWhole.Files) == 0 {
		t.Error("the fixture has no fix to compare")
	}
}

// describe renders what a report shows of res. Diagnostics are sorted: the partitioned
// scan gives them unit by unit.
func describe(res *Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "finding %s %s %s %v %q %v %v\n", f.Rule.ID, f.Severity, f.Resource, f.Range, f.Message, f.Related, f.Fix != nil)
		if f.Fix != nil {
			fmt.Fprintf(&b, "  fix %s %q %v\n", f.Fix.Mode, f.Fix.Description, f.Fix.Edits)
		}
		if file := res.File(f.Range.Path); file != nil { // what reports show of it
			fmt.Fprintf(&b, "  at %q\n", file.Src[f.Range.Start.Byte:f.Range.End.Byte])
		} else {
			fmt.Fprintf(&b, "  no file\n")
		}
	}
	for _, s := range res.Suppressed {
		fmt.Fprintf(&b, "suppressed %s %s %v %q %q\n", s.Rule.ID, s.Resource, s.Range, s.Message, s.Suppression.Reason)
	}
	for _, u := range res.Unresolved {
		fmt.Fprintf(&b, "unresolved %s %s %v %q\n", u.Rule.ID, u.Resource, u.Range, u.Reason)
	}
	var diags []string
	for _, d := range res.Diagnostics {
		diags = append(diags, "diagnostic "+d.Error())
	}
	slices.Sort(diags)
	b.WriteString(strings.Join(diags, "\n"))
	stats := res.Stats
	stats.Duration = 0
	fmt.Fprintf(&b, "\nstats %+v\n", stats)
	for _, f := range res.Files {
		if res.File(f.Path) != f {
			fmt.Fprintf(&b, "file %s twice\n", f.Path)
		}
	}
	return b.String()
}

func describeFixed(x *Fixed) string {
	var b strings.Builder
	for _, f := range x.Files {
		fmt.Fprintf(&b, "--- %s\n%s\n", f.Path, f.After)
	}
	for _, d := range x.Dropped {
		fmt.Fprintf(&b, "dropped %s\n", d)
	}
	fmt.Fprintf(&b, "passes %d\n%s", x.Passes, describe(x.Result))
	return b.String()
}

// A released input is read again as it was; one that changed meanwhile is scanned as it
// is now, with a warning at the file.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	name := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	writeFiles(t, dir, map[string]string{"main.tf": "resource \"aws_s3_bucket\" \"a\" {}\n"})
	for _, tc := range []struct {
		name, now string
		warn      bool
	}{
		{"unchanged", "resource \"aws_s3_bucket\" \"a\" {}\n", false},
		{"changed", "resource \"aws_s3_bucket\" \"b\" {}\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := parsers.Input{File: source.NewFile(name, []byte("resource \"aws_s3_bucket\" \"a\" {}\n")), Format: graph.Terraform}
			h := release(&in, shapeOf(in))
			if len(in.File.Src) != 0 {
				t.Fatalf("released content: %q", in.File.Src)
			}
			writeFiles(t, dir, map[string]string{"main.tf": tc.now})
			d := restore(&in, h, 1<<20)
			if string(in.File.Src) != tc.now {
				t.Errorf("restored %q, want %q", in.File.Src, tc.now)
			}
			if (d != nil) != tc.warn || d != nil && (d.Severity != source.Warning || d.Subject.Path != name) {
				t.Errorf("diagnostic = %v, want one: %v", d, tc.warn)
			}
		})
	}
}
