package cloudformation

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// FuzzIntrinsic evaluates an arbitrary YAML value as a resource property of a template
// with parameters, mappings, conditions and the language extensions in scope, so that
// every intrinsic function and Fn::ForEach meets arbitrary arguments: no panic, every
// range in the file, and the loops within their budgets.
func FuzzIntrinsic(f *testing.F) {
	for _, s := range []string{
		`!Sub "arn:${AWS::Partition}:s3:::${Env}-${Name}/*"`,
		`!Join ["-", [!Ref Env, !FindInMap [Sizes, !Ref Env, Size], !Select [1, !Split [",", "a,b,c"]]]]`,
		`!If [IsProd, !GetAZs "", !Ref "AWS::NoValue"]`,
		`{"Fn::Length": !Ref Items}`,
		`!Base64 {"Fn::Sub": ["${X}", {X: !Cidr ["10.0.0.0/16", 256, 8]}]}`,
		`{"Fn::ToJsonString": {A: [1, !Ref Env]}}`,
		`{"Fn::FindInMap": [Sizes, Bad, Size, {DefaultValue: x}]}`,
		`!Select [999999999, [a]]`,
		`!Sub ["${A}${A}${A}", {A: !Sub ["${B}${B}", {B: !Join ["", [!Ref Name, !Ref Name]]}]}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		src := "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::LanguageExtensions\n" +
			"Parameters:\n  Env: {Type: String, Default: prod}\n  Name: {Type: String, Default: web}\n  Items: {Type: CommaDelimitedList, Default: \"a,b\"}\n" +
			"Mappings:\n  Sizes:\n    prod: {Size: large}\n" +
			"Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n" +
			"Resources:\n  Fn::ForEach::Loop:\n    - I\n    - !Ref Items\n    - Topic${I}:\n        Type: AWS::SNS::Topic\n        Properties:\n          TopicName: " + value + "\n" +
			"  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: " + value + "\n"
		file := source.NewFile("fuzz.yaml", []byte(src))
		rs, diags := ParseWith(file, graph.CloudFormationYAML, Options{Budget: budget.Limits{Instances: 64, TotalInstances: 256}})
		checkResources(t, file, rs)
		for _, d := range diags {
			if d.Subject != nil {
				checkRange(t, file, *d.Subject)
			}
		}
		if len(rs) > 256+1 {
			t.Fatalf("%d resources past the instances budget", len(rs))
		}
	})
}
