package serverless

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// TestImplicitResources checks which generated resources a provider implies, and that the
// default role holds the statements as written, at their ranges.
func TestImplicitResources(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // addresses of the generated resources
	}{
		{"defaults", "provider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n",
			[]string{deploymentBucketID, defaultRoleID}},
		{"no functions: no role", "provider:\n  name: aws\n", []string{deploymentBucketID}},
		{"every function has its role", "provider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n    role: arn:aws:iam::123456789012:role/f\n",
			[]string{deploymentBucketID}},
		{"provider role", "provider:\n  name: aws\n  iam:\n    role: arn:aws:iam::123456789012:role/r\nfunctions:\n  f:\n    handler: h\n",
			[]string{deploymentBucketID}},
		{"legacy provider role", "provider:\n  name: aws\n  role: !GetAtt Role.Arn\nfunctions:\n  f:\n    handler: h\n",
			[]string{deploymentBucketID}},
		{"existing bucket by name", "provider:\n  name: aws\n  deploymentBucket: acme-deployments\n", nil},
		{"existing bucket in settings", "provider:\n  name: aws\n  deploymentBucket:\n    name: acme-deployments\n", nil},
		{"template overrides the logical ID", "provider:\n  name: aws\nresources:\n  Resources:\n    ServerlessDeploymentBucket:\n      Type: AWS::S3::Bucket\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := Parse(source.NewFile("serverless.yml", []byte(tc.src)))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			var got []string
			for _, r := range rs {
				if r.Generated {
					got = append(got, r.ID.Address)
				}
			}
			if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] || len(got) > 1 && got[1] != tc.want[1] {
				t.Errorf("generated %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDefaultRoleStatements(t *testing.T) {
	src := `provider:
  name: aws
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      statements:
        - Effect: Allow
          Action: "*"
          Resource: "*"
  iamRoleStatements:
    - Effect: Allow
      Action: s3:GetObject
      Resource: arn:aws:s3:::b/*
functions:
  f:
    handler: h
`
	rs, diags := Parse(source.NewFile("serverless.yml", []byte(src)))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var role *graph.Resource
	for _, r := range rs {
		if r.ID.Address == defaultRoleID {
			role = r
		}
	}
	if role == nil || role.Kind != graph.IAMRole || role.Native != "serverless default role" || !role.Generated {
		t.Fatalf("default role %+v", role)
	}
	if got := spanOf(role.Header); got != "4:5(33)-4:9(37)" {
		t.Errorf("header %s, want the role key, 4:5(33)-4:9(37)", got)
	}
	statements := valueAt(t, role.Body, "Policies[0].PolicyDocument.Statement")
	if len(statements.Items) != 2 {
		t.Fatalf("%d statements, want 2", len(statements.Items))
	}
	for i, want := range []string{"*", "s3:GetObject"} {
		action := valueAt(t, statements.Items[i], "Action")
		if action.Str != want || action.Range.Start.Line != []int{9, 13}[i] {
			t.Errorf("statement %d: action %q at line %d, want %q as written", i, action.Str, action.Range.Start.Line, want)
		}
	}
	if arns := valueAt(t, role.Body, "ManagedPolicyArns"); len(arns.Items) != 1 {
		t.Errorf("managed policies %v", arns.Items)
	}
}
