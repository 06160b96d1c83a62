package cloudformation

import (
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// AWS SAM (the AWS::Serverless-2016-10-31 transform) is read as what the transform
// deploys: a resource of type AWS::Serverless::X becomes the CloudFormation resources SAM
// generates from it, of the canonical kinds rules already select on. A function is a
// Lambda function plus, unless it names a Role, the IAM role SAM creates for it with the
// permissions its Policies grant (policy templates expanded into their statements). What
// the generated resources hold is ranged where the SAM template writes it, so findings
// point at the SAM source; what SAM adds on its own (the role's trust policy, its basic
// execution policy) is ranged at the SAM resource and marked as generated (an Origin), so
// fixes never edit it. Properties that SAM spells differently from CloudFormation are in
// the body under both names (Tracing: Active is also TracingConfig.Mode, the same value),
// and the resource's Respell turns a fix that adds the CloudFormation spelling into the
// SAM one.

// samTransform is the transform that makes a template an AWS SAM template.
const samTransform = "AWS::Serverless-2016-10-31"

// samPrefix starts the SAM resource types.
const samPrefix = "AWS::Serverless::"

// declaresSAM reports whether a Transform section names the SAM transform.
func declaresSAM(n *document.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == document.Scalar {
		return n.Value == samTransform
	}
	return slices.ContainsFunc(n.Items, func(it *document.Node) bool { return it.Value == samTransform })
}

// samGlobals is the Globals section of a SAM template, by resource type ("Function").
type samGlobals struct {
	section *document.Node            // the whole Globals mapping, for range checks
	byType  map[string]*document.Node // "Function" → its mapping
}

func newSAMGlobals(n *document.Node) *samGlobals {
	g := &samGlobals{byType: map[string]*document.Node{}}
	if n == nil || n.Kind != document.Mapping {
		return g
	}
	g.section = n
	for _, p := range n.Pairs {
		if p.Value.Kind == document.Mapping {
			g.byType[p.Key.Value] = p.Value
		}
	}
	return g
}

// holds reports whether r lies inside the Globals section.
func (g *samGlobals) holds(r source.Range) bool {
	s := g.section
	return s != nil && r.Path == s.Range.Path && r.Start.Byte >= s.Range.Start.Byte && r.End.Byte <= s.Range.End.Byte
}

// properties returns the Properties of a SAM resource of the given type (without the
// prefix, "Function") with the Globals of that type merged in, as SAM merges them: a
// value the resource sets wins over the global one, except that mappings are merged key by
// key (recursively) and lists are concatenated, the global items first. The merged nodes
// keep the ranges of the nodes they came from.
func (g *samGlobals) properties(typ string, props *document.Node) *document.Node {
	global := g.byType[typ]
	if global == nil {
		return props
	}
	if props == nil {
		return global
	}
	return mergeGlobal(global, props)
}

func mergeGlobal(global, local *document.Node) *document.Node {
	if _, _, fn := intrinsic(local); fn {
		return local
	}
	if _, _, fn := intrinsic(global); fn {
		return local
	}
	switch {
	case global.Kind == document.Mapping && local.Kind == document.Mapping:
		merged := *local
		merged.Pairs = nil
		for _, gp := range global.Pairs {
			if local.Pair(gp.Key.Value) == nil {
				merged.Pairs = append(merged.Pairs, gp)
			}
		}
		for _, lp := range local.Pairs {
			if gp := global.Pair(lp.Key.Value); gp != nil {
				lp.Value = mergeGlobal(gp.Value, lp.Value)
			}
			merged.Pairs = append(merged.Pairs, lp)
		}
		return &merged
	case global.Kind == document.Sequence && local.Kind == document.Sequence:
		merged := *local
		merged.Items = append(slices.Clone(global.Items), local.Items...)
		return &merged
	}
	return local
}

// markGlobals marks the values of body that come from the Globals section: each is
// defined there, for every resource that inherits it, so it gets its place in Globals as
// Origin and "Globals.Function.Tracing" as its trace, and fixes suggest changing it there.
func (g *samGlobals) markGlobals(typ string, body *graph.Value) {
	if g.section == nil {
		return
	}
	var mark func(v *graph.Value, path string)
	mark = func(v *graph.Value, path string) {
		if v.Origin == nil && g.holds(v.Range) {
			origin := v.Range
			v.Origin = &origin
			if v.Trace == nil {
				v.Trace = step(v.Range, "Globals."+typ+"."+path)
			}
		}
		for i, it := range v.Items {
			mark(it, path+"["+strconv.Itoa(i)+"]")
		}
		for _, a := range v.Attrs {
			mark(a.Value, path+"."+a.Name)
		}
	}
	for _, a := range body.Attrs {
		mark(a.Value, a.Name)
	}
}

// samResources converts a resource of a SAM type into the resources the transform
// generates. ok is false for any other type.
func (c *Converter) samResources(id string, key, value *document.Node) (rs []*graph.Resource, diags source.Diagnostics, ok bool) {
	typ := value.Get("Type")
	if typ == nil || typ.Kind != document.Scalar || !strings.HasPrefix(typ.Value, samPrefix) || isApplicationTag(typ.Tag) {
		return nil, nil, false
	}
	short := strings.TrimPrefix(typ.Value, samPrefix)
	conv, known := samConverters[short]
	if !known {
		conv = (*Converter).samPlain
	}
	if cond := value.Get("Condition"); cond != nil && cond.Kind == document.Scalar && c.condition(cond.Value) == condFalse {
		return nil, nil, true
	}
	props := value.Get("Properties")
	if props != nil && props.Kind != document.Mapping {
		if _, _, fn := intrinsic(props); !fn {
			d := source.Errorf(&props.Range, "the Properties of resource %q are not a mapping", id)
			return nil, source.Diagnostics{d}, true
		}
	}
	merged := c.globals().properties(short, props)
	var body *graph.Value
	if merged == nil {
		body = &graph.Value{Type: graph.Map, Range: value.Range}
	} else if body = c.Value(merged); body.Type != graph.Map {
		body = &graph.Value{Type: graph.Unknown, Range: merged.Range}
	}
	c.globals().markGlobals(short, body)
	if props == nil && merged != nil {
		// Every property comes from Globals: a fix adding one belongs in the resource,
		// which has no Properties to add it to, not in Globals, which all resources share.
		origin := body.Range
		body.Origin = &origin
	}
	main := c.declared(id, key, value, typ.Value, body)
	s := &samResource{conv: c, main: main, short: short}
	diags = conv(c, s)
	if len(c.loops) > 0 {
		for _, r := range s.out() {
			shared(r.Body)
		}
	}
	return s.out(), diags, true
}

// globals returns the template's Globals; an empty set without the SAM transform, which
// is what gives the section its meaning.
func (c *Converter) globals() *samGlobals {
	if c.sam == nil {
		return noGlobals
	}
	return c.sam
}

// noGlobals are the Globals of a template without the SAM transform.
var noGlobals = newSAMGlobals(nil)

// samResource is one SAM resource being converted: the main generated resource (which
// keeps the SAM resource's logical ID) and the others SAM generates beside it.
type samResource struct {
	conv      *Converter
	main      *graph.Resource
	short     string // the SAM type without its prefix
	generated []*graph.Resource
}

func (s *samResource) out() []*graph.Resource {
	return append([]*graph.Resource{s.main}, s.generated...)
}

// samConverters convert each SAM type; a type not listed keeps its body as written.
var samConverters = map[string]func(*Converter, *samResource) source.Diagnostics{
	"Function":     (*Converter).samFunction,
	"StateMachine": (*Converter).samStateMachine,
	"Api":          (*Converter).samAPI,
	"HttpApi":      (*Converter).samHTTPAPI,
	"SimpleTable":  (*Converter).samSimpleTable,
	"LayerVersion": (*Converter).samLayer,
	"Application":  (*Converter).samApplication,
}

// samPlain keeps a SAM resource SAM generates nothing known from under its own type.
func (c *Converter) samPlain(s *samResource) source.Diagnostics {
	s.main.Kind = graph.Kind(s.main.Native)
	return nil
}

func (c *Converter) samSimpleTable(s *samResource) source.Diagnostics {
	s.main.Kind = graph.CloudFormationKind("AWS::DynamoDB::Table")
	return nil
}

func (c *Converter) samLayer(s *samResource) source.Diagnostics {
	s.main.Kind = graph.CloudFormationKind("AWS::Lambda::LayerVersion")
	alias(s.main.Body, "ContentUri", "Content")
	return nil
}

func (c *Converter) samApplication(s *samResource) source.Diagnostics {
	s.main.Kind = graph.CloudFormationKind("AWS::CloudFormation::Stack")
	alias(s.main.Body, "Location", "TemplateURL")
	return nil
}

// alias adds to body the attribute written as from under the name to, sharing its value:
// a SAM property whose CloudFormation twin has another name.
func alias(body *graph.Value, from, to string) *graph.Attribute {
	a := body.Get(from)
	if a == nil || body.Get(to) != nil {
		return nil
	}
	twin := &graph.Attribute{Name: to, NameRange: a.NameRange, Range: a.Range, Value: a.Value}
	body.Attrs = append(body.Attrs, twin)
	return twin
}

// wrapped adds to body the attribute to, a map holding the value of from under inner:
// SAM's `Tracing: Active` is CloudFormation's `TracingConfig: {Mode: Active}`.
func wrapped(body *graph.Value, from, to, inner string) {
	a := body.Get(from)
	if a == nil || body.Get(to) != nil {
		return
	}
	m := &graph.Value{Type: graph.Map, Range: a.Value.Range, Origin: a.Value.Origin, Trace: a.Value.Trace,
		Attrs: []*graph.Attribute{{Name: inner, NameRange: a.NameRange, Range: a.Range, Value: a.Value}}}
	body.Attrs = append(body.Attrs, &graph.Attribute{Name: to, NameRange: a.NameRange, Range: a.Range, Value: m})
}

// generated returns a value SAM generates rather than the template writing it: ranged at
// the SAM resource's header, and with that as its Origin and "generated by AWS SAM for X"
// as its trace, so that a finding about it points at the SAM resource and no fix edits it.
func (s *samResource) generatedValue(v *graph.Value) *graph.Value {
	at := s.main.Header
	trace := step(at, "generated by AWS SAM for "+s.main.Name)
	v.Walk(func(x *graph.Value) {
		x.Range, x.Trace = at, trace
		origin := at
		x.Origin = &origin
		for _, a := range x.Attrs {
			a.NameRange, a.Range = at, at
		}
	})
	return v
}

// add adds a resource SAM generates beside the main one, of the CloudFormation type
// native, with its own address.
func (s *samResource) add(address, native string, body *graph.Value, header source.Range) *graph.Resource {
	r := &graph.Resource{
		ID:     graph.ID{Path: s.main.ID.Path, Address: address},
		Kind:   graph.CloudFormationKind(native),
		Native: native,
		Format: s.main.Format,
		Scope:  s.main.Scope,
		Name:   address,
		Range:  s.main.Range,
		Header: header,
		Body:   body,
	}
	s.generated = append(s.generated, r)
	return r
}

// refTo is an Unknown value that references address's attribute (a GetAtt), generated.
func (s *samResource) refTo(address, attr string) *graph.Value {
	at := s.main.Header
	origin := at
	return &graph.Value{Type: graph.Unknown, Range: at, Origin: &origin,
		Trace: step(at, "generated by AWS SAM for "+s.main.Name),
		Refs:  []*graph.Ref{{Address: address, Attr: attr, Range: at, Whole: true}}}
}

// generatedAttr is an attribute SAM generates, ranged at the SAM resource's header.
func (s *samResource) generatedAttr(name string, v *graph.Value) *graph.Attribute {
	return &graph.Attribute{Name: name, NameRange: s.main.Header, Range: s.main.Header, Value: v}
}

// implicitAPIs returns the APIs SAM creates for function events of type Api or HttpApi
// that name no API of the template: ServerlessRestApi with its Prod stage, and
// ServerlessHttpApi with its $default stage, configured by Globals.Api / Globals.HttpApi.
// They are ranged at the first event that implies them (Globals, when set, is where a fix
// changes them).
func (c *Converter) implicitAPIs(section *document.Node) []*graph.Resource {
	if c.sam == nil {
		return nil
	}
	kinds := []struct {
		event, apiProperty, id, short, native, stageNative, stageID, apiRef string
		stageProps                                                          map[string]string
	}{
		{"Api", "RestApiId", "ServerlessRestApi", "Api", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "ProdStage", "RestApiId", restStageProperties},
		{"HttpApi", "ApiId", "ServerlessHttpApi", "HttpApi", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "ApiGatewayDefaultStage", "ApiId", httpStageProperties},
	}
	var out []*graph.Resource
	for _, k := range kinds {
		at := implyingEvent(section, k.event, k.apiProperty)
		if at == nil || section.Get(k.id) != nil {
			continue
		}
		var body *graph.Value
		if global := c.sam.byType[k.short]; global != nil {
			body = c.Value(global)
			c.sam.markGlobals(k.short, body)
		}
		api := &graph.Resource{ID: graph.ID{Path: c.file.Path, Address: k.id}, Kind: graph.CloudFormationKind(k.native), Native: k.native,
			Format: c.format, Scope: c.file.Path, Name: k.id, Range: at.Range, Header: at.Range}
		s := &samResource{conv: c, main: api}
		if body == nil || body.Type != graph.Map {
			body = s.generatedValue(graph.MapValue(false))
		}
		api.Body = body
		stage := s.stage(k.stageNative, k.apiRef, k.stageProps, k.stageID)
		stage.ID.Address, stage.Name = k.id+k.stageID, k.id+k.stageID
		out = append(out, s.out()...)
	}
	return out
}

// implyingEvent returns the key of the first event of a SAM function of the given type
// that names no API (apiProperty), or nil.
func implyingEvent(section *document.Node, eventType, apiProperty string) *document.Node {
	for _, r := range section.Pairs {
		if t := r.Value.Get("Type"); t == nil || t.Value != samPrefix+"Function" {
			continue
		}
		for _, e := range mapPairs(r.Value.Get("Properties").Get("Events")) {
			if t := e.Value.Get("Type"); t == nil || t.Value != eventType {
				continue
			}
			if e.Value.Get("Properties").Get(apiProperty) == nil {
				return e.Key
			}
		}
	}
	return nil
}
