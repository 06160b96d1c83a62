package policy_test

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/iam"
	"github.com/iacscan/iacscan/rules/aws/sns"
	"github.com/iacscan/iacscan/source"
)

// FuzzPolicyString runs the policy rules over an arbitrary policy string held by an
// identity policy and a topic policy: nothing panics, and every finding is at the policy
// attribute, the only place a JSON string has.
func FuzzPolicyString(f *testing.F) {
	for _, seed := range []string{
		`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`,
		`{"Statement": {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": ["*"], "Principal": {"AWS": ["*"]}}}`,
		`{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": false}}}]}`,
		`{"Statement": [1, null, true, [], {"Action": {"a": 1}, "Resource": 7, "Condition": []}]}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		at := source.Range{Path: "main.tf", Start: source.Pos{Line: 2, Column: 3, Byte: 20}, End: source.Pos{Line: 2, Column: 30, Byte: 47}}
		resource := func(kind graph.Kind, name string) *graph.Resource {
			attr := &graph.Attribute{Name: "policy", Range: at, NameRange: at, Value: &graph.Value{Type: graph.String, Str: doc, Range: at}}
			return &graph.Resource{
				ID: graph.ID{Path: "main.tf", Address: string(kind) + "." + name}, Kind: kind, Format: graph.Terraform, Scope: ".",
				Body: &graph.Value{Type: graph.Map, Attrs: []*graph.Attribute{attr}},
			}
		}
		g := graph.New([]*graph.Resource{resource(graph.IAMUserPolicy, "u"), resource(graph.SNSTopic, "t")})
		findings, diags := rules.Run(g, append([]*rules.Rule{sns.PublicPolicy}, iam.Rules...))
		if len(diags) > 0 {
			t.Fatalf("rule failed: %v", diags)
		}
		for _, fd := range findings {
			if fd.Range != at {
				t.Fatalf("%s finding at %v, want the policy attribute", fd.Rule.ID, fd.Range)
			}
		}
	})
}
