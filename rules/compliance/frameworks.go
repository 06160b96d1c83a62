package compliance

// The kinds controls are about, by the canonical (Terraform) kind names the graph uses.
var (
	s3Kinds       = []string{"aws_s3_bucket"}
	trailKinds    = []string{"aws_cloudtrail"}
	sgKinds       = []string{"aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"}
	naclKinds     = []string{"aws_network_acl", "aws_network_acl_rule"}
	dbKinds       = []string{"aws_db_instance", "aws_rds_cluster_instance"}
	passwordKinds = []string{"aws_iam_account_password_policy"}
	consoleKinds  = []string{"aws_iam_user_login_profile", "aws_iam_user"}
	policyKinds   = []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
		"aws_iam_user", "aws_iam_group", "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment",
		"aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "serverless_provider"}
	instanceKinds = []string{"aws_instance", "aws_launch_template", "aws_launch_configuration", "aws_subnet", "aws_eip"}
	volumeKinds   = []string{"aws_ebs_volume", "aws_instance", "aws_launch_template", "aws_launch_configuration"}
)

// checked is a control iacscan's rules decide from the source files.
func checked(id, title string, kinds []string, rules ...string) Control {
	return Control{ID: id, Title: title, Rules: rules, Kinds: kinds}
}

// runtime is a control about the running account (root user, credential age, activity):
// no template can show it.
func runtime(id, title string) Control { return Control{ID: id, Title: title, Runtime: true} }

// withFamily narrows a network control to sources of one address family.
func withFamily(family string, c Control) Control {
	c.Family = family
	return c
}

// uncovered is a control a template could show but no iacscan rule checks yet.
func uncovered(id, title string) Control { return Control{ID: id, Title: title} }

// adminPortRules decide whether a security group opens SSH or RDP (the remote
// administration ports) to the world: their named rules and the all-ports rule.
var adminPortRules = []string{"AWS-EC2-002", "AWS-EC2-003", "AWS-EC2-105"}

// CIS is the CIS Amazon Web Services Foundations Benchmark v6.0.0, every recommendation
// in order (section 1 has none).
var CIS = &Framework{
	Name: "cis-aws", Title: "CIS AWS Foundations Benchmark v6.0.0", Tag: "cis-aws-6.0.0",
	Controls: []Control{
		runtime("2.1", "Maintain current contact details"),
		uncovered("2.2", "Ensure security contact information is registered"),
		runtime("2.3", "Ensure no 'root' user account access key exists"),
		runtime("2.4", "Ensure MFA is enabled for the 'root' user account"),
		runtime("2.5", "Ensure hardware MFA is enabled for the 'root' user account"),
		runtime("2.6", "Eliminate use of the 'root' user for administrative and daily tasks"),
		checked("2.7", "Ensure IAM password policy requires minimum length of 14 or greater", passwordKinds, "AWS-IAM-005"),
		checked("2.8", "Ensure IAM password policy prevents password reuse", passwordKinds, "AWS-IAM-005"),
		checked("2.9", "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password", consoleKinds, "AWS-IAM-013"),
		runtime("2.10", "Do not create access keys during initial setup for IAM users with a console password"),
		runtime("2.11", "Ensure credentials unused for 45 days or more are disabled"),
		runtime("2.12", "Ensure there is only one active access key for any single IAM user"),
		runtime("2.13", "Ensure access keys are rotated every 90 days or less"),
		uncovered("2.14", "Ensure IAM users receive permissions only through groups"),
		checked("2.15", `Ensure IAM policies that allow full "*:*" administrative privileges are not attached`, policyKinds, "AWS-IAM-045", "AWS-IAM-036"),
		uncovered("2.16", "Ensure a support role has been created to manage incidents with AWS Support"),
		uncovered("2.17", "Ensure IAM instance roles are used for AWS resource access from instances"),
		runtime("2.18", "Ensure that all expired SSL/TLS certificates stored in AWS IAM are removed"),
		uncovered("2.19", "Ensure that IAM External Access Analyzer is enabled for all regions"),
		runtime("2.20", "Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments"),
		uncovered("2.21", "Ensure access to AWSCloudShellFullAccess is restricted"),
		uncovered("3.1.1", "Ensure S3 Bucket Policy is set to deny HTTP requests"),
		uncovered("3.1.2", "Ensure MFA Delete is enabled on S3 buckets"),
		runtime("3.1.3", "Ensure all data in Amazon S3 has been discovered, classified, and secured when necessary"),
		checked("3.1.4", "Ensure that S3 is configured with 'Block Public Access' enabled", s3Kinds, "AWS-S3-026"),
		uncovered("3.2.1", "Ensure that encryption-at-rest is enabled for RDS instances"),
		checked("3.2.2", "Ensure the Auto Minor Version Upgrade feature is enabled for RDS instances", dbKinds, "AWS-RDS-006"),
		checked("3.2.3", "Ensure that RDS instances are not publicly accessible", dbKinds, "AWS-RDS-008"),
		uncovered("3.2.4", "Ensure Multi-AZ deployments are used for enhanced availability in Amazon RDS"),
		uncovered("3.3.1", "Ensure that encryption is enabled for EFS file systems"),
		checked("4.1", "Ensure CloudTrail is enabled in all regions", trailKinds, "AWS-CT-001", "AWS-CT-101"),
		checked("4.2", "Ensure CloudTrail log file validation is enabled", trailKinds, "AWS-CT-007"),
		checked("4.3", "Ensure AWS Config is enabled in all regions", []string{"aws_config_configuration_recorder", "aws_config_configuration_recorder_status"}, "AWS-CONFIG-001"),
		uncovered("4.4", "Ensure that server access logging is enabled on the CloudTrail S3 bucket"),
		checked("4.5", "Ensure CloudTrail logs are encrypted at rest using KMS CMKs", trailKinds, "AWS-CT-008"),
		checked("4.6", "Ensure rotation for customer-created symmetric CMKs is enabled", []string{"aws_kms_key"}, "AWS-KMS-002"),
		checked("4.7", "Ensure VPC flow logging is enabled in all VPCs", []string{"aws_vpc"}, "AWS-VPC-001"),
		uncovered("4.8", "Ensure that object-level logging for write events is enabled for S3 buckets"),
		uncovered("4.9", "Ensure that object-level logging for read events is enabled for S3 buckets"),
		uncovered("5.1", "Ensure unauthorized API calls are monitored"),
		uncovered("5.2", "Ensure management console sign-in without MFA is monitored"),
		uncovered("5.3", "Ensure usage of the 'root' account is monitored"),
		uncovered("5.4", "Ensure IAM policy changes are monitored"),
		uncovered("5.5", "Ensure CloudTrail configuration changes are monitored"),
		uncovered("5.6", "Ensure AWS Management Console authentication failures are monitored"),
		uncovered("5.7", "Ensure disabling or scheduled deletion of customer created CMKs is monitored"),
		uncovered("5.8", "Ensure S3 bucket policy changes are monitored"),
		uncovered("5.9", "Ensure AWS Config configuration changes are monitored"),
		uncovered("5.10", "Ensure security group changes are monitored"),
		uncovered("5.11", "Ensure Network Access Control List (NACL) changes are monitored"),
		uncovered("5.12", "Ensure changes to network gateways are monitored"),
		uncovered("5.13", "Ensure route table changes are monitored"),
		uncovered("5.14", "Ensure VPC changes are monitored"),
		uncovered("5.15", "Ensure AWS Organizations changes are monitored"),
		uncovered("5.16", "Ensure AWS Security Hub is enabled"),
		checked("6.1.1", "Ensure EBS volume encryption is enabled in all regions", []string{"aws_ebs_encryption_by_default"}, "AWS-EBS-014"),
		checked("6.1.2", "Ensure CIFS access is restricted to trusted networks to prevent unauthorized access", sgKinds, "AWS-EC2-043", "AWS-EC2-105"),
		checked("6.2", "Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports", naclKinds, "AWS-VPC-017"),
		withFamily("ipv4", checked("6.3", "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports", sgKinds, adminPortRules...)),
		withFamily("ipv6", checked("6.4", "Ensure no security groups allow ingress from ::/0 to remote server administration ports", sgKinds, adminPortRules...)),
		uncovered("6.5", "Ensure the default security group of every VPC restricts all traffic"),
		uncovered("6.6", "Ensure routing tables for VPC peering are 'least access'"),
		uncovered("6.7", "Ensure that the EC2 Metadata Service only allows IMDSv2"),
	},
}

// FSBP is the AWS Foundational Security Best Practices standard (Security Hub control
// IDs): the controls of the services iacscan checks, and the runtime-only IAM ones.
var FSBP = &Framework{
	Name: "aws-fsbp", Title: "AWS Foundational Security Best Practices (services iacscan checks)", Tag: "aws-fsbp",
	Controls: []Control{
		checked("CloudTrail.1", "CloudTrail should be enabled and configured with at least one multi-Region trail", trailKinds, "AWS-CT-001", "AWS-CT-101"),
		checked("CloudTrail.2", "CloudTrail should have encryption at rest enabled", trailKinds, "AWS-CT-008"),
		checked("CloudTrail.4", "CloudTrail log file validation should be enabled", trailKinds, "AWS-CT-007"),
		checked("Config.1", "AWS Config should be enabled", []string{"aws_config_configuration_recorder", "aws_config_configuration_recorder_status"}, "AWS-CONFIG-001"),
		checked("EC2.1", "Amazon EBS snapshots should not be publicly restorable", []string{"aws_ebs_snapshot_block_public_access"}, "AWS-EBS-009"),
		uncovered("EC2.2", "VPC default security groups should not allow inbound or outbound traffic"),
		checked("EC2.3", "Attached EBS volumes should be encrypted at rest", volumeKinds, "AWS-EBS-001"),
		checked("EC2.6", "VPC flow logging should be enabled in all VPCs", []string{"aws_vpc"}, "AWS-VPC-001"),
		checked("EC2.7", "EBS default encryption should be enabled", []string{"aws_ebs_encryption_by_default"}, "AWS-EBS-014"),
		checked("EC2.9", "EC2 instances should not have a public IPv4 address", instanceKinds, "AWS-EC2-107"),
		checked("EC2.15", "EC2 subnets should not automatically assign public IP addresses", instanceKinds, "AWS-EC2-107"),
		checked("EC2.18", "Security groups should only allow unrestricted incoming traffic for authorized ports", sgKinds, "AWS-EC2-034", "AWS-EC2-001", "AWS-EC2-105"),
		checked("EC2.19", "Security groups should not allow unrestricted access to ports with high risk", sgKinds,
			"AWS-EC2-002", "AWS-EC2-003", "AWS-EC2-005", "AWS-EC2-006", "AWS-EC2-008", "AWS-EC2-038", "AWS-EC2-039", "AWS-EC2-040",
			"AWS-EC2-042", "AWS-EC2-043", "AWS-EC2-063", "AWS-EC2-101", "AWS-EC2-102", "AWS-EC2-104", "AWS-EC2-105"),
		checked("EC2.21", "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389", naclKinds, "AWS-VPC-017"),
		checked("EC2.25", "EC2 launch templates should not assign public IPs to network interfaces", instanceKinds, "AWS-EC2-107"),
		checked("GuardDuty.1", "GuardDuty should be enabled", []string{"aws_guardduty_detector"}, "AWS-GD-001"),
		checked("IAM.1", "IAM policies should not allow full '*' administrative privileges", policyKinds, "AWS-IAM-045", "AWS-IAM-036"),
		runtime("IAM.3", "IAM users' access keys should be rotated every 90 days or less"),
		runtime("IAM.4", "IAM root user access key should not exist"),
		checked("IAM.5", "MFA should be enabled for all IAM users that have a console password", consoleKinds, "AWS-IAM-013"),
		runtime("IAM.6", "Hardware MFA should be enabled for the root user"),
		checked("IAM.7", "Password policies for IAM users should have strong configurations", passwordKinds, "AWS-IAM-005"),
		runtime("IAM.8", "Unused IAM user credentials should be removed"),
		checked("Kinesis.1", "Kinesis Data Streams should be encrypted at rest", []string{"aws_kinesis_stream"}, "AWS-KINESIS-001"),
		checked("KMS.3", "AWS KMS keys should not be unintentionally deleted", []string{"aws_kms_key"}, "AWS-KMS-004"),
		checked("Lambda.1", "Lambda function policies should prohibit public access", []string{"aws_lambda_permission"}, "AWS-LAMBDA-004"),
		checked("RDS.1", "RDS snapshots should be private", []string{"aws_db_snapshot", "aws_db_cluster_snapshot"}, "AWS-RDS-023"),
		checked("RDS.2", "RDS DB instances should prohibit public access", dbKinds, "AWS-RDS-008"),
		checked("RDS.13", "RDS automatic minor version upgrades should be enabled", dbKinds, "AWS-RDS-006"),
		checked("Redshift.1", "Amazon Redshift clusters should prohibit public access", []string{"aws_redshift_cluster"}, "AWS-RS-001"),
		checked("Redshift.3", "Amazon Redshift clusters should have automatic snapshots enabled", []string{"aws_redshift_cluster"}, "AWS-RS-019"),
		checked("Redshift.4", "Amazon Redshift clusters should have audit logging enabled", []string{"aws_redshift_cluster"}, "AWS-RS-023"),
		checked("S3.1", "S3 Block Public Access setting should be enabled", s3Kinds, "AWS-S3-026"),
		checked("S3.2", "S3 buckets should prohibit public read access", s3Kinds, "AWS-S3-001", "AWS-S3-006", "AWS-S3-014"),
		checked("S3.3", "S3 buckets should prohibit public write access", s3Kinds, "AWS-S3-003", "AWS-S3-008", "AWS-S3-014"),
		checked("S3.8", "S3 Block Public Access setting should be enabled at the bucket level", s3Kinds, "AWS-S3-026"),
		checked("S3.9", "S3 bucket server access logging should be enabled", s3Kinds, "AWS-S3-011"),
		checked("SNS.4", "SNS topic access policies should not allow public access", []string{"aws_sns_topic", "aws_sns_topic_policy"}, "AWS-SNS-001"),
		checked("SQS.1", "Amazon SQS queues should be encrypted at rest", []string{"aws_sqs_queue"}, "AWS-SQS-004"),
	},
}

// Frameworks are the compliance views `--compliance` offers, by name.
var Frameworks = map[string]*Framework{CIS.Name: CIS, FSBP.Name: FSBP}
