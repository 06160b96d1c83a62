package cloudformation

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// Converter turns the document nodes of one file into evaluated graph values. It knows the
// Parameters, Mappings and Conditions of the file's templates (several for a
// serverless.yml whose resources are a list).
type Converter struct {
	file   *source.File
	format graph.Format
	params map[string]parameter

	mappings   map[string]*document.Node
	conditions map[string]*document.Node
	evaluated  map[string]truth // conditions evaluated so far; unknown while in progress
	// decidedBy are the traces of the values each evaluated condition compared: why it
	// came out as it did (a parameter's default, an override).
	decidedBy map[string][]graph.Step
	// extensions is set when a template declares the AWS::LanguageExtensions transform,
	// which is what makes Fn::ForEach a function rather than a key.
	extensions bool
	// loops binds the identifiers of the Fn::ForEach loops being expanded to the current
	// item of their collection.
	loops map[string]*graph.Value
	// sam is the Globals section of an AWS SAM template (nil without the transform).
	sam *samGlobals
	// files is where rain modules are read from (Options.Files); modules are the module
	// files being expanded, outermost first, against cycles.
	files     fs.FS
	modules   []string
	expanded  int  // entries the loops generated so far, bounded by the budgets
	truncated bool // the loops went over the total budget: the rest are not expanded
	lim       budget.Limits
	// budgetDiags are the budgets met while converting values, which Resources reports.
	budgetDiags source.Diagnostics
	vars        Variables
}

// Variables evaluates the serverless variables (`${opt:stage}`) of a scalar. It returns
// the value at the scalar's range, Unknown when the value cannot be known.
type Variables interface {
	Resolve(n *document.Node) *graph.Value
}

// parameter is a template parameter whose value is known: its override, or its Default.
type parameter struct {
	node     *document.Node // the Default, or nil for an override
	override string
	origin   source.Range // the Default, or the parameter's declaration for an override
	list     bool         // a CommaDelimitedList or List<…> parameter: the value splits on commas
	// trace explains the value: "parameter Env default", "parameter Env from --cfn-param".
	trace []graph.Step
	// value, when set, is the value computed elsewhere that the parameter stands for: a
	// rain module's parameter given by the calling resource's property.
	value *graph.Value
}

// NewConverter returns a converter for values of f, evaluated with opts against the
// Parameters, Mappings and Conditions of templates.
func NewConverter(f *source.File, format graph.Format, opts Options, templates ...*document.Node) *Converter {
	c := &Converter{
		file:       f,
		format:     format,
		params:     map[string]parameter{},
		mappings:   map[string]*document.Node{},
		conditions: map[string]*document.Node{},
		evaluated:  map[string]truth{},
		decidedBy:  map[string][]graph.Step{},
		loops:      map[string]*graph.Value{},
		files:      opts.Files,
		lim:        opts.Budget.WithDefaults(),
	}
	for _, t := range templates {
		c.addParameters(t.Get("Parameters"), opts)
		addSection(c.mappings, t.Get("Mappings"))
		addSection(c.conditions, t.Get("Conditions"))
		c.extensions = c.extensions || declaresExtensions(t.Get("Transform"))
		if c.sam == nil && declaresSAM(t.Get("Transform")) {
			c.sam = newSAMGlobals(t.Get("Globals"))
		}
	}
	return c
}

// WithVariables makes the converter evaluate serverless variables with vars; without it
// a scalar holding one is Unknown in the graph.Serverless format.
func (c *Converter) WithVariables(vars Variables) *Converter {
	c.vars = vars
	return c
}

func (c *Converter) addParameters(section *document.Node, opts Options) {
	if section == nil || section.Kind != document.Mapping {
		return
	}
	for _, p := range section.Pairs {
		typ := ""
		if t := p.Value.Get("Type"); t != nil {
			typ = t.Value
		}
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
			continue // the value names an SSM parameter, read at deploy time
		}
		list := typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
		name := p.Key.Value
		if v, ok := opts.Params[name]; ok {
			from := "--cfn-param"
			if file, ok := opts.ParamFiles[name]; ok {
				from = file
			}
			c.params[name] = parameter{override: v, origin: p.Key.Range, list: list, trace: step(p.Key.Range, "parameter "+name+" from "+from)}
			continue
		}
		def := p.Value.Get("Default")
		if def == nil || def.Kind != document.Scalar || def.Tag == document.NullTag || isApplicationTag(def.Tag) {
			continue // no literal default: a Ref to it stays Unknown
		}
		c.params[name] = parameter{node: def, origin: def.Range, list: list, trace: step(def.Range, "parameter "+name+" default")}
	}
}

// addSection indexes the entries of a Mappings or Conditions section by name.
func addSection(into map[string]*document.Node, section *document.Node) {
	if section == nil || section.Kind != document.Mapping {
		return
	}
	for _, p := range section.Pairs {
		if _, dup := into[p.Key.Value]; !dup {
			into[p.Key.Value] = p.Value
		}
	}
}

// declaresExtensions reports whether a Transform section names AWS::LanguageExtensions.
func declaresExtensions(n *document.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == document.Scalar {
		return n.Value == "AWS::LanguageExtensions"
	}
	return slices.ContainsFunc(n.Items, func(it *document.Node) bool { return it.Value == "AWS::LanguageExtensions" })
}

// ref resolves a Ref. A loop identifier yields the current item; a parameter with an
// override or a Default yields that value, ranged at the Ref with where it was defined as
// its Origin and the parameter as its Trace; AWS::NoValue is the marker that removes the
// property; anything else (a resource, a parameter without a default, a pseudo
// parameter) is Unknown.
func (c *Converter) ref(name string, at source.Range) *graph.Value {
	if item, ok := c.loops[name]; ok {
		return Computed(item, at)
	}
	p, ok := c.params[name]
	if !ok {
		return unknownRef(at, name, "")
	}
	if p.value != nil {
		return Traced(Computed(p.value, at), nil, p.trace)
	}
	origin := p.origin
	var v *graph.Value
	switch {
	case p.list:
		v = &graph.Value{Type: graph.List}
		text := p.override
		if p.node != nil {
			text = p.node.Value
		}
		if text != "" {
			for s := range strings.SplitSeq(text, ",") {
				v.Items = append(v.Items, &graph.Value{Type: graph.String, Str: strings.TrimSpace(s), Range: origin, Origin: &origin, Trace: p.trace})
			}
		}
	case p.node != nil:
		v = c.scalar(p.node)
	default:
		v = &graph.Value{Type: graph.String, Str: p.override}
	}
	v.Range, v.Origin, v.Trace, v.Refs = at, &origin, p.trace, []*graph.Ref{{Address: name, Range: at, Whole: true}}
	return v
}
