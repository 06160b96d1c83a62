package serverless

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// maxNesting bounds how many variables deep a resolution goes: serverless itself gives up
// on long chains, and a cycle (`a: ${self:b}`, `b: ${self:a}`) must end.
const maxNesting = 32

// maxLength bounds the strings variables build, below the string-bytes budget: a chain
// of variables each holding the next many times multiplies at every step, and each
// expansion copies what it builds.
const maxLength = 1 << 16

// resolver evaluates the variables of one serverless.yml the way `serverless deploy`
// does. Sources that are only known at deploy time (ssm, cf, aws, s3, params, a missing
// environment) are Unknown, whatever fallback follows them: the real value usually exists.
type resolver struct {
	doc     *document.Node
	opts    Options
	conv    *cloudformation.Converter
	nesting int
	active  map[*document.Node]bool // the nodes being resolved, to stop cycles
	// done holds the value of each node resolved: a chain of variables each using the
	// next twice must not take exponential time.
	done map[*document.Node]*graph.Value
	// targets holds the value of each node a variable reached, converted once however
	// many variables reach it; reached holds it explained by each variable that reaches it.
	targets map[*document.Node]*graph.Value
	reached map[reachKey]*graph.Value
	files   map[string]*document.Node // documents read by ${file(...)}, by path
	// sources are the files read, by path: the serverless.yml and the files included.
	sources map[string]*source.File
	// stack are the nodes being resolved, outermost first: the path a cycle is reported
	// with.
	stack      []*document.Node
	lim        budget.Limits
	expansions int
	spent      bool // the expansions budget ran out, and was reported
	diags      source.Diagnostics
}

// newResolver returns the resolver of the serverless.yml f, whose document is doc.
func newResolver(f *source.File, doc *document.Node, opts Options) *resolver {
	return &resolver{
		doc:     doc,
		opts:    opts,
		active:  map[*document.Node]bool{},
		done:    map[*document.Node]*graph.Value{},
		targets: map[*document.Node]*graph.Value{},
		reached: map[reachKey]*graph.Value{},
		files:   map[string]*document.Node{},
		sources: map[string]*source.File{f.Path: f},
		lim:     opts.Budget.WithDefaults(),
	}
}

// Resolve evaluates a scalar holding variables. A scalar that is one variable takes the
// variable's value, whatever its type; variables inside a longer string must be known
// scalars, and the result is a string. The value is ranged at the scalar and its Origin
// is where the value was defined (for options and fallbacks: the scalar itself).
func (r *resolver) Resolve(n *document.Node) *graph.Value {
	if v, ok := r.done[n]; ok {
		again := *v // the node is used twice (an alias): each use is a value of its own
		return &again
	}
	if r.active[n] {
		r.cycle(n)
		return unknown(n.Range)
	}
	if r.nesting >= maxNesting {
		r.diags = append(r.diags, source.Diagnostic{Severity: source.Warning, Summary: "Variables nest too deeply",
			Detail: fmt.Sprintf("resolving this value goes through more than %d variables; it is unknown.", maxNesting), Subject: &n.Range})
		return unknown(n.Range)
	}
	r.active[n] = true
	r.nesting++
	r.stack = append(r.stack, n)
	v := r.resolve(n)
	if size(v, r.lim.Values) > r.lim.Values {
		// Variables that are lists or mappings of other variables multiply at every level.
		e := &budget.Exceeded{Budget: budget.Values, Limit: int64(r.lim.Values), What: "the variable's value holds more values"}
		r.diags = append(r.diags, e.Diagnostic(&n.Range, "the value is unknown"))
		v = unknown(n.Range)
	}
	r.stack = r.stack[:len(r.stack)-1]
	delete(r.active, n)
	r.nesting--
	r.done[n] = v
	return v
}

const cycleSummary = "Cycle in serverless variables"

// cycle reports the variables that lead from n back to n, as serverless does ("Cannot
// resolve variable: circular reference"), at the value that closes the cycle.
func (r *resolver) cycle(n *document.Node) {
	from := slices.Index(r.stack, n)
	var path []string
	for _, m := range append(r.stack[from:], n) {
		path = append(path, fmt.Sprintf("%q (line %d)", m.Value, m.Range.Start.Line))
	}
	last := r.stack[len(r.stack)-1]
	r.diags = append(r.diags, source.Diagnostic{Severity: source.Error, Summary: cycleSummary,
		Detail:  "these values refer to each other: " + strings.Join(path, " → ") + ". They are unknown.",
		Subject: &last.Range})
}

// spend counts one variable expansion at n; false once the expansions budget is spent.
func (r *resolver) spend(n *document.Node) bool {
	if r.expansions++; r.expansions <= r.lim.Expansions {
		return true
	}
	if !r.spent {
		r.spent = true
		e := &budget.Exceeded{Budget: budget.Expansions, Limit: int64(r.lim.Expansions), What: "resolving the file's variables takes more expansions"}
		r.diags = append(r.diags, e.Diagnostic(&n.Range, "this and every later variable is unknown"))
	}
	return false
}

func (r *resolver) resolve(n *document.Node) *graph.Value {
	parts := split(n.Value)
	if len(parts) == 1 && parts[0].variable {
		v := r.expr(parts[0].text, n)
		switch {
		case v == nil:
			return unknown(n.Range)
		case v.Type == graph.Unknown:
			return unknownOf(n.Range, v)
		}
		return cloudformation.Computed(v, n.Range)
	}
	return r.interpolate(parts, n)
}

// interpolate builds the string of a scalar with variables among its text: each must be a
// known scalar. It is defined where the first variable's value is, and explained by how
// the variables' values were computed.
func (r *resolver) interpolate(parts []part, n *document.Node) *graph.Value {
	var (
		b      strings.Builder
		origin *source.Range
		traces [][]graph.Step
	)
	for _, p := range parts {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		v := r.expr(p.text, n)
		if v == nil {
			return unknown(n.Range)
		}
		s, ok := scalarString(v)
		if !ok {
			return unknownOf(n.Range, v)
		}
		if origin == nil {
			origin = definedAt(v, n)
		}
		traces = append(traces, v.Trace)
		b.WriteString(s)
		if limit := min(maxLength, r.lim.StringBytes); b.Len() > limit {
			e := &budget.Exceeded{Budget: budget.StringBytes, Limit: int64(limit), What: "the variables build a longer string"}
			r.diags = append(r.diags, e.Diagnostic(&n.Range, "the value is unknown"))
			return unknown(n.Range)
		}
	}
	if origin == nil {
		origin = &n.Range
	}
	return &graph.Value{Type: graph.String, Str: b.String(), Range: n.Range, Origin: origin,
		Trace: cloudformation.Combined(n.Range, "string interpolation", traces...)}
}

// expr evaluates the inside of one `${...}`: each comma-separated candidate in turn until
// one has a value. It returns nil when none has (serverless stops there with "value not
// found"; a fallback that is a variable moves on to the next candidate). A known value's
// Trace ends with a step for each variable it went through.
func (r *resolver) expr(text string, n *document.Node) *graph.Value {
	if !r.spend(n) {
		return unknown(n.Range)
	}
	candidates := splitCandidates(text)
	for i, candidate := range candidates {
		what := candidate // a literal written alone: `${'x'}`
		if i > 0 {
			what = "default of " + candidates[0]
		}
		if v := r.candidate(candidate, what, n); v != nil {
			return v
		}
	}
	return nil
}

// nested replaces the variables nested in an expression (`self:custom.${opt:stage}`) by
// their text, and returns how their values were computed; it fails when one is not a
// known scalar.
func (r *resolver) nested(text string, n *document.Node) (string, []graph.Step, bool) {
	if !strings.Contains(text, "${") {
		return text, nil, true
	}
	var (
		b     strings.Builder
		trace []graph.Step
	)
	for _, p := range split(text) {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		v := r.expr(p.text, n)
		if v == nil {
			return "", nil, false
		}
		s, ok := scalarString(v)
		if !ok {
			return "", nil, false
		}
		b.WriteString(s)
		trace = append(trace, v.Trace...)
	}
	return b.String(), trace, true
}

// candidate evaluates one candidate of an expression: a variable (`${self:a}` as a
// fallback), a literal fallback, explained as `fallback` says, or a source, whose address
// may hold variables (`self:custom.${opt:stage}`): their steps come first. It returns nil
// when the candidate has no value, so that the next one is tried.
func (r *resolver) candidate(c, fallback string, n *document.Node) *graph.Value {
	if parts := split(c); len(parts) == 1 && parts[0].variable {
		return r.expr(parts[0].text, n)
	}
	c, keys, ok := r.nested(c, n)
	if !ok {
		return unknown(n.Range)
	}
	if v := r.literal(c, n); v != nil {
		return traced(v, v.Range, fallback)
	}
	v := r.source(c, n)
	if v == nil || v.Type == graph.Unknown {
		return v
	}
	return cloudformation.Traced(v, keys, nil)
}

// literal returns a fallback written as a quoted string, a number or a boolean, or nil.
func (r *resolver) literal(c string, n *document.Node) *graph.Value {
	if s, ok := quoted(c); ok {
		return &graph.Value{Type: graph.String, Str: s, Range: r.within(n, c)}
	}
	if num, err := strconv.ParseFloat(c, 64); err == nil {
		return &graph.Value{Type: graph.Number, Num: num, Str: c, Range: r.within(n, c)}
	}
	if c == "true" || c == "false" {
		return &graph.Value{Type: graph.Bool, Bool: c == "true", Range: r.within(n, c)}
	}
	return nil
}

// source reads `source:address` (or `file(path):address`). Sources only known at deploy
// time are Unknown.
func (r *resolver) source(c string, n *document.Node) *graph.Value {
	if rest, ok := strings.CutPrefix(c, "file("); ok {
		name, key, ok := strings.Cut(rest, ")")
		if key != "" && !strings.HasPrefix(key, ":") || !ok {
			return unknown(n.Range)
		}
		return r.reach(r.file(strings.TrimSpace(name), strings.TrimSpace(strings.TrimPrefix(key, ":")), n), c)
	}
	src, addr, ok := strings.Cut(c, ":")
	if !ok {
		return unknown(n.Range)
	}
	src, addr = strings.TrimSpace(src), strings.TrimSpace(addr)
	switch {
	case src == "self":
		return r.reach(r.self(addr, n), "self:"+addr)
	case src == "opt":
		return traced(r.lookup(r.opts.Opts, addr, n), r.within(n, c), "opt:"+addr+" from --sls-opt")
	case src == "env":
		if r.opts.Env == nil {
			return unknown(n.Range)
		}
		if s, ok := r.opts.Env(addr); ok {
			return traced(&graph.Value{Type: graph.String, Str: s, Range: n.Range}, r.within(n, c), "env:"+addr+" from the environment")
		}
		return nil
	case src == "sls" && addr == "stage":
		return traced(r.expr("opt:stage, self:provider.stage, 'dev'", n), r.within(n, c), "sls:stage")
	}
	return unknown(n.Range) // ssm, cf, aws, s3, param, sls:instanceId, a plugin's source
}

// lookup returns the option key, at the variable, or nil when it was not given.
func (r *resolver) lookup(m map[string]string, key string, n *document.Node) *graph.Value {
	if s, ok := m[key]; ok {
		return &graph.Value{Type: graph.String, Str: s, Range: n.Range}
	}
	return nil
}

// self reads a dotted path of the configuration, resolving the variables it passes
// through (`custom: ${file(./custom.yml)}`).
func (r *resolver) self(addr string, n *document.Node) *graph.Value {
	if addr == "" {
		return unknown(n.Range)
	}
	return r.walk(r.doc, strings.Split(addr, "."), n)
}

// walk follows path from node and converts what it reaches. A missing key is nil: the
// next candidate applies.
func (r *resolver) walk(node *document.Node, path []string, n *document.Node) *graph.Value {
	for i, key := range path {
		if node.Kind == document.Scalar && strings.Contains(node.Value, "${") {
			return lookupValue(r.Resolve(node), path[i:], n)
		}
		node = child(node, key)
		if node == nil {
			return nil
		}
	}
	v, ok := r.targets[node]
	if !ok {
		v = r.conv.Value(node)
		r.targets[node] = v
	}
	if v.Type == graph.Null {
		return nil
	}
	return v
}

// child returns the entry key of a mapping or the item at index key of a sequence.
func child(node *document.Node, key string) *document.Node {
	if node.Kind == document.Sequence {
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(node.Items) {
			return nil
		}
		return node.Items[i]
	}
	return node.Get(key)
}

// lookupValue follows the rest of a path through a value a variable resolved to.
func lookupValue(v *graph.Value, path []string, n *document.Node) *graph.Value {
	for _, key := range path {
		switch v.Type {
		case graph.Map:
			v = v.Lookup(key)
		case graph.List:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(v.Items) {
				return nil
			}
			v = v.Items[i]
		case graph.Unknown:
			return unknown(n.Range)
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// file reads `${file(./x.yml):a.b}`: the value at a.b (the whole document without a key)
// of a YAML or JSON file, evaluated. Without a tree to read, or for another kind of file
// (a JavaScript module), it is Unknown; a file that does not exist has no value.
func (r *resolver) file(name, addr string, n *document.Node) *graph.Value {
	doc, known := r.document(name, n)
	switch {
	case !known:
		return unknown(n.Range)
	case doc == nil:
		return nil
	}
	var keys []string
	if addr != "" {
		keys = strings.Split(addr, ".")
	}
	return r.walk(doc, keys, n)
}

// include returns the node that a scalar which is one `${file(...)}` or
// `${file(...):key}` variable stands for, as written in that file, or nil. It is how the
// sections serverless merges (a list of resources, of functions) are read from files.
func (r *resolver) include(n *document.Node) *document.Node {
	parts := split(n.Value)
	if n.Kind != document.Scalar || len(parts) != 1 || !parts[0].variable {
		return nil
	}
	rest, isFile := strings.CutPrefix(strings.TrimSpace(parts[0].text), "file(")
	name, key, closed := strings.Cut(rest, ")")
	if !isFile || !closed || key != "" && !strings.HasPrefix(key, ":") {
		return nil
	}
	doc, _ := r.document(strings.TrimSpace(name), n)
	for k := range strings.SplitSeq(strings.TrimSpace(strings.TrimPrefix(key, ":")), ".") {
		if doc != nil && k != "" {
			doc = child(doc, k)
		}
	}
	return doc
}

// document returns the document of the file `${file(name)}` names in n: relative to the
// directory of the file holding the variable, it must lie inside Options.Files and be
// YAML or JSON. known is false when the file cannot be read for that reason; doc is nil
// when the file does not exist or does not parse.
func (r *resolver) document(name string, n *document.Node) (doc *document.Node, known bool) {
	p := path.Join(path.Dir(n.Range.Path), strings.Trim(name, `'"`))
	ext := path.Ext(p)
	if r.opts.Files == nil || !fs.ValidPath(p) || (ext != ".yml" && ext != ".yaml" && ext != ".json") {
		return nil, false
	}
	doc, ok := r.files[p]
	if !ok {
		doc = r.readFile(p, ext)
		r.files[p] = doc
	}
	return doc, true
}

// readFile parses a file ${file(...)} names, or returns nil when it cannot be read.
func (r *resolver) readFile(p, ext string) *document.Node {
	src, err := fs.ReadFile(r.opts.Files, p)
	if err != nil {
		return nil
	}
	parse := document.ParseYAML
	if ext == ".json" {
		parse = document.ParseJSON
	}
	f := source.NewFile(p, src)
	doc, diags := parse(f)
	if diags.HasErrors() {
		return nil
	}
	r.sources[p] = f
	return doc
}

// within returns the range of a fallback's text inside the scalar n, so that the value's
// Origin points at the fallback itself; n's range when the text is not written as is
// (escapes, a folded scalar).
func (r *resolver) within(n *document.Node, text string) source.Range {
	f := r.sources[n.Range.Path]
	if f == nil || n.Range.End.Byte > len(f.Src) {
		return n.Range
	}
	start := n.Range.Start.Byte
	i := strings.Index(string(f.Src[start:n.Range.End.Byte]), text)
	if i < 0 {
		return n.Range
	}
	return f.Range(start+i, start+i+len(text))
}

// definedAt is where a variable's value v was defined, or nil when it was given at the
// variable itself (an option, an environment variable, a fallback).
func definedAt(v *graph.Value, n *document.Node) *source.Range {
	if v.Origin != nil {
		return v.Origin
	}
	if v.Range != n.Range {
		return &v.Range
	}
	return nil
}

// traced is v, when it is known, explained by a last step at `at`.
func traced(v *graph.Value, at source.Range, what string) *graph.Value {
	if v == nil || v.Type == graph.Unknown {
		return v
	}
	return cloudformation.Traced(v, nil, []graph.Step{{Range: at, What: what}})
}

// reachKey identifies a value that a variable reached, and the variable.
type reachKey struct {
	v    *graph.Value
	what string
}

// reach is the value v a variable reached where it is written (`self:custom.x`,
// `file(./x.yml):key`), explained by a last step there; once for every variable that
// reaches it, however often it is written.
func (r *resolver) reach(v *graph.Value, what string) *graph.Value {
	if v == nil {
		return nil
	}
	k := reachKey{v, what}
	out, ok := r.reached[k]
	if !ok {
		out = traced(v, v.Range, what)
		r.reached[k] = out
	}
	return out
}

func unknown(at source.Range) *graph.Value { return &graph.Value{Type: graph.Unknown, Range: at} }

// unknownOf is Unknown at `at` with the references v makes.
func unknownOf(at source.Range, v *graph.Value) *graph.Value {
	out := unknown(at)
	v.Walk(func(x *graph.Value) { out.Refs = append(out.Refs, graph.PartOf(x.Refs)...) })
	return out
}

// scalarString returns the text of a known scalar other than null.
func scalarString(v *graph.Value) (string, bool) {
	if v.Type == graph.Null {
		return "", false
	}
	return v.AsString()
}

// size counts the values v holds at every depth, up to a little past limit.
func size(v *graph.Value, limit int) int {
	n := 1
	for _, it := range v.Items {
		if n > limit {
			return n
		}
		n += size(it, limit-n)
	}
	for _, a := range v.Attrs {
		if n > limit {
			return n
		}
		if a.Value != nil {
			n += size(a.Value, limit-n)
		}
	}
	return n
}
