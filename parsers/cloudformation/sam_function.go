package cloudformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// The managed policies SAM attaches to the role it generates for a function.
const (
	lambdaBasicExecution = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	lambdaVPCAccess      = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
	xrayWriteOnly        = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
)

// samFunction converts an AWS::Serverless::Function: a Lambda function whose body has the
// SAM properties and their CloudFormation twins (TracingConfig.Mode for Tracing,
// DeadLetterConfig for DeadLetterQueue); the role SAM generates when the function names
// none (see samRole); the function URL its FunctionUrlConfig generates.
func (c *Converter) samFunction(s *samResource) source.Diagnostics {
	fn := s.main
	fn.Kind = graph.CloudFormationKind("AWS::Lambda::Function")
	body := fn.Body
	if body.Type != graph.Map {
		return nil
	}
	wrapped(body, "Tracing", "TracingConfig", "Mode")
	alias(body, "DeadLetterQueue", "DeadLetterConfig")
	fn.Respell = respellFunction(body)
	var diags source.Diagnostics
	if body.Get("Role") == nil {
		var managed []string
		managed = append(managed, lambdaBasicExecution)
		if mode := body.Lookup("Tracing"); mode != nil {
			if m, ok := mode.AsString(); ok && m == "Active" {
				managed = append(managed, xrayWriteOnly)
			}
		}
		if body.Get("VpcConfig") != nil {
			managed = append(managed, lambdaVPCAccess)
		}
		managed = append(managed, eventPolicies(body)...)
		diags = c.samRole(s, "lambda.amazonaws.com", "AssumeRolePolicyDocument", managed)
	}
	if url := body.Get("FunctionUrlConfig"); url != nil && url.Value.Type == graph.Map {
		u := *url.Value
		u.Attrs = append(append([]*graph.Attribute(nil), u.Attrs...), s.generatedAttr("TargetFunctionArn", s.refTo(fn.Name, "Arn")))
		s.add(fn.Name+"Url", "AWS::Lambda::Url", &u, url.NameRange)
	}
	return diags
}

// streamEventPolicies are the managed policies SAM attaches to a function's generated
// role for its event sources that poll a stream or queue.
var streamEventPolicies = map[string]string{
	"SQS":      "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
	"Kinesis":  "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
	"DynamoDB": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
}

// eventPolicies returns the managed policies a function's Events add to its role, once
// each, in the order the events are written.
func eventPolicies(body *graph.Value) []string {
	var out []string
	events := body.Lookup("Events")
	if events == nil {
		return nil
	}
	for _, e := range events.Attrs {
		typ, _ := e.Value.Lookup("Type").AsString()
		if arn, ok := streamEventPolicies[typ]; ok && !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	return out
}

// samStateMachine converts an AWS::Serverless::StateMachine: a Step Functions state
// machine (Tracing is TracingConfiguration, Logging LoggingConfiguration) and, unless it
// names a Role, the role SAM generates for it.
func (c *Converter) samStateMachine(s *samResource) source.Diagnostics {
	sm := s.main
	sm.Kind = graph.CloudFormationKind("AWS::StepFunctions::StateMachine")
	body := sm.Body
	if body.Type != graph.Map {
		return nil
	}
	alias(body, "Tracing", "TracingConfiguration")
	alias(body, "Logging", "LoggingConfiguration")
	alias(body, "Role", "RoleArn")
	sm.Respell = respellRenamed(body, map[string]string{"TracingConfiguration": "Tracing", "LoggingConfiguration": "Logging", "RoleArn": "Role"})
	if body.Get("Role") == nil {
		return c.samRole(s, "states.amazonaws.com", "", nil)
	}
	return nil
}

// functionProperties are the properties of AWS::Serverless::Function, which rejects any
// other: a fix may add only these.
var functionProperties = map[string]bool{
	"Architectures": true, "AssumeRolePolicyDocument": true, "AutoPublishAlias": true, "AutoPublishCodeSha256": true,
	"CodeSigningConfigArn": true, "CodeUri": true, "DeadLetterQueue": true, "DeploymentPreference": true,
	"Description": true, "Environment": true, "EphemeralStorage": true, "EventInvokeConfig": true, "Events": true,
	"FileSystemConfigs": true, "FunctionName": true, "FunctionUrlConfig": true, "Handler": true, "ImageConfig": true,
	"ImageUri": true, "InlineCode": true, "KmsKeyArn": true, "Layers": true, "LoggingConfig": true, "MemorySize": true,
	"PackageType": true, "PermissionsBoundary": true, "Policies": true, "PropagateTags": true,
	"ProvisionedConcurrencyConfig": true, "RecursiveLoop": true, "ReservedConcurrentExecutions": true, "Role": true,
	"RolePath": true, "Runtime": true, "RuntimeManagementConfig": true, "SnapStart": true, "SourceKMSKeyArn": true,
	"Tags": true, "Timeout": true, "Tracing": true, "VersionDescription": true, "VpcConfig": true,
}

// respellFunction is the Respell of a SAM function: CloudFormation's TracingConfig:
// {Mode: X} is Tracing: X; a property SAM functions do not take cannot be added.
func respellFunction(body *graph.Value) func(*graph.Value, string, *graph.Value) (string, *graph.Value, bool) {
	return func(parent *graph.Value, name string, v *graph.Value) (string, *graph.Value, bool) {
		if parent != body {
			return name, v, true
		}
		if name == "TracingConfig" && v != nil && v.Type == graph.Map && len(v.Attrs) == 1 && v.Attrs[0].Name == "Mode" {
			return "Tracing", v.Attrs[0].Value, true
		}
		return name, v, functionProperties[name]
	}
}

// respellRenamed is the Respell of a resource whose SAM properties have other names.
func respellRenamed(body *graph.Value, names map[string]string) func(*graph.Value, string, *graph.Value) (string, *graph.Value, bool) {
	return func(parent *graph.Value, name string, v *graph.Value) (string, *graph.Value, bool) {
		if sam, ok := names[name]; ok && parent == body {
			return sam, v, true
		}
		return name, v, true
	}
}

// samRole adds the IAM role SAM generates for a function or state machine that names no
// Role: assumed by service, with the managed policies SAM attaches, the managed policies
// and inline statements of Policies, and the policy templates of Policies expanded into
// the statements they grant. The role's ManagedPolicyArns and Policies are ranged at the
// SAM Policies, their items at the items written there, so that a finding points at the
// policy the template names and a fix that removes an item removes it from Policies.
// The resource's body points at the role (Role, or RoleArn for a state machine).
func (c *Converter) samRole(s *samResource, service, trustProperty string, managed []string) source.Diagnostics {
	owner := s.main
	address := owner.Name + "Role"
	header := owner.Header
	policiesAttr := owner.Body.Get("Policies")
	var listRange *source.Range
	if policiesAttr != nil {
		header, listRange = policiesAttr.NameRange, &policiesAttr.Value.Range
	}
	managedList := &graph.Value{Type: graph.List}
	inline := &graph.Value{Type: graph.List}
	for _, arn := range managed {
		managedList.Items = append(managedList.Items, s.generatedValue(graph.StringValue(arn)))
	}
	var diags source.Diagnostics
	if policiesAttr != nil {
		diags = c.samPolicies(s, policiesAttr.Value, managedList, inline)
	}
	for _, l := range []*graph.Value{managedList, inline} {
		if listRange == nil {
			s.generatedValue(l)
			continue
		}
		// The list is generated from Policies, which also holds what the other list has:
		// an item may be removed there, but the list is not replaced or added to as is.
		origin := *listRange
		l.Range, l.Origin, l.Trace = origin, &origin, step(origin, "Policies of "+owner.Name+" (AWS SAM)")
	}
	trust := s.generatedValue(trustPolicy(service))
	if a := owner.Body.Get(trustProperty); trustProperty != "" && a != nil {
		trust = a.Value // a function's AssumeRolePolicyDocument
	}
	body := s.generatedValue(graph.MapValue(false))
	body.Attrs = []*graph.Attribute{
		s.generatedAttr("AssumeRolePolicyDocument", trust),
		{Name: "ManagedPolicyArns", NameRange: header, Range: header, Value: managedList},
		{Name: "Policies", NameRange: header, Range: header, Value: inline},
	}
	for sam, cfn := range map[string]string{"PermissionsBoundary": "PermissionsBoundary", "RolePath": "Path"} {
		if a := owner.Body.Get(sam); a != nil {
			body.Attrs = append(body.Attrs, &graph.Attribute{Name: cfn, NameRange: a.NameRange, Range: a.Range, Value: a.Value})
		}
	}
	role := s.add(address, "AWS::IAM::Role", body, header)
	role.Native = "AWS::IAM::Role"
	ref := "Role"
	if owner.Kind != graph.CloudFormationKind("AWS::Lambda::Function") {
		ref = "RoleArn"
	}
	owner.Body.Attrs = append(owner.Body.Attrs, s.generatedAttr(ref, s.refTo(address, "Arn")))
	return diags
}

// trustPolicy is the trust policy SAM gives the roles it generates.
func trustPolicy(service string) *graph.Value {
	return graph.MapValue(false,
		graph.Attr("Version", graph.StringValue("2012-10-17")),
		graph.Attr("Statement", &graph.Value{Type: graph.List, Items: []*graph.Value{graph.MapValue(false,
			graph.Attr("Effect", graph.StringValue("Allow")),
			graph.Attr("Principal", graph.MapValue(false, graph.Attr("Service", &graph.Value{Type: graph.List, Items: []*graph.Value{graph.StringValue(service)}}))),
			graph.Attr("Action", &graph.Value{Type: graph.List, Items: []*graph.Value{graph.StringValue("sts:AssumeRole")}}),
		)}}),
	)
}

// samPolicies reads a SAM Policies value (one policy or a list of them) into the role's
// managed policy ARNs and inline policies. Each item is a managed policy's name or ARN
// (or an intrinsic giving one), an IAM policy document, or a policy template.
func (c *Converter) samPolicies(s *samResource, policies *graph.Value, managed, inline *graph.Value) source.Diagnostics {
	items := []*graph.Value{policies}
	if policies.Type == graph.List {
		items = policies.Items
	}
	var diags source.Diagnostics
	for _, it := range items {
		switch {
		case it.Type == graph.String:
			managed.Items = append(managed.Items, managedARN(it))
		case it.Type == graph.Unknown:
			managed.Items = append(managed.Items, it) // !Ref / !GetAtt / !Sub of a managed policy
		case it.Type == graph.Map && it.Get("Statement") != nil:
			inline.Items = append(inline.Items, s.inlinePolicy(len(inline.Items), it, it))
		case it.Type == graph.Map && len(it.Attrs) == 1:
			doc, diag := expandTemplate(it.Attrs[0])
			if diag != nil {
				diags = append(diags, *diag)
			}
			inline.Items = append(inline.Items, s.inlinePolicy(len(inline.Items), it, doc))
		default:
			diags = append(diags, source.Diagnostic{Severity: source.Warning, Summary: "a Policies item of " + s.main.Name + " is neither a managed policy, a policy document nor a policy template: its permissions are not checked", Subject: &it.Range})
		}
	}
	return diags
}

// serviceRolePolicies are the AWS managed policies SAM functions commonly name whose
// path is service-role/ rather than /.
var serviceRolePolicies = map[string]bool{
	"AWSLambdaBasicExecutionRole": true, "AWSLambdaVPCAccessExecutionRole": true,
	"AWSLambdaKinesisExecutionRole": true, "AWSLambdaDynamoDBExecutionRole": true,
	"AWSLambdaSQSQueueExecutionRole": true, "AWSLambdaMSKExecutionRole": true,
	"AWSLambdaENIManagementAccess": true, "AWSLambdaRole": true, "AWSConfigRulesExecutionRole": true,
}

// managedARN is the ARN of a managed policy given by name or ARN, at the item: SAM
// turns an AWS managed policy's name into its ARN.
func managedARN(it *graph.Value) *graph.Value {
	if strings.HasPrefix(it.Str, "arn:") {
		return it
	}
	v := *it
	path := "arn:aws:iam::aws:policy/"
	if serviceRolePolicies[it.Str] {
		path += "service-role/"
	}
	v.Str = path + it.Str
	return &v
}

// inlinePolicy is the inline policy SAM generates for the i-th policy of Policies: the
// item's range, a generated name and doc as its PolicyDocument.
func (s *samResource) inlinePolicy(i int, item, doc *graph.Value) *graph.Value {
	name := s.generatedValue(graph.StringValue(fmt.Sprintf("%sRolePolicy%d", s.main.Name, i)))
	return &graph.Value{Type: graph.Map, Range: item.Range, Attrs: []*graph.Attribute{
		{Name: "PolicyName", NameRange: item.Range, Range: item.Range, Value: name},
		{Name: "PolicyDocument", NameRange: item.Range, Range: item.Range, Value: doc},
	}}
}

// samAPI converts an AWS::Serverless::Api: an API Gateway REST API and the stage SAM
// deploys it to, which holds the stage settings (tracing, access logs, method settings,
// cache).
func (c *Converter) samAPI(s *samResource) source.Diagnostics {
	s.main.Kind = graph.CloudFormationKind("AWS::ApiGateway::RestApi")
	s.stage("AWS::ApiGateway::Stage", "RestApiId", restStageProperties, "Stage")
	return nil
}

// restStageProperties are the properties of a SAM Api that configure its stage, by their
// stage name; httpStageProperties those of an HttpApi.
var (
	restStageProperties = map[string]string{
		"StageName": "StageName", "TracingEnabled": "TracingEnabled", "AccessLogSetting": "AccessLogSetting",
		"MethodSettings": "MethodSettings", "CacheClusterEnabled": "CacheClusterEnabled",
		"CacheClusterSize": "CacheClusterSize", "Variables": "Variables", "CanarySetting": "CanarySetting",
	}
	httpStageProperties = map[string]string{
		"StageName": "StageName", "AccessLogSettings": "AccessLogSettings", "DefaultRouteSettings": "DefaultRouteSettings",
		"RouteSettings": "RouteSettings", "StageVariables": "StageVariables",
	}
)

// samHTTPAPI converts an AWS::Serverless::HttpApi: an API Gateway v2 API and its stage.
func (c *Converter) samHTTPAPI(s *samResource) source.Diagnostics {
	s.main.Kind = graph.CloudFormationKind("AWS::ApiGatewayV2::Api")
	s.stage("AWS::ApiGatewayV2::Stage", "ApiId", httpStageProperties, "ApiGatewayDefaultStage")
	return nil
}

// stage adds the stage SAM generates for an API, named as SAM names it (the API's logical
// ID, the stage name, "Stage"; fallback after the API's ID when the stage name is not
// known or is $default), with the API's stage properties under their stage names.
func (s *samResource) stage(native, apiProperty string, props map[string]string, fallback string) *graph.Resource {
	api := s.main
	body := &graph.Value{Type: graph.Map, Range: api.Body.Range, Origin: api.Body.Origin}
	for _, a := range api.Body.Attrs {
		if name, ok := props[a.Name]; ok {
			body.Attrs = append(body.Attrs, &graph.Attribute{Name: name, NameRange: a.NameRange, Range: a.Range, Value: a.Value})
		}
	}
	body.Attrs = append(body.Attrs, s.generatedAttr(apiProperty, s.refTo(api.Name, "")))
	name := fallback
	if v := api.Body.Lookup("StageName"); v != nil {
		if n, ok := v.AsString(); ok && n != "$default" {
			name = logicalIDPart(n) + "Stage"
		}
	}
	return s.add(api.Name+name, native, body, api.Header)
}

// logicalIDPart keeps the letters and digits of s, as SAM does to name a resource after a
// value.
func logicalIDPart(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
