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
	// TerraformPlan is a plan's JSON representation (terraform show -json): Terraform
	// resources as planned, which nothing edits.
	TerraformPlan
)

var formatNames = [...]string{"none", "terraform", "terraform-json", "cloudformation-yaml", "cloudformation-json", "serverless", "terraform-plan"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// IsTerraform reports whether f is Terraform: native, JSON, or a plan's JSON.
func (f Format) IsTerraform() bool { return f == Terraform || f == TerraformJSON || f == TerraformPlan }

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
	"AWS::IAM::Policy":                          "aws_iam_policy",
	"AWS::IAM::Role":                            "aws_iam_role",
	"AWS::KMS::Key":                             "aws_kms_key",
	"AWS::SQS::Queue":                           "aws_sqs_queue",
	"AWS::SNS::Topic":                           "aws_sns_topic",
	"AWS::Lambda::Function":                     "aws_lambda_function",
	"AWS::Kinesis::Stream":                      "aws_kinesis_stream",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "aws_lb",
}

// CloudFormationKind returns the canonical kind of a CloudFormation type, or the type itself.
func CloudFormationKind(native string) Kind {
	if k, ok := CloudFormationKinds[native]; ok {
		return k
	}
	return Kind(native)
}
