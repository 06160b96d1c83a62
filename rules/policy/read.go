package policy

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// jsonStatements reads the statements of a JSON policy document: a CloudFormation
// PolicyDocument, a jsonencode object or a parsed JSON string.
func jsonStatements(r *graph.Resource, doc *graph.Value) []*Statement {
	return statementList(r, doc.Elements("Statement"))
}

// statementList reads JSON statements, such as the list serverless takes.
func statementList(r *graph.Resource, sts []*graph.Value) []*Statement {
	var out []*Statement
	for i, st := range sts {
		out = append(out, jsonStatement(r, st, i+1))
	}
	return out
}

// jsonStatement reads one statement written as JSON (or as YAML in CloudFormation).
func jsonStatement(r *graph.Resource, st *graph.Value, index int) *Statement {
	s := &Statement{Resource: r, At: st, Index: index}
	if !st.Known() {
		s.Unknown = true
		s.effectUnknown = unknownIn(r, st, statementUnknownWhy)
		s.public = s.effectUnknown
		return s
	}
	s.Sid, _ = st.Lookup("Sid").AsString()
	effect, known := st.Lookup("Effect").AsString()
	s.Effect = effect
	principal := st.Lookup("Principal")
	if principal == nil {
		if not := st.Lookup("NotPrincipal"); not != nil {
			// Allow with NotPrincipal allows everyone but those named.
			s.HasPrincipal, s.NotPrincipal, s.Principal = true, true, not
		}
	} else {
		s.HasPrincipal = true
		s.Bare = principal.Type == graph.String
		if aws := principal.Get("AWS"); aws != nil {
			principal = aws.Value
		}
	}
	var principalUnknown *graph.Value
	if s.Principal == nil {
		s.Principal, principalUnknown = wildcard(principal)
	}
	s.Conditional = st.Get("Condition") != nil
	s.Actions = jsonElements(st, "Action", "NotAction")
	s.Resources = jsonElements(st, "Resource", "NotResource")
	conditionKnown, condition := s.readCondition(r, st.Lookup("Condition"))
	s.Unknown = !known || !conditionKnown || (s.Principal == nil && principalUnknown != nil)
	s.settle(unknownIn(r, st.Lookup("Effect"), effectUnknownWhy), unknownIn(r, principalUnknown, principalUnknownWhy), condition)
	return s
}

// jsonElements reads Action or NotAction (Resource or NotResource) of a statement.
func jsonElements(st *graph.Value, name, not string) Elements {
	if v := st.Lookup(name); v != nil {
		return elementsOf(v, false)
	}
	if v := st.Lookup(not); v != nil {
		return elementsOf(v, true)
	}
	return Elements{}
}

// elementsOf splits a string or list into its known strings and its unknown parts.
func elementsOf(v *graph.Value, not bool) Elements {
	e := Elements{Not: not, At: v}
	add := func(it *graph.Value) {
		switch {
		case it.Type == graph.String:
			e.Known = append(e.Known, it)
		case !it.Known():
			e.Unknown = append(e.Unknown, it)
		}
	}
	if v.Type == graph.List {
		for _, it := range v.Items {
			add(it)
		}
	} else {
		add(v)
	}
	return e
}

// parseJSON decodes a JSON policy into a Value whose every part spans at: positions inside
// the string are not tracked. Invalid JSON yields nil, a policy without statements.
func parseJSON(s string, at source.Range) *graph.Value {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil
	}
	return jsonValue(x, at)
}

func jsonValue(x any, at source.Range) *graph.Value {
	v := &graph.Value{Range: at}
	switch x := x.(type) {
	case string:
		v.Type, v.Str = graph.String, x
	case json.Number:
		v.Type, v.Str = graph.Number, x.String()
		v.Num, _ = x.Float64()
	case bool:
		v.Type, v.Bool = graph.Bool, x
	case nil:
		v.Type = graph.Null
	case []any:
		v.Type = graph.List
		for _, it := range x {
			v.Items = append(v.Items, jsonValue(it, at))
		}
	case map[string]any:
		v.Type = graph.Map
		for _, k := range slices.Sorted(maps.Keys(x)) {
			v.Attrs = append(v.Attrs, &graph.Attribute{Name: k, NameRange: at, Range: at, Value: jsonValue(x[k], at)})
		}
	}
	return v
}
