package builtin

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/iacscan/iacscan/rules"
)

var update = flag.Bool("update", false, "regenerate docs/rules")

var idPattern = regexp.MustCompile(`^AWS-[A-Z0-9]+-\d{3}$`)

// TestRegistry checks the invariants every rule must keep: a stable, well-formed, unique ID
// and complete metadata.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			if !idPattern.MatchString(r.ID) {
				t.Errorf("ID %q does not follow AWS-<SERVICE>-<NNN>", r.ID)
			}
			if seen[r.ID] || seen[r.Name] {
				t.Errorf("duplicate ID or name")
			}
			seen[r.ID], seen[r.Name] = true, true
			for field, v := range map[string]string{"Name": r.Name, "Title": r.Title, "Description": r.Description, "Remediation": r.Remediation} {
				if v == "" {
					t.Errorf("empty %s", field)
				}
			}
			if r.Severity < rules.Low || r.Severity > rules.Critical {
				t.Errorf("severity %v", r.Severity)
			}
			if len(r.Formats) == 0 || r.Check == nil || r.Fix == "" {
				t.Errorf("missing formats, check or fix mode")
			}
			if !contains(r.Tags, "security") {
				t.Errorf("tags %v lack \"security\"", r.Tags)
			}
		})
	}
}

// TestDocsCurrent keeps docs/rules/<ID>.md equal to what rules.Doc renders; -update
// regenerates the pages and removes pages of rules that no longer exist.
func TestDocsCurrent(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "rules")
	want := map[string]string{}
	for _, r := range All() {
		want[r.ID+".md"] = rules.Doc(&r.Meta)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "AWS-*.md"))
		for _, p := range old {
			if _, ok := want[filepath.Base(p)]; !ok {
				os.Remove(p)
			}
		}
		for name, content := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != content {
			t.Errorf("docs/rules/%s is missing or stale: run `go test ./rules/builtin -update`", name)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "AWS-*.md"))
	for _, p := range pages {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s documents no rule", filepath.Base(p))
		}
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
