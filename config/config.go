// Package config reads .iacscan.yaml, the file a team keeps next to its infrastructure code
// to say which rules run with which parameters and severities, what fails the run, and
// which paths and tagged resources are out of scope. The file is validated against the
// JSON Schema in schema.json; every problem is reported with its file, line and column.
package config

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
)

// FileNames are the names a configuration file is found by, in order of preference.
var FileNames = []string{".iacscan.yaml", ".iacscan.yml"}

// Schema is the JSON Schema (draft 2020-12) of the configuration file.
//
//go:embed schema.json
var Schema []byte

// templateText is the commented default configuration, with the parameters of the
// catalog's rules filled in by Template.
//
//go:embed template.yaml
var templateText string

// initTemplate is parsed on first use: only `iacscan config init` needs it.
var initTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("config").Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v) // flow YAML for the values parameters take
			return string(b), err
		},
	}).Parse(templateText))
})

// Template returns the commented default configuration `iacscan config init` writes,
// listing the parameters of the catalog's rules with their defaults.
func Template(catalog []*rules.Rule) ([]byte, error) {
	var withParams []*rules.Rule
	for _, r := range catalog {
		if len(r.Params) > 0 {
			withParams = append(withParams, r)
		}
	}
	var buf bytes.Buffer
	err := initTemplate().Execute(&buf, withParams)
	return buf.Bytes(), err
}

// Config is a loaded configuration file.
type Config struct {
	// Path is the file it was read from; Dir its directory, which exclude-paths are
	// relative to.
	Path, Dir string
	// Enable are rules to run in addition to the default ones; Disable rules never to run.
	Enable, Disable []string
	// Params are rule parameters by rule ID.
	Params map[string]map[string]any
	// Severity overrides in file order.
	Severity []SeverityOverride
	// Profile is the profile the file selects (rules.Profiles), or "".
	Profile string
	// FailOn is the lowest failing severity, or 0 when the file does not say.
	FailOn rules.Severity
	// Severities are the severities reports show (show-severities), nil for all.
	Severities []rules.Severity
	// Gitignore is whether the files git ignores are left out of the scan, nil when the
	// file does not say (they are).
	Gitignore *bool
	// AllowParseErrors lets a run in which some files cannot be read or parsed pass on
	// the findings of the others (--allow-parse-errors).
	AllowParseErrors bool
	ExcludePaths     []string
	ExcludeTags      []suppress.Tag
	FixDisable       []string
	// RulesDir is the directory of custom rule files, joined to Dir; "" when none.
	RulesDir string
	// Budgets are the limits the file sets; zero fields take the defaults.
	Budgets budget.Limits
}

// SeverityOverride sets the severity of the rules Pattern names.
type SeverityOverride struct {
	Pattern  string
	Severity rules.Severity
}

// Find returns the configuration file that applies to path: the first of FileNames in
// path's directory (path itself when it is one) or the nearest parent, or "" if none. The
// search stops at the repository root (a directory holding .git), so that a file outside
// the repository never applies.
func Find(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		// A file, or a path the scan itself will report (missing, a symbolic link loop):
		// the search starts in its directory, so that the scan, not the configuration
		// lookup, says what is wrong with it.
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		for _, name := range FileNames {
			candidate := filepath.Join(dir, name)
			if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
				return candidate, nil
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("config: %w", err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil || filepath.Dir(dir) == dir {
			return "", nil
		}
	}
}

// Load reads and validates the configuration file at path against the rule catalog.
func Load(path string, catalog []*rules.Rule) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, src, catalog)
}

// RulesDir returns the custom rules directory the configuration file at path names
// (rules-dir), joined to the file's directory, or "". It reads only that key: the custom
// rules must be loaded before the rest of the file is checked against the catalog, since
// the file may name them.
func RulesDir(path string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	var doc map[string]any
	if yaml.Unmarshal(src, &doc) != nil {
		return "", nil // Load reports the syntax error where it is
	}
	if dir, ok := doc["rules-dir"].(string); ok && dir != "" {
		return filepath.Join(filepath.Dir(path), dir), nil
	}
	return "", nil
}

// Parse validates src, the content of the file at path, and returns the configuration. The
// error, when the file is invalid, is an Errors listing every problem found.
func Parse(path string, src []byte, catalog []*rules.Rule) (*Config, error) {
	doc, err := decode(path, src)
	if err != nil {
		return nil, err
	}
	// The builder skips what has the wrong shape, so that one run reports the schema's
	// problems and the unknown rules together.
	errs := configSchema.validate(path, doc)
	b := &builder{path: path, catalog: catalog, cfg: &Config{Path: path, Dir: filepath.Dir(path)}}
	b.build(doc.root)
	if errs = append(errs, b.errs...); len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b Error) int { return cmp.Or(a.Line-b.Line, a.Column-b.Column) })
		return nil, errs
	}
	return b.cfg, nil
}

// Selection returns the enable and disable patterns for rules.Select: with rules.enable,
// every default rule plus the enabled ones (the config file turns rules on, it does not
// narrow the set the way --rules does). A default-off rule whose parameters the file sets
// is enabled too: AWS-GEN-101 is off until its allowed regions are listed.
func (c *Config) Selection(catalog []*rules.Rule) (enable, disable []string) {
	var configured []string
	for _, r := range catalog {
		if r.DefaultOff && len(c.Params[r.ID]) > 0 {
			configured = append(configured, r.ID)
		}
	}
	if len(c.Enable) > 0 || len(configured) > 0 {
		for _, r := range catalog {
			if !r.DefaultOff {
				enable = append(enable, r.ID)
			}
		}
		enable = append(append(enable, c.Enable...), configured...)
	}
	return enable, slices.Clone(c.Disable)
}

// Catalog returns catalog with this configuration's parameters and severity overrides
// applied, as copies: the rules passed in are shared and never change.
func (c *Config) Catalog(catalog []*rules.Rule) ([]*rules.Rule, error) {
	out := make([]*rules.Rule, len(catalog))
	for i, r := range catalog {
		if params := c.Params[r.ID]; len(params) > 0 {
			configured, err := rules.Configure(r, params)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Path, err)
			}
			r = configured
		}
		if s, ok := c.severityOf(&r.Meta); ok && s != r.Severity {
			copied := *r
			copied.Severity = s
			r = &copied
		}
		out[i] = r
	}
	return out, nil
}

// severityOf returns the override for m: an exact ID, name or alias wins over a glob;
// among equals the later entry wins.
func (c *Config) severityOf(m *rules.Meta) (rules.Severity, bool) {
	var (
		found      rules.Severity
		foundExact bool
		ok         bool
	)
	for _, o := range c.Severity {
		if !m.Matches(o.Pattern) {
			continue
		}
		exact := !strings.ContainsAny(o.Pattern, "*?[")
		if !foundExact || exact {
			found, foundExact, ok = o.Severity, exact, true
		}
	}
	return found, ok
}
