package policy

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// dataDoc is what an aws_iam_policy_document yields: its statements, merged with those of
// its source and override documents, and the parts of it not statically known.
type dataDoc struct {
	statements []*Statement
	unresolved []Unknown
}

// reader reads documents, each aws_iam_policy_document once, so that a data source
// attached to several resources yields the same statements (and one finding each).
type reader struct {
	data    map[*graph.Resource]*dataDoc
	reading map[*graph.Resource]bool // the data sources being read: a cycle reads nothing more
}

func newReader() *reader {
	return &reader{data: map[*graph.Resource]*dataDoc{}, reading: map[*graph.Resource]bool{}}
}

// dataDocument reads an aws_iam_policy_document: the statements of its source documents,
// then its own, then those of its override documents. A statement with a Sid replaces the
// earlier statements with the same Sid, as Terraform merges them.
func (rd *reader) dataDocument(doc *graph.Resource) *dataDoc {
	if d, ok := rd.data[doc]; ok {
		return d
	}
	if rd.reading[doc] {
		return &dataDoc{}
	}
	rd.reading[doc] = true
	d := &dataDoc{}
	body := doc.Body
	if !body.Known() {
		d.unresolved = unknownIn(doc, body, documentUnknownWhy)
	}
	rd.merge(d, doc, "source_policy_documents", "source_json")
	var own []*Statement
	for i, st := range body.Elements("statement") {
		own = append(own, dataStatement(doc, st, i+1))
	}
	for _, dyn := range body.UnexpandedBlocks("statement") {
		s := &Statement{Resource: doc, At: dyn, Index: len(own) + 1, Unknown: true}
		s.effectUnknown = unknownIn(doc, dyn, statementUnknownWhy)
		s.public = s.effectUnknown
		own = append(own, s)
	}
	d.statements = override(d.statements, own)
	rd.merge(d, doc, "override_policy_documents", "override_json")
	delete(rd.reading, doc)
	rd.data[doc] = d
	return d
}

// merge adds the statements of the documents doc's attributes names list (or hold), each
// replacing the statements with its Sid.
func (rd *reader) merge(d *dataDoc, doc *graph.Resource, names ...string) {
	for _, name := range names {
		a := doc.Get(name)
		if a == nil {
			continue
		}
		items := []*graph.Value{a.Value}
		if a.Value.Type == graph.List {
			items = a.Value.Items
		} else if !a.Value.Known() && soleRef(a.Value) == nil {
			d.unresolved = append(d.unresolved, unknownIn(doc, a.Value, documentUnknownWhy)...)
			continue
		}
		for _, it := range items {
			sts, unresolved := rd.embedded(doc, it)
			d.statements = override(d.statements, sts)
			d.unresolved = append(d.unresolved, unresolved...)
		}
	}
}

// embedded reads a document given as a value: a JSON string, a jsonencode object or the
// json of another aws_iam_policy_document.
func (rd *reader) embedded(r *graph.Resource, v *graph.Value) ([]*Statement, []Unknown) {
	switch v.Type {
	case graph.Null:
		return nil, nil
	case graph.String:
		return jsonStatements(r, parseJSON(v.Str, v.Range)), nil
	case graph.Map:
		return jsonStatements(r, v), nil
	}
	if data := DataRef(v); data != nil {
		d := rd.dataDocument(data)
		return d.statements, d.unresolved
	}
	return nil, unknownIn(r, v, documentUnknownWhy)
}

// override returns base with the statements of more added, each replacing those of base
// with the same Sid.
func override(base, more []*Statement) []*Statement {
	for _, m := range more {
		if m.Sid == "" {
			continue
		}
		kept := base[:0:0]
		for _, b := range base {
			if b.Sid != m.Sid {
				kept = append(kept, b)
			}
		}
		base = kept
	}
	return append(base, more...)
}

// DataRef returns the aws_iam_policy_document whose json a value is, or nil.
func DataRef(v *graph.Value) *graph.Resource {
	ref := soleRef(v)
	if ref == nil || ref.Target == nil || ref.Target.Kind != graph.IAMPolicyDocument {
		return nil
	}
	if ref.Attr != "json" && ref.Attr != "minified_json" {
		return nil
	}
	return ref.Target
}

// soleRef returns the reference of an Unknown value that is exactly one reference, or nil.
func soleRef(v *graph.Value) *graph.Ref {
	if v == nil || v.Type != graph.Unknown || len(v.Refs) != 1 || !v.Refs[0].Whole {
		return nil
	}
	return v.Refs[0]
}

// dataStatement reads one `statement` block; its effect defaults to Allow.
func dataStatement(doc *graph.Resource, st *graph.Value, index int) *Statement {
	s := &Statement{Resource: doc, At: st, Index: index, Effect: "Allow"}
	s.Sid, _ = st.Lookup("sid").AsString()
	known := true
	var effect []Unknown
	if e := st.Get("effect"); e != nil {
		s.Effect, known = e.Value.AsString()
		effect = unknownIn(doc, e.Value, effectUnknownWhy)
	}
	principalUnknown := s.readPrincipals(st)
	s.Actions = dataElements(st, "actions", "not_actions")
	s.Resources = dataElements(st, "resources", "not_resources")
	var condition []Unknown
	knownPin := false
	for _, c := range st.Elements("condition") {
		s.Conditional = true
		variable := c.Lookup("variable")
		key, ok := variable.AsString()
		known = known && ok
		if !ok {
			condition = append(condition, unknownIn(doc, variable, conditionUnknownWhy)...)
			continue
		}
		test, _ := c.Lookup("test").AsString()
		s.Conditions = append(s.Conditions, Condition{Operator: test, Key: key, Values: c.Lookup("values")})
		pinKnown, values := s.pin(doc, key, c.Lookup("values"))
		knownPin, condition = knownPin || pinKnown, append(condition, values...)
	}
	for _, dyn := range st.UnexpandedBlocks("condition") {
		s.Conditional, known = true, false
		condition = append(condition, unknownIn(doc, dyn, conditionUnknownWhy)...)
	}
	if knownPin {
		condition = nil
	}
	s.Unknown = !known || (s.Principal == nil && principalUnknown != nil)
	s.settle(effect, unknownIn(doc, principalUnknown, principalUnknownWhy), condition)
	return s
}

// readPrincipals reads the `principals` blocks, then the `not_principals` ones, and
// returns the first principal not statically known when none is a wildcard.
func (s *Statement) readPrincipals(st *graph.Value) (principalUnknown *graph.Value) {
	for _, p := range st.ElementsAt("principals") {
		s.HasPrincipal = true
		star, unknown := principalsBlock(p)
		if s.Principal == nil && star != nil {
			s.Principal, s.Principals = star, p.Value
		}
		if principalUnknown == nil {
			principalUnknown = unknown
		}
	}
	if dyn := st.UnexpandedBlocks("principals"); len(dyn) > 0 {
		s.HasPrincipal = true
		if principalUnknown == nil {
			principalUnknown = dyn[0]
		}
	}
	if not := st.ElementsAt("not_principals"); len(not) > 0 {
		// everyone but those named
		s.HasPrincipal = true
		if s.Principal == nil {
			s.Principal, s.NotPrincipal = not[0].At, true
		}
	}
	return principalUnknown
}

// dataElements reads actions or not_actions (resources or not_resources) of a statement
// block.
func dataElements(st *graph.Value, name, not string) Elements {
	if a := st.Get(name); a != nil {
		return elementsOf(a.Value, false)
	}
	if a := st.Get(not); a != nil {
		return elementsOf(a.Value, true)
	}
	return Elements{}
}

// principalsBlock reads `principals { type, identifiers }`: type "*" is anyone (found at
// its "*" identifier, else at the block), and so is type "AWS" with a "*" identifier.
// Without a wildcard, it also returns the type or identifier that is not statically known.
func principalsBlock(p graph.Element) (star rules.Locatable, unknown *graph.Value) {
	ids := p.Value.Lookup("identifiers")
	typeValue := p.Value.Lookup("type")
	switch typ, ok := typeValue.AsString(); {
	case !ok:
		if !typeValue.Known() {
			return nil, typeValue
		}
	case typ == "*":
		if star, _ := wildcard(ids); star != nil {
			return star, nil
		}
		return p.At, nil
	case typ == "AWS":
		return wildcard(ids)
	}
	return nil, nil
}
