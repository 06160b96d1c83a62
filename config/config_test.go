package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/rules/suppress"
)

// catalog is a small rule set: a parametrised rule, a default-off rule and a plain one.
func catalog() []*rules.Rule {
	return []*rules.Rule{
		{Meta: rules.Meta{ID: "AWS-EC2-002", Name: "sg-open-ssh", Severity: rules.Critical, Aliases: []string{"EC2-002", "CKV_AWS_24"}}},
		{Meta: rules.Meta{ID: "AWS-EC2-033", Severity: rules.Medium, DefaultOff: true}},
		{Meta: rules.Meta{ID: "AWS-EC2-034", Severity: rules.High, Params: []rules.Param{{Name: "allowed-ports", Value: []int{80, 443}}}}},
		{Meta: rules.Meta{ID: "AWS-S3-001", Severity: rules.Critical}},
	}
}

func TestParse(t *testing.T) {
	src := `# team defaults
rules:
  enable: [AWS-EC2-033]
  disable: [CKV_AWS_24]
  AWS-EC2-034:
    allowed-ports: [80, 443, 8443]
severity:
  AWS-EC2-*: medium
  AWS-EC2-034: low
fail-on: high
show-severities: [high, critical]
gitignore: false
profile: baseline
exclude-paths: ["vendor/**", modules/legacy]
exclude-tags:
  CASB-Audit: "No"
  iacscan: skip
fix:
  disable: [AWS-S3-*]
budgets:
  file-bytes: 20000000
  values: 5000
  total-instances: 100
`
	cfg, err := Parse("repo/.iacscan.yaml", []byte(src), catalog())
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path: "repo/.iacscan.yaml", Dir: "repo",
		Enable: []string{"AWS-EC2-033"}, Disable: []string{"CKV_AWS_24"},
		Params:       map[string]map[string]any{"AWS-EC2-034": {"allowed-ports": []any{int64(80), int64(443), int64(8443)}}},
		Severity:     []SeverityOverride{{"AWS-EC2-*", rules.Medium}, {"AWS-EC2-034", rules.Low}},
		FailOn:       rules.High,
		Severities:   []rules.Severity{rules.Critical, rules.High},
		Gitignore:    new(false),
		Profile:      "baseline",
		ExcludePaths: []string{"vendor/**", "modules/legacy"},
		ExcludeTags:  []suppress.Tag{{Key: "CASB-Audit", Value: "No"}, {Key: "iacscan", Value: "skip"}},
		FixDisable:   []string{"AWS-S3-*"},
		Budgets:      budget.Limits{FileBytes: 20_000_000, Values: 5000, TotalInstances: 100},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("Parse =\n%#v\nwant\n%#v", cfg, want)
	}

	enable, disable := cfg.Selection(catalog())
	if got := strings.Join(enable, ","); got != "AWS-EC2-002,AWS-EC2-034,AWS-S3-001,AWS-EC2-033" {
		t.Errorf("enable = %s: want the default rules plus AWS-EC2-033", got)
	}
	if !reflect.DeepEqual(disable, []string{"CKV_AWS_24"}) {
		t.Errorf("disable = %v", disable)
	}
}

// TestSelectionConfiguredOff: setting a default-off rule's parameters turns it on.
func TestSelectionConfiguredOff(t *testing.T) {
	cat := append(catalog(), &rules.Rule{Meta: rules.Meta{ID: "AWS-GEN-101", DefaultOff: true, Params: []rules.Param{{Name: "allowed-regions", Value: []string{}}}}})
	cfg, err := Parse(".iacscan.yaml", []byte("rules:\n  AWS-GEN-101:\n    allowed-regions: [eu-west-1]\n"), cat)
	if err != nil {
		t.Fatal(err)
	}
	enable, _ := cfg.Selection(cat)
	if got := strings.Join(enable, ","); got != "AWS-EC2-002,AWS-EC2-034,AWS-S3-001,AWS-GEN-101" {
		t.Errorf("enable = %s: want the default rules plus AWS-GEN-101", got)
	}
}

func TestCatalog(t *testing.T) {
	src := "rules: {AWS-EC2-034: {allowed-ports: [22]}}\nseverity: {AWS-EC2-034: low, 'AWS-EC2-*': medium, EC2-002: high}\n"
	cat := catalog()
	cfg, err := Parse(".iacscan.yaml", []byte(src), cat)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.Catalog(cat)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id     string
		want   rules.Severity
		params []rules.Param
	}{
		{"AWS-EC2-002", rules.High, nil},   // the alias is exact: it beats the later glob
		{"AWS-EC2-033", rules.Medium, nil}, // the glob
		{"AWS-EC2-034", rules.Low, []rules.Param{{Name: "allowed-ports", Value: []int{22}}}},
		{"AWS-S3-001", rules.Critical, nil}, // untouched
	}
	for i, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			r := got[i]
			if r.ID != tc.id || r.Severity != tc.want || (tc.params != nil && !reflect.DeepEqual(r.Params, tc.params)) {
				t.Errorf("%s: severity %v params %v; want %v %v", r.ID, r.Severity, r.Params, tc.want, tc.params)
			}
		})
	}
	if cat[2].Severity != rules.High || !reflect.DeepEqual(cat[2].Params[0].Value, []int{80, 443}) {
		t.Error("Catalog changed the shared rules")
	}
	if got[3] != cat[3] {
		t.Error("an unconfigured rule should be the catalog's own")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "budgets: positive integers, known names",
			src:  "budgets:\n  values: 0\n  steps: many\n  bytes: 3\n",
			want: []string{
				`c.yaml:2:11: budgets.values: got 0, want at least 1`,
				`c.yaml:3:10: budgets.steps: got string, want integer`,
				`c.yaml:4:3: budgets: unknown key "bytes"`,
			},
		},
		{
			name: "unknown top-level keys",
			src:  "rules: {}\nexclude-path: [a]\nfailon: high\n",
			want: []string{
				`c.yaml:2:1: unknown key "exclude-path" (valid: allow-parse-errors, budgets, exclude-paths, exclude-tags, fail-on, fix, gitignore, profile, rules, rules-dir, severity, show-severities)`,
				`c.yaml:3:1: unknown key "failon" (valid: allow-parse-errors, budgets, exclude-paths, exclude-tags, fail-on, fix, gitignore, profile, rules, rules-dir, severity, show-severities)`,
			},
		},
		{
			name: "unknown nested key",
			src:  "fix:\n  disabled: [AWS-S3-001]\n",
			want: []string{`c.yaml:2:3: fix: unknown key "disabled"`},
		},
		{
			name: "unknown rule IDs and globs",
			src:  "rules:\n  enable:\n    - AWS-EC2-002\n    - AWS-EC2-999\n  disable: ['AWS-RDS-*']\nseverity:\n  AWS-S3-099: low\nfix: {disable: [nope]}\n",
			want: []string{
				`c.yaml:4:7: rules.enable: unknown rule "AWS-EC2-999" (see ` + "`iacscan rules`" + `)`,
				`c.yaml:5:13: rules.disable: no rule matches "AWS-RDS-*" (see ` + "`iacscan rules`" + `)`,
				`c.yaml:7:3: severity: unknown rule "AWS-S3-099" (see ` + "`iacscan rules`" + `)`,
				`c.yaml:8:17: fix.disable: unknown rule "nope" (see ` + "`iacscan rules`" + `)`,
			},
		},
		{
			name: "parameters",
			src:  "rules:\n  AWS-EC2-034:\n    allowed-port: [80]\n  AWS-S3-001:\n    x: 1\n  AWS-EC2-998:\n    y: 2\n",
			want: []string{
				`c.yaml:3:5: rules.AWS-EC2-034: rule AWS-EC2-034 has no parameter "allowed-port" (it has allowed-ports)`,
				`c.yaml:5:5: rules.AWS-S3-001: rule AWS-S3-001 has no parameter "x" (it has none)`,
				`c.yaml:6:3: rules: unknown rule "AWS-EC2-998" (see ` + "`iacscan rules`" + `)`,
			},
		},
		{
			name: "parameter of the wrong type",
			src:  "rules:\n  AWS-EC2-034:\n    allowed-ports: [80, https]\n",
			want: []string{`c.yaml:3:20: rules.AWS-EC2-034: AWS-EC2-034.allowed-ports: item 2: want an integer, got "https"`},
		},
		{
			name: "schema types and enums",
			src:  "fail-on: severe\nexclude-paths: vendor\nseverity:\n  AWS-S3-001: urgent\nrules:\n  AWS-EC2-034:\n    allowed-ports: {a: 1}\n",
			want: []string{
				`c.yaml:1:10: fail-on: got "severe", want one of: critical, high, medium, low`,
				`c.yaml:2:16: exclude-paths: got string, want array`,
				`c.yaml:4:15: severity.AWS-S3-001: got "urgent", want one of: critical, high, medium, low`,
				`c.yaml:7:20: rules.AWS-EC2-034.allowed-ports: got object, want string or integer or boolean or array`,
			},
		},
		{
			name: "show-severities neither a list nor a minimum",
			src:  "show-severities: high-\ngitignore: no\n",
			want: []string{
				`c.yaml:1:18: show-severities: "high-" does not match the pattern ^((critical|high|medium|low)( *, *(critical|high|medium|low))*|(critical|high|medium|low)\+)$`,
				`c.yaml:2:12: gitignore: got string, want boolean`,
			},
		},
		{
			name: "show-severities with an unknown name",
			src:  "show-severities: [high, severe]\n",
			want: []string{`c.yaml:1:25: show-severities.1: got "severe", want one of: critical, high, medium, low`},
		},
		{
			name: "unknown profile",
			src:  "profile: strict\n",
			want: []string{`c.yaml:1:10: profile: got "strict", want baseline`},
		},
		{
			name: "not a mapping",
			src:  "- rules\n",
			want: []string{`c.yaml:1:1: got array, want object`},
		},
		{
			name: "duplicate key",
			src:  "fail-on: low\nfail-on: high\n",
			want: []string{`c.yaml:2:1: key "fail-on" is defined twice`},
		},
		{
			name: "invalid YAML",
			src:  "fail-on: low\n exclude-paths: x\n",
			want: []string{`c.yaml:2:1: invalid YAML: mapping values are not allowed in this context`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.src), catalog())
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want Errors", err)
			}
			if got := strings.Split(errs.Error(), "\n"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestEmptyAndAliases(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("# nothing yet\n"), catalog())
	if err != nil || cfg.FailOn != 0 || cfg.Params != nil {
		t.Fatalf("empty file: %+v, %v", cfg, err)
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	if _, err := Parse("c.yaml", []byte(bomb), catalog()); err == nil || !strings.Contains(err.Error(), "expands too many aliases") {
		t.Fatalf("alias bomb: %v", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "infra", "web")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path string) {
		t.Helper()
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(deep, "main.tf"))
	if got, err := Find(deep); err != nil || got != "" && !strings.HasPrefix(got, root) {
		t.Fatalf("no config under the temp dir: Find = %q, %v", got, err)
	}
	write(filepath.Join(root, ".iacscan.yml"))
	write(filepath.Join(root, "infra", ".iacscan.yaml"))
	repo := filepath.Join(root, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(deep, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ from, want string }{
		{deep, filepath.Join(root, "infra", ".iacscan.yaml")},
		{loop, filepath.Join(root, "infra", ".iacscan.yaml")}, // the scan reports the loop
		{filepath.Join(deep, "missing.tf"), filepath.Join(root, "infra", ".iacscan.yaml")},
		{filepath.Join(deep, "main.tf"), filepath.Join(root, "infra", ".iacscan.yaml")},
		{root, filepath.Join(root, ".iacscan.yml")},
		{repo, ""}, // the search stops at the repository root
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			if got, err := Find(tc.from); err != nil || got != tc.want {
				t.Errorf("Find(%s) = %q, %v; want %q", tc.from, got, err, tc.want)
			}
		})
	}
}

// TestTemplate checks that `config init` writes a valid file that lists the real rules'
// parameters with their defaults.
func TestTemplate(t *testing.T) {
	cat := builtin.All()
	tmpl, err := Template(cat)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tmpl), "  # AWS-EC2-034:\n  #   allowed-ports: [80,443]  # ") {
		t.Errorf("the template does not list AWS-EC2-034's parameter:\n%s", tmpl)
	}
	cfg, err := Parse("init.yaml", tmpl, cat)
	if err != nil {
		t.Fatalf("the template does not validate: %v", err)
	}
	if cfg.FailOn != rules.Low || len(cfg.Enable)+len(cfg.Disable)+len(cfg.ExcludePaths)+len(cfg.ExcludeTags) != 0 {
		t.Errorf("the template is not the default configuration: %+v", cfg)
	}
}

// TestProfilesInSchema keeps the schema's profile names those rules.ApplyProfile knows.
func TestProfilesInSchema(t *testing.T) {
	var schema struct {
		Properties struct {
			Profile struct {
				Enum []string `json:"enum"`
			} `json:"profile"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatal(err)
	}
	var known []string
	for name := range rules.Profiles {
		known = append(known, name)
	}
	slices.Sort(known)
	if got := schema.Properties.Profile.Enum; !slices.Equal(got, known) {
		t.Errorf("schema profiles %v, rules.Profiles %v", got, known)
	}
	for _, name := range known {
		if _, err := rules.ApplyProfile(nil, name); err != nil {
			t.Errorf("ApplyProfile(%q): %v", name, err)
		}
	}
}
