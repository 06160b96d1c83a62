package ruletest

import (
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Family is the test of a family of rules whose archives live in testdata/: each rule's
// examples archive testdata/<name>.txtar and its variants testdata/<name>.<variant>.txtar.
// It runs every archive with the whole family (so that each want section also shows what
// the other rules of the family report), demands in each rule's examples archive a
// positive and a negative example in every format the rule claims, keeps testdata free of
// archives no rule runs, and runs the external oracles over the fix goldens.
func Family(t *testing.T, family []*rules.Rule) {
	t.Helper()
	var all []string
	for _, r := range family {
		paths := archives(t, r)
		all = append(all, paths...)
		for _, path := range paths {
			t.Run(filepath.Base(path), func(t *testing.T) { Run(t, path, family...) })
		}
		t.Run(r.ID+" examples", func(t *testing.T) { checkExamples(t, r) })
	}
	t.Run("archives belong to rules", func(t *testing.T) {
		found, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range found {
			if !slices.Contains(all, path) {
				t.Errorf("%s belongs to no rule", path)
			}
		}
	})
	goldens := Goldens(t, all...)
	t.Run("terraform fmt", func(t *testing.T) { TerraformFmt(t, goldens) })
	t.Run("cfn-lint", func(t *testing.T) { CFNLint(t, goldens) })
}

// archives are r's examples archive and its variants.
func archives(t *testing.T, r *rules.Rule) []string {
	t.Helper()
	variants, err := filepath.Glob(filepath.Join("testdata", r.Name+".*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join("testdata", r.Name+".txtar")}, variants...)
}

// checkExamples demands, for each format r claims, a resource r reports and a resource of
// a kind r reports on that it does not report, in r's examples archive.
func checkExamples(t *testing.T, r *rules.Rule) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", r.Name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	g := Load(t, ar)
	findings, diags := rules.Run(g, []*rules.Rule{r})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	reported, kinds := map[graph.ID]bool{}, map[graph.Kind]bool{}
	for _, f := range findings {
		reported[f.Resource], kinds[f.Kind] = true, true
	}
	positive, negative := map[graph.Format]int{}, map[graph.Format]int{}
	for _, res := range g.Resources {
		switch {
		case reported[res.ID]:
			positive[res.Format]++
		case kinds[res.Kind]:
			negative[res.Format]++
		}
	}
	for _, f := range r.Formats {
		if positive[f] == 0 || negative[f] == 0 {
			t.Errorf("%s: %d positive and %d negative examples in %v, want at least one of each", r.Name, positive[f], negative[f], f)
		}
	}
}
