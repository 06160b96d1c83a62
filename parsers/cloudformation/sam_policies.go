package cloudformation

import (
	"fmt"
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/source"
)

// policyTemplate is an AWS SAM policy template: the statements it grants, with the
// template's parameters (`${BucketName}`) and pseudo parameters in their resources.
type policyTemplate struct {
	statements []templateStatement
}

type templateStatement struct {
	actions   []string
	resources []string // "*", or an ARN pattern
}

// arn builds an ARN pattern: the service, then what follows the account.
func arn(service, rest string) string {
	return "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + rest
}

func allow(resources []string, actions ...string) templateStatement {
	return templateStatement{actions: actions, resources: resources}
}

func on(rs ...string) []string { return rs }

var (
	s3Bucket  = "arn:${AWS::Partition}:s3:::${BucketName}"
	s3Objects = "arn:${AWS::Partition}:s3:::${BucketName}/*"
	table     = arn("dynamodb", "table/${TableName}")
	indexes   = arn("dynamodb", "table/${TableName}/index/*")
	queue     = arn("sqs", "${QueueName}")
	topic     = arn("sns", "${TopicName}")
	stream    = arn("kinesis", "stream/${StreamName}")
	key       = arn("kms", "key/${KeyId}")
)

// policyTemplates are the SAM policy templates a scan understands, by name, as the SAM
// policy template list defines them (the permissions, not the wording). A template not
// listed is reported, and the policy it stands for is Unknown.
var policyTemplates = map[string]policyTemplate{
	"S3ReadPolicy": {[]templateStatement{allow(on(s3Bucket, s3Objects),
		"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration")}},
	"S3WritePolicy": {[]templateStatement{allow(on(s3Bucket, s3Objects),
		"s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration")}},
	"S3CrudPolicy": {[]templateStatement{allow(on(s3Bucket, s3Objects),
		"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl",
		"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:DeleteObject")}},
	"S3FullAccessPolicy": {[]templateStatement{
		allow(on(s3Objects), "s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl",
			"s3:DeleteObject", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging",
			"s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
		allow(on(s3Bucket), "s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
	}},
	"DynamoDBCrudPolicy": {[]templateStatement{allow(on(table, indexes),
		"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem",
		"dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem")}},
	"DynamoDBReadPolicy": {[]templateStatement{allow(on(table, indexes),
		"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable")}},
	"DynamoDBWritePolicy": {[]templateStatement{allow(on(table, indexes),
		"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem")}},
	"DynamoDBStreamReadPolicy": {[]templateStatement{
		allow(on(arn("dynamodb", "table/${TableName}/stream/${StreamName}")), "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
		allow(on(arn("dynamodb", "table/${TableName}/stream/*")), "dynamodb:ListStreams"),
	}},
	"SQSPollerPolicy": {[]templateStatement{allow(on(queue),
		"sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
		"sqs:GetQueueAttributes", "sqs:ReceiveMessage")}},
	"SQSSendMessagePolicy":    {[]templateStatement{allow(on(queue), "sqs:SendMessage*")}},
	"SNSPublishMessagePolicy": {[]templateStatement{allow(on(topic), "sns:Publish")}},
	"SNSCrudPolicy": {[]templateStatement{allow(on(arn("sns", "${TopicName}*")),
		"sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish")}},
	"LambdaInvokePolicy": {[]templateStatement{allow(on(arn("lambda", "function:${FunctionName}*")), "lambda:InvokeFunction")}},
	"KinesisStreamReadPolicy": {[]templateStatement{
		allow(on(arn("kinesis", "stream/*")), "kinesis:ListStreams", "kinesis:DescribeLimits"),
		allow(on(stream), "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator"),
	}},
	"KinesisCrudPolicy": {[]templateStatement{allow(on(stream),
		"kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream",
		"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod",
		"kinesis:ListTagsForStream", "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard",
		"kinesis:RemoveTagsFromStream")}},
	"KMSDecryptPolicy":                      {[]templateStatement{allow(on(key), "kms:Decrypt")}},
	"KMSEncryptPolicy":                      {[]templateStatement{allow(on(key), "kms:Encrypt")}},
	"StepFunctionsExecutionPolicy":          {[]templateStatement{allow(on(arn("states", "stateMachine:${StateMachineName}")), "states:StartExecution")}},
	"EventBridgePutEventsPolicy":            {[]templateStatement{allow(on(arn("events", "event-bus/${EventBusName}")), "events:PutEvents")}},
	"AWSSecretsManagerGetSecretValuePolicy": {[]templateStatement{allow(on("${SecretArn}"), "secretsmanager:GetSecretValue")}},
	"SSMParameterReadPolicy": {[]templateStatement{
		allow(on(arn("ssm", "*")), "ssm:DescribeParameters"),
		allow(on(arn("ssm", "parameter/${ParameterName}")), "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"),
	}},
	"CloudWatchPutMetricPolicy": {[]templateStatement{allow(on("*"), "cloudwatch:PutMetricData")}},
	"EC2DescribePolicy":         {[]templateStatement{allow(on("*"), "ec2:DescribeRegions", "ec2:DescribeInstances")}},
	"VPCAccessPolicy": {[]templateStatement{allow(on("*"),
		"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface")}},
	"SESCrudPolicy": {[]templateStatement{allow(on(arn("ses", "identity/${IdentityName}")),
		"ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:VerifyEmailIdentity")}},
	"CloudFormationDescribeStacksPolicy": {[]templateStatement{allow(on(arn("cloudformation", "stack/*")), "cloudformation:DescribeStacks")}},
	"CodePipelineLambdaExecutionPolicy":  {[]templateStatement{allow(on("*"), "codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult")}},
}

// templateParam matches a `${Name}` in an ARN pattern.
var templateParam = lazyregexp.New(`\$\{([A-Za-z0-9:]+)\}`)

// expandTemplate returns the policy document a SAM policy template item (`S3ReadPolicy:
// {BucketName: !Ref Uploads}`) grants. Its parts are ranged at the item's key and marked
// as generated from the template, so findings point at the template and fixes leave it
// alone. A resource pattern is "*" or Unknown: an ARN built from the template's
// parameters and pseudo parameters, which references what the parameters reference.
// A template not in policyTemplates gives an Unknown document and a warning.
func expandTemplate(item *graph.Attribute) (*graph.Value, *source.Diagnostic) {
	at := item.NameRange
	origin := at
	trace := step(at, "policy template "+item.Name)
	gen := func(v *graph.Value) *graph.Value {
		v.Range, v.Origin, v.Trace = at, &origin, trace
		return v
	}
	t, ok := policyTemplates[item.Name]
	if !ok {
		d := source.Diagnostic{Severity: source.Warning, Summary: fmt.Sprintf("unknown AWS SAM policy template %q: the permissions it grants are not checked", item.Name), Subject: &at}
		return gen(&graph.Value{Type: graph.Unknown}), &d
	}
	statements := gen(&graph.Value{Type: graph.List})
	for _, st := range t.statements {
		actions := gen(&graph.Value{Type: graph.List})
		for _, a := range st.actions {
			actions.Items = append(actions.Items, gen(graph.StringValue(a)))
		}
		resources := gen(&graph.Value{Type: graph.List})
		for _, pattern := range st.resources {
			resources.Items = append(resources.Items, templateResource(pattern, item.Value, gen))
		}
		statements.Items = append(statements.Items, gen(graph.MapValue(false,
			graph.Attr("Effect", gen(graph.StringValue("Allow"))),
			graph.Attr("Action", actions),
			graph.Attr("Resource", resources),
		)))
	}
	doc := gen(graph.MapValue(false, graph.Attr("Version", gen(graph.StringValue("2012-10-17"))), graph.Attr("Statement", statements)))
	doc.Walk(func(x *graph.Value) {
		for _, a := range x.Attrs {
			a.NameRange, a.Range = at, at
		}
	})
	return doc, nil
}

// templateResource is one resource of a template statement: "*", or an Unknown ARN that
// references what the template parameters it reads reference.
func templateResource(pattern string, params *graph.Value, gen func(*graph.Value) *graph.Value) *graph.Value {
	if pattern == "*" {
		return gen(graph.StringValue("*"))
	}
	v := gen(&graph.Value{Type: graph.Unknown})
	for _, m := range templateParam.FindAllStringSubmatch(pattern, -1) {
		if p := params.Lookup(m[1]); p != nil {
			p.Walk(func(x *graph.Value) { v.Refs = append(v.Refs, graph.PartOf(x.Refs)...) })
		}
	}
	v.Refs = slices.Clip(v.Refs)
	return v
}
