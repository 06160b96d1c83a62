// Package patchtest is the fuzz harness the patchers share: one random change to a random
// element of a valid file must never panic, and must leave a file that still parses (or
// be refused).
package patchtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Check plans the change that pick and op choose on the file name holding src, applies
// it and checks that the result parses. Inputs that are not valid files of a format
// iacscan reads, or that have no resource, are skipped. It returns the patched file, or
// nil when there was nothing to change.
func Check(t *testing.T, name string, src []byte, pick, op uint) []byte {
	t.Helper()
	f := source.NewFile(name, src)
	format := detect.Classify(name, src)
	if format == graph.FormatNone || !parses(name, src, format) {
		return nil
	}
	rs, diags := parsers.Parse(parsers.Input{File: f, Format: format})
	if diags.HasErrors() || len(rs) == 0 {
		return nil
	}
	c, ok := change(rs, pick, op)
	if !ok {
		return nil
	}
	edits, err := fixers.Plan(f, format, []fixers.Change{c})
	if err != nil {
		return nil // refusing a change is fine; panicking or breaking the file is not
	}
	out, err := fixers.Apply(src, edits)
	if err != nil {
		t.Fatalf("planned edits do not apply: %v", err)
	}
	if !parses(name, out, format) {
		t.Fatalf("the patched file does not parse\n--- input:\n%s\n--- op %d on %s\n--- output:\n%s", src, c.Op, c.Resource.ID, out)
	}
	return out
}

// parses reports whether src is syntactically valid in its format.
func parses(name string, src []byte, format graph.Format) bool {
	f := source.NewFile(name, src)
	switch format {
	case graph.Terraform:
		_, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		return !diags.HasErrors()
	case graph.TerraformJSON, graph.CloudFormationJSON:
		_, diags := document.ParseJSON(f)
		return !diags.HasErrors()
	}
	root, diags := document.ParseYAML(f)
	return root != nil && !diags.HasErrors()
}

// change builds the change op chooses on the element of the resources pick chooses: an
// added resource is now and then a data source.
func change(rs []*graph.Resource, pick, op uint) (fixers.Change, bool) {
	r := rs[pick%uint(len(rs))]
	var values, lists, maps []*graph.Value
	r.Body.Walk(func(v *graph.Value) {
		if v.Origin != nil {
			return
		}
		values = append(values, v)
		if v.Type == graph.List && len(v.Items) > 0 {
			lists = append(lists, v)
		}
		if v.Type == graph.Map {
			maps = append(maps, v)
		}
	})
	pick /= uint(len(rs))
	c := fixers.Change{Resource: r}
	switch op % 6 {
	case 0:
		if len(values) < 2 {
			return c, false
		}
		c.Op, c.Target, c.New = fixers.SetValue, values[1+pick%uint(len(values)-1)], newValue(pick, false)
	case 1:
		if len(lists) == 0 {
			return c, false
		}
		c.Op, c.Parent = fixers.RemoveItem, lists[pick%uint(len(lists))]
		c.Target = c.Parent.Items[(pick/7)%uint(len(c.Parent.Items))]
	case 2:
		m := pickMap(maps, pick, true)
		if m == nil {
			return c, false
		}
		c.Op, c.Parent, c.Attr = fixers.RemoveAttribute, m, m.Attrs[(pick/7)%uint(len(m.Attrs))]
	case 3:
		m := pickMap(maps, pick, false)
		if m == nil {
			return c, false
		}
		c.Op, c.Parent, c.Name, c.New = fixers.AddAttribute, m, "fuzz_added", newValue(pick/7, m.Block)
	case 4:
		c.Op = fixers.RemoveResource
	case 5:
		c.Op, c.Kind, c.Name, c.New = fixers.AddResource, "fuzz_added", "fuzz", graph.MapValue(true, graph.Attr("bucket", newValue(pick, false)))
		if (pick/7)%2 == 1 {
			c.Kind, c.New = "data.fuzz_added", graph.MapValue(true)
		}
	}
	return c, true
}

// pickMap returns a map without an attribute named fuzz_added (and with attributes when
// full), or nil.
func pickMap(maps []*graph.Value, pick uint, full bool) *graph.Value {
	var ok []*graph.Value
	for _, m := range maps {
		if m.Get("fuzz_added") == nil && (!full || len(m.Attrs) > 0) {
			ok = append(ok, m)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	return ok[pick%uint(len(ok))]
}

// newValue returns one of the shapes fixes write: scalars that need quoting or escaping,
// collections, nested blocks, a reference, a Terraform template.
func newValue(pick uint, block bool) *graph.Value {
	values := []*graph.Value{
		graph.StringValue("private"),
		graph.StringValue("a \"quoted\" ${x} %{y} 'b': #c\n\td"),
		graph.StringValue(""),
		graph.BoolValue(true),
		{Type: graph.Number, Num: 22, Str: "22"},
		{Type: graph.Null},
		{Type: graph.List},
		{Type: graph.List, Items: []*graph.Value{graph.StringValue("10.0.0.0/8"), graph.StringValue("::/0")}},
		graph.MapValue(false),
		graph.MapValue(false, graph.Attr("Key", graph.StringValue("yes")), graph.Attr("Fn::Sub", graph.StringValue("${AWS::Region}"))),
		{Type: graph.Unknown, Refs: []*graph.Ref{{Address: "aws_s3_bucket.b", Attr: "id"}}},
		graph.TemplateValue("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
			&graph.Ref{Address: "data.aws_caller_identity.current", Attr: "account_id"}),
	}
	if block {
		values = append(values, graph.MapValue(true, graph.Attr("rule", graph.MapValue(true, graph.Attr("enabled", graph.BoolValue(true))))))
	}
	return values[pick%uint(len(values))]
}

// Example is an input file of the rules' example archives.
type Example struct {
	Name string
	Src  []byte
}

// Examples returns the input sections of the example archives matched by glob whose
// names end in one of suffixes: the realistic files, in every layout the rules test, that
// the fuzz targets start from. Sections named "main.tf#crlf,noeol" have CRLF line endings
// and no final newline, as ruletest reads them.
func Examples(tb testing.TB, glob string, suffixes ...string) []Example {
	tb.Helper()
	paths, err := filepath.Glob(glob)
	if err != nil {
		tb.Fatal(err)
	}
	var out []Example
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range ar.Files {
			name, flags, _ := strings.Cut(f.Name, "#")
			if slices.ContainsFunc(suffixes, func(s string) bool { return strings.HasSuffix(name, s) }) {
				out = append(out, Example{Name: name, Src: decode(f.Data, strings.Split(flags, ","))})
			}
		}
	}
	return out
}

func decode(data []byte, flags []string) []byte {
	if slices.Contains(flags, "noeol") {
		data = bytes.TrimSuffix(data, []byte("\n"))
	}
	if slices.Contains(flags, "crlf") {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	return data
}

// Exhaust runs Check for every op on the first picks elements of src and returns the
// distinct patched files.
func Exhaust(t *testing.T, name string, src []byte, picks uint) [][]byte {
	t.Helper()
	var out [][]byte
	for op := range uint(6) {
		for pick := range picks {
			if p := Check(t, name, src, pick, op); p != nil && !slices.ContainsFunc(out, func(q []byte) bool { return bytes.Equal(p, q) }) {
				out = append(out, p)
			}
		}
	}
	return out
}

// EveryChangeToTemplates makes every kind of change to the first elements of every
// example file matched by glob and suffixes: none may panic or leave a file that does not
// parse. cfn-lint, when installed, must also parse the patched CloudFormation templates
// of a sample (every fourth one; Terraform JSON and serverless.yml are not templates):
// running it over all of them takes minutes.
//
// In -short mode (make test) the sweep is bounded: see Sweep.
func EveryChangeToTemplates(t *testing.T, glob string, suffixes ...string) {
	t.Helper()
	examples, picks := Sweep(Examples(t, glob, suffixes...))
	var sample []Example
	for i, e := range examples {
		if i%4 == 0 && !strings.HasSuffix(e.Name, ".tf.json") && e.Name != "serverless.yml" {
			sample = append(sample, e)
			continue
		}
		Exhaust(t, e.Name, e.Src, picks)
	}
	dir, patched := Corpus(t, sample, min(picks, 3))
	CFNLint(t, dir, patched)
}

// shortExamples and shortPicks bound the sweep of -short mode: the examples grow with
// every rule, and make test must stay fast however many rules there are.
const (
	shortExamples = 24
	shortPicks    = 3
)

// Sweep returns the examples to exhaust and how many elements of each to change: all of
// them and 12, or in -short mode an evenly spread sample of at most shortExamples and
// shortPicks. make test-long runs the whole sweep.
func Sweep(examples []Example) ([]Example, uint) {
	if !testing.Short() || len(examples) <= shortExamples {
		if testing.Short() {
			return examples, shortPicks
		}
		return examples, 12
	}
	sample := make([]Example, 0, shortExamples)
	for i := range shortExamples {
		sample = append(sample, examples[i*len(examples)/shortExamples])
	}
	return sample, shortPicks
}

// Corpus makes every kind of change to the first picks elements of every example, as
// Exhaust does, and writes the examples and their patched versions into a temporary
// directory. It returns the directory and, for each patched file, its input's name.
func Corpus(t *testing.T, examples []Example, picks uint) (dir string, patched map[string]string) {
	t.Helper()
	dir, patched = t.TempDir(), map[string]string{}
	for i, e := range examples {
		ext := filepath.Ext(e.Name)
		in := fmt.Sprintf("in%03d%s", i, ext)
		write(t, filepath.Join(dir, in), e.Src)
		for j, out := range Exhaust(t, e.Name, e.Src, picks) {
			name := fmt.Sprintf("out%03d_%03d%s", i, j, ext)
			write(t, filepath.Join(dir, name), out)
			patched[name] = in
		}
	}
	return dir, patched
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TerraformFmt checks, when terraform is installed and not in -short mode, that
// terraform fmt accepts every patched file of dir whose input it accepts: fixes must not
// leave work for the formatter.
func TerraformFmt(t *testing.T, dir string, patched map[string]string) {
	t.Helper()
	terraform, err := exec.LookPath("terraform")
	if err != nil || testing.Short() {
		t.Skip("terraform is not installed, or -short")
	}
	cmd := exec.Command(terraform, "fmt", "-check", "-list=true", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	listed, _ := cmd.Output() // exit status 3 lists the files to format
	compare(t, dir, patched, strings.Fields(string(listed)), "terraform fmt")
}

// CFNLint checks, when cfn-lint is installed and not in -short mode, that cfn-lint can
// parse every patched template of dir whose input it can parse (rule E0000). Only syntax
// is compared: the changes are random, not fixes, so rules about values do not apply.
func CFNLint(t *testing.T, dir string, patched map[string]string) {
	t.Helper()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil || testing.Short() {
		t.Skip("cfn-lint is not installed, or -short")
	}
	// Only syntax is checked: the other rules are left out, which makes the run shorter.
	args := []string{"--format", "parseable", "--ignore-checks", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "W", "I", "--"}
	for out, in := range patched {
		args = append(args, out, in)
	}
	cmd := exec.Command(lint, args...)
	cmd.Dir = dir
	report, _ := cmd.Output() // the exit status says which levels were found
	var failed []string
	for _, line := range strings.Split(string(report), "\n") {
		// file:line:col:endline:endcol:rule:message
		if f := strings.SplitN(line, ":", 7); len(f) == 7 && f[5] == "E0000" {
			failed = append(failed, f[0])
		}
	}
	compare(t, dir, patched, failed, "cfn-lint")
}

// compare fails for every patched file that tool rejected (rejected holds names) when it
// accepted the file's input.
func compare(t *testing.T, dir string, patched map[string]string, rejected []string, tool string) {
	t.Helper()
	for out, in := range patched {
		if slices.Contains(rejected, out) && !slices.Contains(rejected, in) {
			before, _ := os.ReadFile(filepath.Join(dir, in))
			after, _ := os.ReadFile(filepath.Join(dir, out))
			t.Errorf("%s accepts the input but not the patched file:\n--- input:\n%s\n--- patched:\n%s", tool, before, after)
		}
	}
}
