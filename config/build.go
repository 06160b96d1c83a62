package config

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
)

// builder turns a schema-valid document into a Config, checking what the schema cannot
// know: that every rule pattern names a rule and every parameter exists with the right type.
type builder struct {
	path    string
	catalog []*rules.Rule
	cfg     *Config
	errs    Errors
}

func (b *builder) fail(n *yaml.Node, format string, args ...any) {
	b.errs = append(b.errs, Error{Path: b.path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (b *builder) build(root *yaml.Node) {
	if root == nil {
		return
	}
	eachPair(root, func(k, v *yaml.Node) {
		switch k.Value {
		case "rules":
			b.rules(v)
		case "severity":
			b.severity(v)
		case "profile":
			b.cfg.Profile = v.Value // the schema allows only the names of rules.Profiles
		case "fail-on":
			b.cfg.FailOn, _ = rules.ParseSeverity(v.Value) // the schema allows only the four names
		case "show-severities":
			spec := v.Value
			if v.Kind == yaml.SequenceNode {
				spec = strings.Join(strs(v), ",")
			}
			b.cfg.Severities, _ = rules.ParseSeverities(spec) // the schema allows only names and name+
		case "gitignore":
			honour := v.Value == "true" // the schema allows only a boolean
			b.cfg.Gitignore = &honour
		case "allow-parse-errors":
			b.cfg.AllowParseErrors = v.Value == "true" // the schema allows only a boolean
		case "exclude-paths":
			b.cfg.ExcludePaths = strs(v)
		case "rules-dir":
			b.cfg.RulesDir = filepath.Join(b.cfg.Dir, v.Value)
		case "exclude-tags":
			eachPair(v, func(k, v *yaml.Node) {
				b.cfg.ExcludeTags = append(b.cfg.ExcludeTags, suppress.Tag{Key: k.Value, Value: v.Value})
			})
		case "budgets":
			b.budgets(v)
		case "fix":
			if d := child(v, "disable"); d != nil {
				b.cfg.FixDisable = b.patterns(resolve(d), "fix.disable")
			}
		}
	})
}

func (b *builder) rules(n *yaml.Node) {
	eachPair(n, func(k, v *yaml.Node) {
		switch k.Value {
		case "enable":
			b.cfg.Enable = b.patterns(v, "rules.enable")
		case "disable":
			b.cfg.Disable = b.patterns(v, "rules.disable")
		default:
			b.params(k, v)
		}
	})
}

// params reads `<rule>: {name: value}`: the rule must exist (no globs: parameters belong to
// one rule) and declare each parameter, with a value of its type.
func (b *builder) params(k, v *yaml.Node) {
	r := rules.Lookup(b.catalog, k.Value)
	if r == nil {
		b.fail(k, "rules: unknown rule %q (see `iacscan rules`)", k.Value)
		return
	}
	if b.cfg.Params == nil {
		b.cfg.Params = map[string]map[string]any{}
	}
	if b.cfg.Params[r.ID] == nil {
		b.cfg.Params[r.ID] = map[string]any{}
	}
	d := &decoder{path: b.path}
	eachPair(v, func(name, val *yaml.Node) {
		if val.Kind == yaml.MappingNode {
			return // no parameter takes a mapping: the schema says so
		}
		value := d.value(val, 0)
		if _, err := rules.Configure(r, map[string]any{name.Value: value}); err != nil {
			at := val
			if !declares(r, name.Value) {
				at = name
			}
			b.fail(at, "rules.%s: %v", k.Value, err)
			return
		}
		b.cfg.Params[r.ID][name.Value] = value
	})
	b.errs = append(b.errs, d.errs...)
}

func declares(r *rules.Rule, name string) bool {
	return slices.ContainsFunc(r.Params, func(p rules.Param) bool { return p.Name == name })
}

func (b *builder) severity(n *yaml.Node) {
	eachPair(n, func(k, v *yaml.Node) {
		if !b.known(k, "severity", k.Value) {
			return
		}
		s, _ := rules.ParseSeverity(v.Value) // the schema allows only the four names
		b.cfg.Severity = append(b.cfg.Severity, SeverityOverride{Pattern: k.Value, Severity: s})
	})
}

// patterns reads a list of rule patterns, each of which must name at least one rule.
func (b *builder) patterns(n *yaml.Node, where string) []string {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if it = resolve(it); it.Kind == yaml.ScalarNode && b.known(it, where, it.Value) {
			out = append(out, it.Value)
		}
	}
	return out
}

func (b *builder) known(n *yaml.Node, where, pattern string) bool {
	for _, r := range b.catalog {
		if r.Matches(pattern) {
			return true
		}
	}
	what := "unknown rule"
	if strings.ContainsAny(pattern, "*?[") {
		what = "no rule matches"
	}
	b.fail(n, "%s: %s %q (see `iacscan rules`)", where, what, pattern)
	return false
}

// eachPair calls fn with each key and value of mapping n (aliases resolved); it does
// nothing when n is no mapping (the schema reports that).
func eachPair(n *yaml.Node, fn func(k, v *yaml.Node)) {
	if n = resolve(n); n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], resolve(n.Content[i+1]))
	}
}

func strs(n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, it := range n.Content {
		out = append(out, resolve(it).Value)
	}
	return out
}

// resolve follows aliases to the anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// budgets reads the budgets: positive integers, as the schema requires.
func (b *builder) budgets(n *yaml.Node) {
	fields := map[string]*int{
		budget.Values: &b.cfg.Budgets.Values, budget.StringBytes: &b.cfg.Budgets.StringBytes,
		budget.Instances: &b.cfg.Budgets.Instances, budget.TotalInstances: &b.cfg.Budgets.TotalInstances,
		budget.Steps: &b.cfg.Budgets.Steps, budget.Expansions: &b.cfg.Budgets.Expansions,
	}
	eachPair(n, func(k, v *yaml.Node) {
		i, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil || i < 1 {
			return // reported by the schema
		}
		if k.Value == budget.FileBytes {
			b.cfg.Budgets.FileBytes = i
		} else if f := fields[k.Value]; f != nil {
			*f = int(min(i, math.MaxInt32))
		}
	})
}
