package detect

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            graph.Format
	}{
		{"terraform", "infra/main.tf", "resource \"a\" \"b\" {}", graph.Terraform},
		{"tfvars", "prod.tfvars", "x = 1", graph.Terraform},
		{"terraform json", "main.tf.json", "{}", graph.TerraformJSON},
		{"cfn yaml by version", "stack.yml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", graph.CloudFormationYAML},
		{"cfn yaml by resource type", "any-name.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", graph.CloudFormationYAML},
		{"cfn yaml quoted type", "a.yaml", "Resources:\n  B:\n    Type: \"AWS::S3::Bucket\"\n", graph.CloudFormationYAML},
		{"cfn json", "stack.json", "{\n  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}\n}", graph.CloudFormationJSON},
		{"cfn json by version", "t.json", `{"AWSTemplateFormatVersion": "2010-09-09"}`, graph.CloudFormationJSON},
		{"cfn .template yaml", "stack.template", "AWSTemplateFormatVersion: '2010-09-09'\n", graph.CloudFormationYAML},
		{"serverless by name", "svc/serverless.yml", "service: x\n", graph.Serverless},
		{"serverless yaml by name", "serverless.yaml", "service: x\n", graph.Serverless},
		{"serverless by content", "sls-prod.yml", "service: api\nprovider:\n  name: aws\n", graph.Serverless},
		{"k8s yaml skipped", "deploy.yaml", "apiVersion: v1\nkind: Pod\n", graph.FormatNone},
		{"package.json skipped", "package.json", `{"name": "x", "dependencies": {}}`, graph.FormatNone},
		{"compose with Resources word skipped", "c.yml", "services:\n  Resources: x\n", graph.FormatNone},
		{"json array skipped", "a.json", `[1, 2]`, graph.FormatNone},
		{"go file", "main.go", "package main", graph.FormatNone},
		{"cfn yaml after a byte order mark", "a.yaml", "\xEF\xBB\xBFResources:\n  B:\n    Type: AWS::S3::Bucket\n", graph.CloudFormationYAML},
		{"cfn json after a byte order mark", "a.json", "\xEF\xBB\xBF{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}", graph.CloudFormationJSON},
		{"rain module call yaml", "site.yaml", "Resources:\n  Site:\n    Type: !Rain::Module modules/site.yml\n", graph.CloudFormationYAML},
		{"rain module call json", "site.json", `{"Resources": {"Site": {"Type": {"Rain::Module": "site.yml"}}}}`, graph.CloudFormationJSON},
		{"terraform plan json", "plan.json", `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{},"resource_changes":[]}`, graph.TerraformPlan},
		{"terraform plan json indented", "out/tfplan.json", "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": []\n}", graph.TerraformPlan},
		{"terraform state json skipped", "state.json", `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`, graph.FormatNone},
		{"serverless after a byte order mark", "sls.yml", "\xEF\xBB\xBFservice: api\nprovider:\n  name: aws\n", graph.Serverless},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.path, []byte(tc.src)); got != tc.want {
				t.Fatalf("Classify(%q) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestSkipDirAndCandidate(t *testing.T) {
	for _, d := range []string{".git", ".terraform", "node_modules"} {
		if !SkipDir(d) {
			t.Errorf("SkipDir(%q) = false", d)
		}
	}
	if SkipDir("modules") {
		t.Error("SkipDir(modules) = true")
	}
	for name, want := range map[string]bool{"a.tf": true, "a.TF": true, "a.yml": true, "a.md": false, "Makefile": false} {
		if Candidate(name) != want {
			t.Errorf("Candidate(%q) = %v, want %v", name, !want, want)
		}
	}
}
