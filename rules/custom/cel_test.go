package custom

import (
	"slices"
	"testing"
)

// TestInputsOf checks what an expression is found to read: the memo keys its verdicts
// by exactly that, so a field read but not found would share verdicts wrongly.
func TestInputsOf(t *testing.T) {
	tags, values, referrers := fieldSet(1<<fieldTags), fieldSet(1<<fieldValues), fieldSet(1<<fieldReferrers)
	tests := []struct {
		expr  string
		want  inputs
		names []string
	}{
		{expr: "'owner' in resource.tags", want: inputs{fields: tags}},
		{expr: "has(resource.values.acl) && resource.values['acl'] != 'x' && resource.values.versioning.enabled", want: inputs{fields: values}, names: []string{"acl", "versioning"}},
		{expr: "size(resource.values) > 2 || resource.values.acl == 'x'", want: inputs{fields: values}},
		{expr: "resource.values.exists(k, k == 'acl')", want: inputs{fields: values}},
		{expr: "resource.referrers.all(n, n.values.acl == 'private')", want: inputs{fields: referrers}},
		{expr: "resource.tags == resource['values']", want: inputs{fields: tags | values}},
		{expr: "value == 'x' && resource.kind == 'k'", want: inputs{fields: 1 << fieldKind, value: true}},
		{expr: "size(resource) > 3", want: inputs{fields: allFields, whole: true}},
		{expr: "resource.exists(k, k == 'tags')", want: inputs{fields: allFields, whole: true}},
		{expr: "resource[string(value)] == 1", want: inputs{fields: allFields, whole: true, value: true}},
		{expr: "resource.nosuchfield == 1", want: inputs{fields: allFields, whole: true}},
		{expr: "[1].all(resource, resource > 0)", want: inputs{fields: allFields, whole: true, value: true}},
		{expr: "true", want: inputs{}},
	}
	e, err := env()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			ast, iss := e.Compile(tc.expr)
			if iss.Err() != nil {
				t.Fatal(iss.Err())
			}
			got := inputsOf(ast)
			if got.fields != tc.want.fields || got.whole != tc.want.whole || got.value != tc.want.value || !slices.Equal(got.values, tc.names) {
				t.Errorf("inputsOf = %+v, want %+v with values %v", got, tc.want, tc.names)
			}
		})
	}
}
