package custom

import (
	"fmt"
	"testing"
)

// TestInputsOf checks what an expression is found to read: the memo keys its verdicts
// by exactly that, so a part read but not found would share verdicts wrongly.
func TestInputsOf(t *testing.T) {
	const (
		kind      = fieldSet(1 << fieldKind)
		tags      = fieldSet(1 << fieldTags)
		values    = fieldSet(1 << fieldValues)
		referrers = fieldSet(1 << fieldReferrers)
		targets   = fieldSet(1 << fieldTargets)
	)
	tests := []struct {
		expr string
		// want is inputs printed: fields, whole, value, the values view and the
		// referrers and targets views ("-": none).
		want string
	}{
		{"'owner' in resource.tags", fmt.Sprint(tags, " false false - - -")},
		{"has(resource.values.acl) && resource.values['acl'] != 'x' && resource.values.versioning.enabled", fmt.Sprint(values, ` false false values["acl" "versioning"] - -`)},
		{"size(resource.values) > 2 || resource.values.acl == 'x'", fmt.Sprint(values, " false false - - -")},
		{"resource.values.exists(k, k == 'acl')", fmt.Sprint(values, " false false - - -")},
		{"resource.referrers.all(n, n.kind != 'aws_s3_bucket_acl' || n.values.acl == 'private')", fmt.Sprint(referrers, ` false false - referrers`, kind|values, `values["acl"] -`)},
		{"resource.referrers.exists(n, n.tags.team == 'a') && resource.referrers.all(n, has(n.values.acl))", fmt.Sprint(referrers, ` false false - referrers`, tags|values, `values["acl"] -`)},
		{"resource.targets.exists(n, n.values.size() > 0)", fmt.Sprint(targets, ` false false - - targets`, values)},
		{"size(resource.referrers) > 1 && resource.referrers.all(n, n.kind == 'k')", fmt.Sprint(referrers, " false false - - -")},
		{"resource.referrers.all(n, n.referrers.size() == 0)", fmt.Sprint(referrers, " false false - - -")},
		{"resource.referrers.all(n, n == resource.referrers[0])", fmt.Sprint(referrers, " false false - - -")},
		{"resource.referrers.all(n, [1].all(n, n > 0))", fmt.Sprint(referrers, " false false - - -")},
		{"resource.targets.all(n, n.kind == 'k') && resource.referrers.all(n, n.kind == 'k')", fmt.Sprint(referrers|targets, " false false - referrers", kind, " targets", kind)},
		{"resource.tags == resource['values']", fmt.Sprint(tags|values, " false false - - -")},
		{"value == 'x' && resource.kind == 'k'", fmt.Sprint(kind, " false true - - -")},
		{"size(resource) > 3", fmt.Sprint(allFields, " true false - - -")},
		{"resource.exists(k, k == 'tags')", fmt.Sprint(allFields, " true false - - -")},
		{"resource[string(value)] == 1", fmt.Sprint(allFields, " true true - - -")},
		{"resource.nosuchfield == 1", fmt.Sprint(allFields, " true false - - -")},
		{"[1].all(resource, resource > 0)", fmt.Sprint(allFields, " true true - - -")},
		{"true", "0 false false - - -"},
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
			if got := printInputs(inputsOf(ast)); got != tc.want {
				t.Errorf("inputsOf = %s, want %s", got, tc.want)
			}
		})
	}
}

func printInputs(in inputs) string {
	s := fmt.Sprint(in.fields, " ", in.whole, " ", in.value)
	if in.values != nil {
		s += " " + in.values.name
	} else {
		s += " -"
	}
	for _, nb := range in.neighbours {
		if nb != nil {
			s += " " + nb.name
		} else {
			s += " -"
		}
	}
	return s
}
