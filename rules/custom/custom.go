// Package custom loads a team's own rules from YAML files (docs/custom-rules.md): metadata,
// a selector of canonical kinds, optionally a setting path in the same syntax as the
// built-in setting rules (rules/setting), a condition — a simple one (equals, one_of,
// present, absent, matches, cidr_within, cidr_contains, not) or a CEL expression over the
// resource's evaluated values and its graph neighbours — and optionally a fix. A rule is
// written once for every format the graph reads; its findings go through the same
// reports, ignores, baselines and fix engine as the built-in ones.
package custom

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/config"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// Schema is the JSON Schema of a rule file.
//
//go:embed schema.json
var Schema []byte

var validator = config.NewValidator("https://github.com/iacscan/iacscan/blob/main/rules/custom/schema.json", Schema)

// ReservedPrefix starts the IDs of iacscan's own rules; a custom rule may not take it.
const ReservedPrefix = "AWS-"

// file is a rule file as decoded.
type file struct {
	Rules []spec `yaml:"rules"`
}

// spec is one rule as written.
type spec struct {
	ID, Name, Title, Description, Remediation, Severity string
	Tags, Aliases                                       []string
	HelpURI                                             string `yaml:"help_uri"`
	Enabled                                             *bool
	Select                                              struct {
		Kinds, Formats []string
		Tags           map[string]string
	}
	Setting *struct {
		Terraform, Cloudformation string
		Default                   yaml.Node
	}
	Require yaml.Node
	Message string
	Fix     *struct {
		Set        yaml.Node
		RemoveItem yaml.Node `yaml:"remove_item"`
	}
}

// Load reads every *.yaml and *.yml file of dir, sorted by name, and returns their rules.
// A file or rule with a problem is left out with a diagnostic at its file, line and column;
// the others load. taken are the rules already known (the built-in catalog), whose IDs and
// names a custom rule may not reuse.
func Load(dir string, taken []*rules.Rule) ([]*rules.Rule, source.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, source.Diagnostics{{Severity: source.Error, Summary: "cannot read the custom rules directory", Detail: err.Error()}}
	}
	var (
		out   []*rules.Rule
		diags source.Diagnostics
	)
	for _, e := range entries {
		if e.IsDir() || !slices.Contains([]string{".yaml", ".yml"}, filepath.Ext(e.Name())) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			diags = append(diags, source.Diagnostic{Severity: source.Error, Summary: "cannot read a custom rule file", Detail: err.Error(), Subject: &source.Range{Path: path}})
			continue
		}
		rs, d := Parse(filepath.ToSlash(path), src, slices.Concat(taken, out))
		out, diags = append(out, rs...), append(diags, d...)
	}
	return out, diags
}

// Parse reads the rules of one file, the content src of path.
func Parse(path string, src []byte, taken []*rules.Rule) ([]*rules.Rule, source.Diagnostics) {
	root, errs := validator.Decode(path, src)
	if len(errs) > 0 {
		var diags source.Diagnostics
		for _, e := range errs {
			diags = append(diags, problem(path, e.Line, e.Column, e.Msg))
		}
		return nil, diags
	}
	if root == nil {
		return nil, source.Diagnostics{problem(path, 1, 1, "the file is empty")}
	}
	var f file
	if err := root.Decode(&f); err != nil {
		return nil, source.Diagnostics{problem(path, root.Line, root.Column, err.Error())}
	}
	items := root.Content[1+slices.IndexFunc(root.Content, func(n *yaml.Node) bool { return n.Value == "rules" })].Content
	var (
		out   []*rules.Rule
		diags source.Diagnostics
	)
	for i, s := range f.Rules {
		b := builder{path: path, node: items[i]}
		r := b.rule(s, slices.Concat(taken, out))
		if len(b.diags) > 0 {
			diags = append(diags, b.diags...)
			continue
		}
		out = append(out, r)
	}
	return out, diags
}

// builder turns one spec into a rule, collecting its problems.
type builder struct {
	path  string
	node  *yaml.Node // the rule's mapping
	diags source.Diagnostics
}

func (b *builder) fail(n *yaml.Node, format string, args ...any) {
	if n == nil || n.Line == 0 {
		n = b.node
	}
	b.diags = append(b.diags, problem(b.path, n.Line, n.Column, fmt.Sprintf(format, args...)))
}

// field returns the value node of key in the rule's mapping, or nil.
func (b *builder) field(key string) *yaml.Node {
	for i := 0; i+1 < len(b.node.Content); i += 2 {
		if b.node.Content[i].Value == key {
			return b.node.Content[i+1]
		}
	}
	return nil
}

func (b *builder) rule(s spec, taken []*rules.Rule) *rules.Rule {
	if strings.HasPrefix(s.ID, ReservedPrefix) {
		b.fail(b.field("id"), "rule ID %s: the %s namespace is iacscan's own; use your team's prefix (ACME-S3-001)", s.ID, ReservedPrefix)
	}
	name := s.Name
	if name == "" {
		name = strings.ToLower(s.ID)
	}
	for _, t := range taken {
		if t.Matches(s.ID) || t.Matches(name) {
			b.fail(b.field("id"), "rule ID %s or name %s is taken by rule %s", s.ID, name, t.ID)
		}
	}
	sev, err := rules.ParseSeverity(s.Severity)
	if err != nil {
		b.fail(b.field("severity"), "%v", err)
	}
	c := &check{id: s.ID, title: s.Title, message: s.Message, kinds: kinds(s.Select.Kinds), tags: s.Select.Tags}
	c.formats = b.formats(s)
	if s.Setting != nil {
		c.terraform, c.cloudformation = split(s.Setting.Terraform), split(s.Setting.Cloudformation)
		if !s.Setting.Default.IsZero() {
			c.fallback = valueOf(&s.Setting.Default)
		}
	}
	c.cond = b.condition(&s.Require, false, s.Setting != nil)
	fix := rules.FixNone
	if s.Fix != nil {
		fix = rules.FixAuto
		c.set, c.remove = optional(&s.Fix.Set), optional(&s.Fix.RemoveItem)
		if s.Setting == nil {
			b.fail(b.field("fix"), "a fix needs a setting to change")
		}
	}
	r := &rules.Rule{Meta: rules.Meta{
		ID: s.ID, Name: name, Title: s.Title, Description: s.Description, Remediation: s.Remediation,
		Severity: sev, Tags: append([]string{"custom"}, s.Tags...), Aliases: s.Aliases,
		Formats: c.formats, Fix: fix, DefaultOff: s.Enabled != nil && !*s.Enabled, Help: s.HelpURI,
	}}
	r.Check = func(ctx *rules.Context) { c.run(ctx, &r.Meta) }
	r.Isolated = true // what it shares is its evaluation, with the other custom rules
	return r
}

// formats are the formats the rule selects: those named, else those its setting has a
// path in (serverless.yml resources are CloudFormation), else all.
func (b *builder) formats(s spec) []graph.Format {
	if len(s.Select.Formats) > 0 {
		var out []graph.Format
		for _, name := range s.Select.Formats {
			for f := graph.Terraform; f <= graph.Serverless; f++ {
				if f.String() == name {
					out = append(out, f)
				}
			}
		}
		return out
	}
	out := []graph.Format{graph.Terraform, graph.TerraformJSON, graph.CloudFormationYAML, graph.CloudFormationJSON, graph.Serverless}
	if s.Setting == nil {
		return out
	}
	if s.Setting.Terraform == "" {
		out = slices.DeleteFunc(out, graph.Format.IsTerraform)
	}
	if s.Setting.Cloudformation == "" {
		out = slices.DeleteFunc(out, func(f graph.Format) bool { return !f.IsTerraform() })
	}
	return out
}

func kinds(names []string) []graph.Kind {
	out := make([]graph.Kind, len(names))
	for i, n := range names {
		out[i] = graph.Kind(n)
	}
	return out
}

func split(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

// optional returns the value of a node that may be absent.
func optional(n *yaml.Node) *graph.Value {
	if n.IsZero() {
		return nil
	}
	return valueOf(n)
}

// valueOf converts a YAML value of a rule file into the value a fix writes.
func valueOf(n *yaml.Node) *graph.Value {
	switch n.Kind {
	case yaml.SequenceNode:
		v := &graph.Value{Type: graph.List}
		for _, it := range n.Content {
			v.Items = append(v.Items, valueOf(it))
		}
		return v
	case yaml.MappingNode:
		v := &graph.Value{Type: graph.Map}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v.Attrs = append(v.Attrs, graph.Attr(n.Content[i].Value, valueOf(n.Content[i+1])))
		}
		return v
	}
	switch n.Tag {
	case "!!bool":
		return graph.BoolValue(n.Value == "true")
	case "!!int", "!!float":
		var f float64
		if _, err := fmt.Sscan(n.Value, &f); err == nil {
			return &graph.Value{Type: graph.Number, Num: f, Str: n.Value}
		}
	case "!!null":
		return &graph.Value{Type: graph.Null}
	}
	return graph.StringValue(n.Value)
}

func problem(path string, line, col int, msg string) source.Diagnostic {
	at := source.Pos{Line: line, Column: col}
	return source.Diagnostic{Severity: source.Error, Summary: "invalid custom rule", Detail: msg, Subject: &source.Range{Path: path, Start: at, End: at}}
}
