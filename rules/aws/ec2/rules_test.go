package ec2_test

import (
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
	"github.com/iacscan/iacscan/rules/ruletest"
	"github.com/iacscan/iacscan/source"
)

// archive is the examples archive of a rule.
func archive(r *rules.Rule) string { return filepath.Join("testdata", r.Name+".txtar") }

// archives are r's archives: its examples archive and variants testdata/<name>.<variant>.txtar
// that exercise its fixes in more shapes and styles of file.
func archives(t *testing.T, r *rules.Rule) []string {
	t.Helper()
	variants, err := filepath.Glob(filepath.Join("testdata", r.Name+".*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{archive(r)}, variants...)
}

// graphRules report on resources rather than on permissions, with the kinds they judge.
var graphRules = map[string][]graph.Kind{
	"AWS-EC2-106": {graph.SecurityGroup},
	"AWS-EC2-107": {graph.Instance, graph.LaunchTemplate, graph.LaunchConfiguration, graph.Subnet, graph.EIP, graph.EIPAssociation},
}

// all is both families.
func all() []*rules.Rule { return append(slices.Clone(ec2.Rules), ec2.GraphRules...) }

// TestRules runs the permission rules, default-off rules included, over every archive, so
// that each want section also shows which other rules fire (or, as decision 4 demands, do
// not); a graph rule runs with them over its own archives.
func TestRules(t *testing.T) {
	for _, r := range all() {
		rs := ec2.Rules
		if graphRules[r.ID] != nil {
			rs = append(slices.Clone(ec2.Rules), r)
		}
		for _, path := range archives(t, r) {
			t.Run(filepath.Base(path), func(t *testing.T) { ruletest.Run(t, path, rs...) })
		}
	}
}

// TestFixOracles runs the external checkers over the fix goldens, when installed.
func TestFixOracles(t *testing.T) {
	var paths []string
	for _, r := range all() {
		paths = append(paths, archives(t, r)...)
	}
	goldens := ruletest.Goldens(t, paths...)
	t.Run("terraform fmt", func(t *testing.T) { ruletest.TerraformFmt(t, goldens) })
	t.Run("cfn-lint", func(t *testing.T) { ruletest.CFNLint(t, goldens) })
}

// The catalog's exceptions to "medium, on by default" (RULES.md 3.3 and decision 3).
var (
	wantSeverity = map[string]rules.Severity{
		"AWS-EC2-034": rules.High, "AWS-EC2-105": rules.High,
		"AWS-EC2-064": rules.Low, "AWS-EC2-065": rules.Low,
		"AWS-EC2-074": rules.Critical, "AWS-EC2-075": rules.Critical,
		"AWS-EC2-106": rules.Low, "AWS-EC2-107": rules.Low,
	}
	wantDefaultOff = []string{"AWS-EC2-033", "AWS-EC2-064", "AWS-EC2-065", "AWS-EC2-107"}
)

func TestRegistry(t *testing.T) {
	rs := all()
	if len(rs) != 30 {
		t.Errorf("len(Rules) + len(GraphRules) = %d, want 30", len(rs))
	}
	for i, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			if i > 0 && rs[i-1].ID >= r.ID {
				t.Errorf("%s follows %s: Rules then GraphRules must be in ID order without duplicates", r.ID, rs[i-1].ID)
			}
			checkMeta(t, r)
			checkExamples(t, r)
		})
	}
}

func checkMeta(t *testing.T, r *rules.Rule) {
	t.Helper()
	for field, v := range map[string]string{"Name": r.Name, "Title": r.Title, "Description": r.Description, "Remediation": r.Remediation, "Fix": string(r.Fix)} {
		if v == "" {
			t.Errorf("%s is empty", field)
		}
	}
	want, ok := wantSeverity[r.ID]
	if !ok {
		want = rules.Medium
	}
	if r.Severity != want {
		t.Errorf("Severity = %v, want %v", r.Severity, want)
	}
	if off := slices.Contains(wantDefaultOff, r.ID); r.DefaultOff != off {
		t.Errorf("DefaultOff = %v, want %v", r.DefaultOff, off)
	}
	if !slices.Contains(r.Tags, "security") || !slices.Contains(r.Tags, "ec2") {
		t.Errorf("Tags = %v, want security and ec2 among them", r.Tags)
	}
	if r.Check == nil || len(r.Formats) == 0 {
		t.Error("no check or no formats")
	}
}

// checkExamples demands, for each format the rule claims, a permission the rule reports
// and one it does not, in the rule's archive.
func checkExamples(t *testing.T, r *rules.Rule) {
	t.Helper()
	g := load(t, archive(r))
	findings, diags := rules.Run(g, []*rules.Rule{r})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	positive, negative := map[graph.Format]int{}, map[graph.Format]int{}
	if kinds := graphRules[r.ID]; kinds != nil {
		for _, res := range g.OfKind(kinds...) {
			if slices.ContainsFunc(findings, func(f rules.Finding) bool { return f.Resource == res.ID }) {
				positive[res.Format]++
			} else {
				negative[res.Format]++
			}
		}
	}
	for _, p := range append(ec2.Ingress(g), ec2.Egress(g)...) {
		if graphRules[r.ID] != nil {
			break
		}
		if slices.ContainsFunc(findings, func(f rules.Finding) bool { return within(f.Range, p.Element.Range) }) {
			positive[p.Resource.Format]++
		} else {
			negative[p.Resource.Format]++
		}
	}
	for _, f := range r.Formats {
		if positive[f] == 0 || negative[f] == 0 {
			t.Errorf("%s: %d positive and %d negative examples in %v, want at least one of each", archive(r), positive[f], negative[f], f)
		}
	}
}

func within(inner, outer source.Range) bool {
	return inner.Path == outer.Path && outer.Start.Byte <= inner.Start.Byte && inner.End.Byte <= outer.End.Byte
}

// load parses the input sections of a txtar archive into a graph.
func load(t *testing.T, path string) *graph.Graph {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ruletest.Load(t, ar)
}

// TestArchivesBelongToRules keeps testdata free of archives no rule runs.
func TestArchivesBelongToRules(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var known []string
	for _, r := range all() {
		known = append(known, archives(t, r)...)
	}
	for _, path := range paths {
		if !slices.Contains(known, path) {
			t.Errorf("%s belongs to no rule", path)
		}
	}
}
