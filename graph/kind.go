package graph

// Format is the input format a resource was read from.
type Format uint8

const (
	FormatNone Format = iota // not an input iacscan reads
	Terraform
	TerraformJSON
	CloudFormationYAML
	CloudFormationJSON
	Serverless
)

var formatNames = [...]string{"none", "terraform", "terraform-json", "cloudformation-yaml", "cloudformation-json", "serverless"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// IsTerraform reports whether f is Terraform, native or JSON.
func (f Format) IsTerraform() bool { return f == Terraform || f == TerraformJSON }

// MarshalText makes JSON reports show the format's name.
func (f Format) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Kind is the canonical resource kind rules select on. Terraform types are canonical;
// CloudFormation types are mapped onto them by the adapter (AWS::S3::Bucket → aws_s3_bucket)
// and keep their own name (Resource.Native) where no Terraform twin exists.
type Kind string

// The kinds rules use. A rule never spells a kind as a string literal.
const (
	S3Bucket                   Kind = "aws_s3_bucket"
	S3BucketACL                Kind = "aws_s3_bucket_acl"
	S3BucketPolicy             Kind = "aws_s3_bucket_policy"
	S3BucketPublicAccessBlock  Kind = "aws_s3_bucket_public_access_block"
	S3AccountPublicAccessBlock Kind = "aws_s3_account_public_access_block"
	S3BucketOwnershipControls  Kind = "aws_s3_bucket_ownership_controls"
	S3BucketEncryption         Kind = "aws_s3_bucket_server_side_encryption_configuration"
	S3BucketVersioning         Kind = "aws_s3_bucket_versioning"
	S3BucketLogging            Kind = "aws_s3_bucket_logging"
	S3BucketWebsite            Kind = "aws_s3_bucket_website_configuration"
	IAMPolicyDocument          Kind = "data.aws_iam_policy_document"
	CallerIdentity             Kind = "data.aws_caller_identity"

	SecurityGroup               Kind = "aws_security_group"
	DefaultSecurityGroup        Kind = "aws_default_security_group"
	SecurityGroupRule           Kind = "aws_security_group_rule"
	VPCSecurityGroupIngressRule Kind = "aws_vpc_security_group_ingress_rule"
	VPCSecurityGroupEgressRule  Kind = "aws_vpc_security_group_egress_rule"

	ServerlessProvider Kind = "serverless_provider"
	ServerlessFunction Kind = "serverless_function"
)

// IAM and policies: the identities, the documents attached to them and the resources
// that carry a resource-based policy.
const (
	IAMPolicy                Kind = "aws_iam_policy"
	IAMRole                  Kind = "aws_iam_role"
	IAMUser                  Kind = "aws_iam_user"
	IAMGroup                 Kind = "aws_iam_group"
	IAMRolePolicy            Kind = "aws_iam_role_policy"
	IAMUserPolicy            Kind = "aws_iam_user_policy"
	IAMGroupPolicy           Kind = "aws_iam_group_policy"
	IAMRolePolicyAttachment  Kind = "aws_iam_role_policy_attachment"
	IAMUserPolicyAttachment  Kind = "aws_iam_user_policy_attachment"
	IAMGroupPolicyAttachment Kind = "aws_iam_group_policy_attachment"
	IAMPolicyAttachment      Kind = "aws_iam_policy_attachment"
	IAMUserLoginProfile      Kind = "aws_iam_user_login_profile"
	IAMUserGroupMembership   Kind = "aws_iam_user_group_membership"
	IAMGroupMembership       Kind = "aws_iam_group_membership"
	IAMAccessKey             Kind = "aws_iam_access_key"
	IAMAccountPasswordPolicy Kind = "aws_iam_account_password_policy"
	// IAMInlinePolicy is CloudFormation's AWS::IAM::Policy, an inline policy embedded in
	// the users, groups and roles it names; Terraform has one resource per holder.
	IAMInlinePolicy     Kind = "AWS::IAM::Policy"
	SNSTopic            Kind = "aws_sns_topic"
	SNSTopicPolicy      Kind = "aws_sns_topic_policy"
	SQSQueue            Kind = "aws_sqs_queue"
	SQSQueuePolicy      Kind = "aws_sqs_queue_policy"
	LambdaFunction      Kind = "aws_lambda_function"
	LambdaPermission    Kind = "aws_lambda_permission"
	EC2Instance         Kind = "aws_instance"
	LaunchTemplate      Kind = "aws_launch_template"
	LaunchConfiguration Kind = "aws_launch_configuration"
	// SAMFunction is AWS::Serverless::Function (SAM): its Policies hold inline documents
	// and managed policy names or ARNs for the role SAM creates.
	SAMFunction Kind = "AWS::Serverless::Function"
	// TerraformProvider is a Terraform `provider "aws"` block.
	TerraformProvider Kind = "provider.aws"
)

// CloudFormationKinds maps the CloudFormation types that have a Terraform twin onto the
// canonical kind. Attribute names stay as written; typed views know both spellings.
// AWS::EC2::SecurityGroupIngress/Egress carry one rule each, like the VPC rule resources.
var CloudFormationKinds = map[string]Kind{
	"AWS::S3::Bucket":                           S3Bucket,
	"AWS::S3::BucketPolicy":                     S3BucketPolicy,
	"AWS::EC2::SecurityGroup":                   SecurityGroup,
	"AWS::EC2::SecurityGroupIngress":            VPCSecurityGroupIngressRule,
	"AWS::EC2::SecurityGroupEgress":             VPCSecurityGroupEgressRule,
	"AWS::EC2::Instance":                        "aws_instance",
	"AWS::EC2::Volume":                          "aws_ebs_volume",
	"AWS::CloudTrail::Trail":                    "aws_cloudtrail",
	"AWS::RDS::DBInstance":                      "aws_db_instance",
	"AWS::Redshift::Cluster":                    "aws_redshift_cluster",
	"AWS::IAM::Role":                            "aws_iam_role",
	"AWS::KMS::Key":                             "aws_kms_key",
	"AWS::SQS::Queue":                           "aws_sqs_queue",
	"AWS::SNS::Topic":                           "aws_sns_topic",
	"AWS::Lambda::Function":                     "aws_lambda_function",
	"AWS::Kinesis::Stream":                      "aws_kinesis_stream",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "aws_lb",

	// IAM and policies
	"AWS::IAM::Policy":                      IAMInlinePolicy,
	"AWS::IAM::ManagedPolicy":               IAMPolicy,
	"AWS::IAM::User":                        IAMUser,
	"AWS::IAM::Group":                       IAMGroup,
	"AWS::IAM::AccessKey":                   IAMAccessKey,
	"AWS::IAM::UserToGroupAddition":         IAMGroupMembership,
	"AWS::SNS::TopicPolicy":                 SNSTopicPolicy,
	"AWS::SQS::QueuePolicy":                 SQSQueuePolicy,
	"AWS::Lambda::Permission":               LambdaPermission,
	"AWS::EC2::LaunchTemplate":              LaunchTemplate,
	"AWS::AutoScaling::LaunchConfiguration": LaunchConfiguration,
}

// CloudFormationKind returns the canonical kind of a CloudFormation type, or the type itself.
func CloudFormationKind(native string) Kind {
	if k, ok := CloudFormationKinds[native]; ok {
		return k
	}
	return Kind(native)
}
