package terraform

import (
	"encoding/json"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// fuzzBudget keeps each fuzzed evaluation small, so that the fuzzer explores shapes
// rather than sizes; budgets themselves are under test too.
var fuzzBudget = budget.Limits{Values: 4096, StringBytes: 1 << 14, Instances: 64, TotalInstances: 256, Steps: 4096}

// FuzzExpression evaluates an arbitrary expression as a local that a resource reads, with
// variables, locals and functions in scope: it must not panic, stay within its budgets,
// and every range must lie in the file.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		`setproduct(range(64), range(64), range(64))`,
		`[for i in range(10) : format("%08d-%s", i, upper(var.name))]`,
		`{ for k, v in var.tags : lower(k) => v if v != "" }`,
		`jsondecode(jsonencode({a = [1, 2, {b = null}]}))`,
		`templatefile("t.tpl", { name = var.name })`,
		`try(file("../etc/passwd"), fileexists("x"), "fallback")`,
		`cidrsubnets("10.0.0.0/16", 4, 4, 8)`,
		`"${var.name}${var.name}${local.other}"`,
		`merge(var.tags, { Name = join("-", split(",", "a,b,c")) })`,
		`indent(100000, "a\nb\nc")`,
		`yamldecode("a: [1, 2, &x {b: *x}]")`,
		`flatten([for a in var.list : [for b in var.list : [a, b]]])`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		src := "variable \"name\" { default = \"web\" }\nvariable \"tags\" { default = { Env = \"prod\" } }\n" +
			"variable \"list\" { default = [\"a\", \"b\"] }\nlocals {\n  other = \"o\"\n  x = " + expr + "\n}\n" +
			"resource \"aws_s3_bucket\" \"b\" {\n  bucket = local.x\n}\n"
		file := source.NewFile("m/main.tf", []byte(src))
		root := fstest.MapFS{"m/t.tpl": {Data: []byte("hello ${name} %{ for i in [1, 2] }${i}%{ endfor }")}}
		rs, diags := LoadModules([]*source.File{file}, Options{Root: root, Budget: fuzzBudget})
		checkRanges(t, file, rs, diags)
	})
}

// FuzzFunction calls each function, guarded as evaluation guards it, with arguments
// decoded from JSON: whatever the values, a call returns a value or an error.
func FuzzFunction(f *testing.F) {
	for _, s := range []string{`[[1,2],[3,4]]`, `["%0999999999d", 1]`, `[1000000, "a\nb"]`, `["10.0.0.0/8", 8, 300]`, `[{"a":[1]}, {"b":"c"}]`, `["a,b", ","]`, `[]`, `[null]`} {
		f.Add(uint8(0), s)
	}
	var lim budget.Limits = fuzzBudget
	f.Fuzz(func(t *testing.T, which uint8, args string) {
		m := newMeter(lim, func(source.Diagnostic) {})
		fns := functionsFor(&fileReader{root: fstest.MapFS{"m/a.txt": {Data: []byte("a")}}, dir: "m"}, m)
		names := make([]string, 0, len(fns))
		for name := range fns {
			names = append(names, name)
		}
		slices.Sort(names)
		var raw []json.RawMessage
		if json.Unmarshal([]byte(args), &raw) != nil {
			return
		}
		var vals []cty.Value
		for _, r := range raw {
			ty, err := ctyjson.ImpliedType(r)
			if err != nil {
				return
			}
			v, err := ctyjson.Unmarshal(r, ty)
			if err != nil {
				return
			}
			vals = append(vals, v)
		}
		name := names[int(which)%len(names)]
		if name == "try" || name == "can" {
			return // they take expressions, not values
		}
		v, err := fns[name].Call(vals)
		if err == nil && m.size(v, name) != nil {
			t.Fatalf("%s returned a value past its budget", name)
		}
	})
}
