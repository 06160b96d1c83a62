package cloudformation

import (
	"errors"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// TestSAMResources checks what an AWS SAM template becomes: the resources the transform
// generates, of canonical kinds, with values ranged at the SAM source.
func TestSAMResources(t *testing.T) {
	_, rs := parseFile(t, "sam.yaml")
	var got []string
	for _, r := range rs {
		got = append(got, r.ID.Address+" "+string(r.Kind))
	}
	want := []string{
		"Uploads aws_s3_bucket",
		"LambdaSG aws_security_group",
		"OrdersFunction aws_lambda_function",
		"OrdersFunctionRole aws_iam_role",
		"OrdersFunctionUrl AWS::Lambda::Url",
		"OtherFunction aws_lambda_function",
		"OtherFunctionRole aws_iam_role",
		"ServerlessRestApi AWS::ApiGateway::RestApi", // implied by OrdersFunction's Api event
		"ServerlessRestApiProdStage AWS::ApiGateway::Stage",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSAMValues checks single values of the generated resources: where they are ranged
// (the text there) and what they hold.
func TestSAMValues(t *testing.T) {
	f, rs := parseFile(t, "sam.yaml")
	tests := []struct {
		address, path string
		text          string // the source text at the value's range
		value         string // the known string, "" for Unknown
		origin        bool   // defined elsewhere (Globals, generated)
		refs          string
	}{
		// SAM's Tracing is CloudFormation's TracingConfig.Mode, the same value
		{"OrdersFunction", "TracingConfig.Mode", "Active", "Active", false, ""},
		{"OrdersFunction", "Tracing", "Active", "Active", false, ""},
		// a value from Globals is defined there
		{"OtherFunction", "TracingConfig.Mode", "PassThrough", "PassThrough", true, ""},
		{"OtherFunction", "Runtime", "python3.12", "python3.12", true, ""},
		// maps merge: the function's variable and the global one
		{"OrdersFunction", "Environment.Variables.TABLE", "orders", "orders", true, ""},
		{"OrdersFunction", "Environment.Variables.BUCKET", "!Ref Uploads", "", false, "Uploads"},
		// the function points at the role SAM generates
		{"OrdersFunction", "Role", "OrdersFunction", "", true, "OrdersFunctionRole.Arn"},
		{"OrdersFunction", "VpcConfig.SecurityGroupIds[0]", "!Ref LambdaSG", "", false, "LambdaSG"},
		// the role: the managed policies SAM attaches, then those of Policies
		{"OrdersFunctionRole", "ManagedPolicyArns[0]", "OrdersFunction", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true, ""},
		{"OrdersFunctionRole", "ManagedPolicyArns[1]", "OrdersFunction", "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", true, ""},
		{"OrdersFunctionRole", "ManagedPolicyArns[2]", "OrdersFunction", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", true, ""},
		{"OrdersFunctionRole", "ManagedPolicyArns[3]", "AWSLambdaExecute", "arn:aws:iam::aws:policy/AWSLambdaExecute", false, ""},
		// a policy template is the statements it grants, at the template's name
		{"OrdersFunctionRole", "Policies[0].PolicyDocument.Statement[0].Action[0]", "S3ReadPolicy", "s3:GetObject", true, ""},
		{"OrdersFunctionRole", "Policies[0].PolicyDocument.Statement[0].Resource[1]", "S3ReadPolicy", "", true, "Uploads"},
		// an inline statement is written where it is
		{"OrdersFunctionRole", "Policies[1].PolicyDocument.Statement[0].Action", `"*"`, "*", false, ""},
		{"OrdersFunctionRole", "Policies[1].PolicyName", "OrdersFunction", "OrdersFunctionRolePolicy1", true, ""},
		{"OrdersFunctionRole", "AssumeRolePolicyDocument.Statement[0].Principal.Service[0]", "OrdersFunction", "lambda.amazonaws.com", true, ""},
		{"OtherFunctionRole", "ManagedPolicyArns[0]", "OtherFunction", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true, ""},
		// an SQS event adds the queue polling policy
		{"OtherFunctionRole", "ManagedPolicyArns[1]", "OtherFunction", "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole", true, ""},
		{"OrdersFunctionUrl", "AuthType", "NONE", "NONE", false, ""},
		// the implicit API's stage is configured by Globals.Api
		{"ServerlessRestApiProdStage", "TracingEnabled", "true", "true", true, ""},
		{"ServerlessRestApiProdStage", "RestApiId", "Get", "", true, "ServerlessRestApi"},
		{"OrdersFunctionUrl", "TargetFunctionArn", "OrdersFunction", "", true, "OrdersFunction.Arn"},
	}
	for _, tc := range tests {
		t.Run(tc.address+"."+tc.path, func(t *testing.T) {
			v := valueAt(t, resource(t, rs, tc.address).Body, tc.path)
			text := textOf(f, v.Range)
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				text = text[:i]
			}
			s, _ := v.AsString()
			if text != tc.text || s != tc.value || (v.Origin != nil) != tc.origin || refsOf(v.Refs) != tc.refs {
				t.Errorf("got text %q value %q origin %v refs %q, want %q %q %v %q", text, s, v.Origin != nil, refsOf(v.Refs), tc.text, tc.value, tc.origin, tc.refs)
			}
		})
	}
}

// TestSAMGlobalsTrace checks that a value inherited from Globals says so.
func TestSAMGlobalsTrace(t *testing.T) {
	_, rs := parseFile(t, "sam.yaml")
	v := valueAt(t, resource(t, rs, "OtherFunction").Body, "Tracing")
	if len(v.Trace) != 1 || v.Trace[0].What != "Globals.Function.Tracing" {
		t.Errorf("trace %+v", v.Trace)
	}
	want := `"PassThrough" comes from Globals.Function.Tracing, at sam.yaml:8:14; change it there`
	if got := fixers.DescribeOrigin(v); got != want {
		t.Errorf("origin %q, want %q", got, want)
	}
}

// TestSAMRespell checks that a fix adding CloudFormation's TracingConfig to a SAM function
// writes SAM's Tracing, and that a fix setting the mode edits the SAM value.
func TestSAMRespell(t *testing.T) {
	src := "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n  Traced:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tracing: PassThrough\n"
	f := source.NewFile("t.yaml", []byte(src))
	rs, diags := Parse(f, graph.CloudFormationYAML)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	fn, traced := rs[0], rs[2]
	mode := graph.MapValue(false, graph.Attr("Mode", graph.StringValue("Active")))
	changes := []fixers.Change{
		{Op: fixers.AddAttribute, Resource: fn, Parent: fn.Body, Name: "TracingConfig", New: mode},
		{Op: fixers.SetValue, Resource: traced, Target: traced.Body.Lookup("TracingConfig", "Mode"), New: graph.StringValue("Active")},
	}
	edits, err := fixers.Plan(f, graph.CloudFormationYAML, changes)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fixers.Apply(f.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	// a CloudFormation property SAM functions do not take cannot be added
	_, err = fixers.Plan(f, graph.CloudFormationYAML, []fixers.Change{{Op: fixers.AddAttribute, Resource: fn, Parent: fn.Body, Name: "DeadLetterConfig",
		New: graph.MapValue(false, graph.Attr("TargetArn", graph.StringValue("arn:aws:sqs:eu-west-1:111122223333:dlq")))}})
	if !errors.Is(err, fixers.ErrNoSpelling) {
		t.Errorf("adding DeadLetterConfig: %v, want ErrNoSpelling", err)
	}
	want := strings.Replace(src, "app.handler\n", "app.handler\n      Tracing: Active\n", 1)
	want = strings.Replace(want, "Tracing: PassThrough", "Tracing: Active", 1)
	if string(out) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
	}
}

// TestSAMRoleFixes checks the fixes a policy rule can make to a role SAM generates:
// removing a managed policy removes it from the function's Policies, while replacing the
// generated list, which Policies does not hold as such, is refused.
func TestSAMRoleFixes(t *testing.T) {
	src := "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Policies:\n        - AdministratorAccess\n        - S3ReadPolicy:\n            BucketName: b\n"
	f := source.NewFile("t.yaml", []byte(src))
	rs, diags := Parse(f, graph.CloudFormationYAML)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	role := rs[1]
	managed := role.Body.Lookup("ManagedPolicyArns")
	admin := managed.Items[1]
	if s, _ := admin.AsString(); s != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Fatalf("item 1 is %q", s)
	}
	edits, err := fixers.Plan(f, graph.CloudFormationYAML, []fixers.Change{{Op: fixers.RemoveItem, Resource: role, Parent: managed, Target: admin}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := fixers.Apply(f.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(src, "        - AdministratorAccess\n", "", 1); string(out) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
	}
	_, err = fixers.Plan(f, graph.CloudFormationYAML, []fixers.Change{{Op: fixers.SetValue, Resource: role, Target: managed, New: &graph.Value{Type: graph.List}}})
	if !errors.Is(err, fixers.ErrDefinedElsewhere) {
		t.Errorf("replacing the generated list: %v, want ErrDefinedElsewhere", err)
	}
	_, err = fixers.Plan(f, graph.CloudFormationYAML, []fixers.Change{{Op: fixers.AddAttribute, Resource: role, Parent: role.Body, Name: "Path", New: graph.StringValue("/x/")}})
	if !errors.Is(err, fixers.ErrDefinedElsewhere) {
		t.Errorf("adding to the generated role: %v, want ErrDefinedElsewhere", err)
	}
}
