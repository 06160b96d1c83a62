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

	// Resource settings (RULES.md 3.2, 3.4-3.6, 3.8-3.10, 3.12)
	CloudTrail             Kind = "aws_cloudtrail"
	EBSVolume              Kind = "aws_ebs_volume"
	EBSEncryptionByDefault Kind = "aws_ebs_encryption_by_default"
	EBSSnapshotBlockPublic Kind = "aws_ebs_snapshot_block_public_access"
	AMILaunchPermission    Kind = "aws_ami_launch_permission"
	Instance               Kind = "aws_instance"
	LaunchTemplate         Kind = "aws_launch_template"
	LaunchConfiguration    Kind = "aws_launch_configuration"
	DBInstance             Kind = "aws_db_instance"
	RDSClusterInstance     Kind = "aws_rds_cluster_instance"
	DBSnapshot             Kind = "aws_db_snapshot"
	DBClusterSnapshot      Kind = "aws_db_cluster_snapshot"
	RedshiftCluster        Kind = "aws_redshift_cluster"
	RedshiftParameterGroup Kind = "aws_redshift_parameter_group"
	KMSKey                 Kind = "aws_kms_key"
	KinesisStream          Kind = "aws_kinesis_stream"
	SQSQueue               Kind = "aws_sqs_queue"
	LambdaFunction         Kind = "aws_lambda_function"
	GuardDutyDetector      Kind = "aws_guardduty_detector"
	ConfigRecorder         Kind = "aws_config_configuration_recorder"
	ConfigRecorderStatus   Kind = "aws_config_configuration_recorder_status"
	ConfigDeliveryChannel  Kind = "aws_config_delivery_channel"
	Organization           Kind = "aws_organizations_organization"
	LoadBalancer           Kind = "aws_lb"
	ClassicLoadBalancer    Kind = "aws_elb"
	TargetGroup            Kind = "aws_lb_target_group"
	AWSProvider            Kind = "provider.aws"
	KMSAlias               Kind = "aws_kms_alias"
	KMSKeyPolicy           Kind = "aws_kms_key_policy"

	ServerlessProvider Kind = "serverless_provider"
	ServerlessFunction Kind = "serverless_function"
	// ServerlessService is a serverless.yml's own settings (plugins, custom, ...).
	ServerlessService Kind = "serverless_service"
)

// IsConfiguration reports whether k is configuration the graph holds for the rules that
// read it (a Terraform provider, a serverless.yml's own settings) rather than a resource of
// the infrastructure: scans do not count it among their resources.
func (k Kind) IsConfiguration() bool { return k == AWSProvider || k == ServerlessService }

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
	IAMInlinePolicy  Kind = "AWS::IAM::Policy"
	SNSTopic         Kind = "aws_sns_topic"
	SNSTopicPolicy   Kind = "aws_sns_topic_policy"
	SQSQueuePolicy   Kind = "aws_sqs_queue_policy"
	LambdaPermission Kind = "aws_lambda_permission"

	// Network: what the exposure view, the VPC rules and the unused-group rule join.
	VPC                     Kind = "aws_vpc"
	DefaultVPC              Kind = "aws_default_vpc"
	Subnet                  Kind = "aws_subnet"
	FlowLog                 Kind = "aws_flow_log"
	NetworkACL              Kind = "aws_network_acl"
	DefaultNetworkACL       Kind = "aws_default_network_acl"
	NetworkACLRule          Kind = "aws_network_acl_rule"
	EIP                     Kind = "aws_eip"
	EIPAssociation          Kind = "aws_eip_association"
	AutoScalingGroup        Kind = "aws_autoscaling_group"
	NetworkInterface        Kind = "aws_network_interface"
	LBListener              Kind = "aws_lb_listener"
	LBListenerRule          Kind = "aws_lb_listener_rule"
	LBTargetGroupAttachment Kind = "aws_lb_target_group_attachment"
	RDSCluster              Kind = "aws_rds_cluster"
	DataSubnet              Kind = "data.aws_subnet"
	DataVPC                 Kind = "data.aws_vpc"
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
	"AWS::EC2::Instance":                        Instance,
	"AWS::EC2::Volume":                          EBSVolume,
	"AWS::EC2::LaunchTemplate":                  LaunchTemplate,
	"AWS::AutoScaling::LaunchConfiguration":     LaunchConfiguration,
	"AWS::CloudTrail::Trail":                    CloudTrail,
	"AWS::RDS::DBInstance":                      DBInstance,
	"AWS::Redshift::Cluster":                    RedshiftCluster,
	"AWS::Redshift::ClusterParameterGroup":      RedshiftParameterGroup,
	"AWS::GuardDuty::Detector":                  GuardDutyDetector,
	"AWS::Config::ConfigurationRecorder":        ConfigRecorder,
	"AWS::Config::DeliveryChannel":              ConfigDeliveryChannel,
	"AWS::Organizations::Organization":          Organization,
	"AWS::ElasticLoadBalancingV2::TargetGroup":  TargetGroup,
	"AWS::ElasticLoadBalancing::LoadBalancer":   ClassicLoadBalancer,
	"AWS::IAM::Role":                            IAMRole,
	"AWS::KMS::Key":                             KMSKey,
	"AWS::KMS::Alias":                           KMSAlias,
	"AWS::SQS::Queue":                           SQSQueue,
	"AWS::SNS::Topic":                           SNSTopic,
	"AWS::Lambda::Function":                     LambdaFunction,
	"AWS::Kinesis::Stream":                      KinesisStream,
	"AWS::ElasticLoadBalancingV2::LoadBalancer": LoadBalancer,

	// IAM and policies
	"AWS::IAM::Policy":              IAMInlinePolicy,
	"AWS::IAM::ManagedPolicy":       IAMPolicy,
	"AWS::IAM::User":                IAMUser,
	"AWS::IAM::Group":               IAMGroup,
	"AWS::IAM::AccessKey":           IAMAccessKey,
	"AWS::IAM::UserToGroupAddition": IAMGroupMembership,
	"AWS::SNS::TopicPolicy":         SNSTopicPolicy,
	"AWS::SQS::QueuePolicy":         SQSQueuePolicy,
	"AWS::Lambda::Permission":       LambdaPermission,

	// Network
	"AWS::EC2::VPC":                             VPC,
	"AWS::EC2::Subnet":                          Subnet,
	"AWS::EC2::FlowLog":                         FlowLog,
	"AWS::EC2::NetworkAcl":                      NetworkACL,
	"AWS::EC2::NetworkAclEntry":                 NetworkACLRule,
	"AWS::EC2::EIP":                             EIP,
	"AWS::EC2::EIPAssociation":                  EIPAssociation,
	"AWS::EC2::NetworkInterface":                NetworkInterface,
	"AWS::AutoScaling::AutoScalingGroup":        AutoScalingGroup,
	"AWS::ElasticLoadBalancingV2::Listener":     LBListener,
	"AWS::ElasticLoadBalancingV2::ListenerRule": LBListenerRule,
	"AWS::RDS::DBCluster":                       RDSCluster,
	"AWS::ElastiCache::CacheCluster":            "aws_elasticache_cluster",
	"AWS::ElastiCache::ReplicationGroup":        "aws_elasticache_replication_group",
}

// CloudFormationKind returns the canonical kind of a CloudFormation type, or the type itself.
func CloudFormationKind(native string) Kind {
	if k, ok := CloudFormationKinds[native]; ok {
		return k
	}
	return Kind(native)
}

// TerraformKinds maps Terraform types that are another name of a canonical kind onto it:
// the provider's aws_alb is aws_lb.
var TerraformKinds = map[string]Kind{
	"aws_alb":              LoadBalancer,
	"aws_alb_target_group": TargetGroup,
	"aws_alb_listener":     LBListener,
}

// TerraformKind returns the canonical kind of a Terraform resource type.
func TerraformKind(typ string) Kind {
	if k, ok := TerraformKinds[typ]; ok {
		return k
	}
	return Kind(typ)
}
