package migration

// The peers' checks that cover several iacscan rules, named once. A trivy check is listed
// with every name trivy and tfsec accept for it: the AVD ID and the long IDs (trivy-checks
// metadata `long_id` and `aliases`; tfsec's docs/checks/aws pages).
var (
	// trivy AVD-AWS-0107 reports any world-open ingress rule, whatever its port, so it
	// covers every iacscan port rule (RULES.md 3.3), not only SSH and RDP as its title says.
	// cfn_nag W2 likewise reports any ingress open to the world.
	sgIngress = []string{"AVD-AWS-0107", "aws-ec2-no-public-ingress-sgr", "aws-vpc-no-public-ingress-sgr", "W2"}
	// KICS "Sensitive Port Is Exposed To Entire Network" (Terraform) covers the named ports.
	kicsSensitivePort = "381c3f2a-ef6f-4eff-99f7-b169cda3422c"
	s3PublicACL       = []string{"AVD-AWS-0092", "aws-s3-no-public-access-with-acl"}
)

// with returns ids followed by the groups' IDs.
func with(ids []string, groups ...[]string) []string {
	out := append([]string(nil), ids...)
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// port is the row of a named port rule: its Conformity ID, the checkov IDs, and every
// port rule's share of trivy's ingress check.
func port(conformity string, more ...string) []string {
	return with(append([]string{conformity}, more...), sgIngress)
}

// table maps each iacscan rule ID to the IDs its peers give the same check: Conformity
// knowledge-base IDs, checkov CKV_AWS/CKV2_AWS IDs, trivy AVD IDs with the tfsec/trivy long
// IDs, cfn_nag rule IDs (W/F numbers) and KICS query IDs (Terraform and CloudFormation:
// docs/queries/terraform-queries.md, cloudformation-queries.md). Sources: stelligent/cfn_nag custom_rules rule_id, RULES.md
// 3.x tables, aquasecurity/trivy-checks checks/cloud/aws/**.rego metadata, tfsec
// docs/checks/aws. It lists rules that other branches are still adding: see pending in
// the test.
var table = map[string][]string{
	// S3 (RULES.md 3.1).
	"AWS-S3-001": with([]string{"S3-001", "CKV_AWS_20", "F14", "W31", "219f4c95-aa50-44e0-97de-cf71f4641170"}, s3PublicACL),
	"AWS-S3-002": {"S3-002", "CKV_AWS_375"},
	"AWS-S3-003": with([]string{"S3-003", "CKV_AWS_57", "38c5ee0d-7f22-4260-ab72-5073048df100", "F14", "07dda8de-d90d-469e-9b37-1aca53526ced"}, s3PublicACL),
	"AWS-S3-004": {"S3-004"},
	"AWS-S3-005": {"S3-005", "CKV_AWS_375"},
	"AWS-S3-006": with([]string{"S3-006", "CKV2_AWS_43", "CKV_AWS_20", "57b9893d-33b1-4419-bcea-a717ea87e139", "835d5497-a526-4aea-a23f-98a9afd1635f"}, s3PublicACL),
	"AWS-S3-007": {"S3-007", "CKV2_AWS_43"},
	"AWS-S3-008": {"S3-008", "CKV2_AWS_43"},
	"AWS-S3-009": {"S3-009", "CKV2_AWS_43"},
	"AWS-S3-010": {"S3-010", "CKV2_AWS_43"},
	"AWS-S3-011": {"S3-011", "CKV_AWS_18", "AVD-AWS-0089", "aws-s3-enable-bucket-logging", "f861041c-8c9f-4156-acfc-5e6e524f5884", "W35", "4552b71f-0a2a-4bc4-92dd-ed7ec1b4674c"},
	"AWS-S3-012": {"S3-012", "CKV_AWS_21", "AVD-AWS-0090", "aws-s3-enable-versioning", "568a4d22-3517-44a6-a7ad-6a7eed88722c", "a227ec01-f97a-4084-91a4-47b350c1db54"},
	"AWS-S3-014": {"S3-014", "CKV_AWS_70", "F16", "4ae8af91-5108-42cb-9471-3bdbe596eac9", "7772bb8c-c0f3-42d4-8e4e-f1b8939ad085", "f97b7d23-568f-4bcc-9ac9-02df0d57fbba", "f6397a20-4cf1-4540-a997-1d363c25ef58", "acc78859-765e-4011-a229-a65ea57db252", "faa8fddf-c0aa-4b2d-84ff-e993e233ebe9", "456b00a3-1072-4149-9740-6b8bb60251b0",
		"7af43613-6bb9-4a0e-8c4d-1314b799425e", // S3 Bucket With Any Principal
		"1df37f4b-7197-45ce-83f8-9994d2fcf885", // ... Allows Get Action From All Principals
		"d24c0755-c028-44b1-b503-8e719c898832", // ... Put
		"ffdf4b37-7703-4dfe-a682-9d2e99bc6c09", // ... Delete
		"66c6f96f-2d9e-417e-a998-9058aeeecd44", // ... List
		"64a222aa-7793-4e40-915f-4b302c76e4d4", // ... Write_ACP
	},
	"AWS-S3-016": {"S3-016", "S3-021", "CKV_AWS_19", "AVD-AWS-0088", "aws-s3-enable-bucket-encryption", "W41", "b2e8752c-3497-4255-98d2-e4ae5b46bbf5", "64ab651b-f5b2-4af0-8c89-ddd03c4d0e61",
		"6726dcc0-5ff5-459d-b473-a780bef7665c", "ad03cb46-f174-4674-bf8e-2880a7000edd"},
	"AWS-S3-026": {"S3-026", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6",
		"AVD-AWS-0086", "aws-s3-block-public-acls",
		"AVD-AWS-0087", "aws-s3-block-public-policy",
		"AVD-AWS-0091", "aws-s3-ignore-public-acls",
		"AVD-AWS-0093", "aws-s3-no-public-buckets",
		"AVD-AWS-0094", "aws-s3-specify-public-access-block",
		"d0cc8694-fcad-43ff-ac86-32331d7e867f", // S3 Bucket Allows Public ACL
		"1a4bc881-9f69-4d44-8c9a-d37d08f54c50", // S3 Bucket Allows Public Policy
		"4fa66806-0dd9-4f8d-9480-3174d39c7c91", // S3 Bucket With Ignore Public ACL
		"1ec253ab-c220-4d63-b2de-5b40e0af9293", // S3 Bucket Without Restriction Of Public Bucket
	},

	// CloudTrail (3.2). Conformity CT-001 "CloudTrail Enabled" is both multi-region and logging on.
	"AWS-CT-001": {"CT-001", "CKV_AWS_67", "AVD-AWS-0014", "aws-cloudtrail-enable-all-regions", "8173d5eb-96b5-4aa6-a71b-ecfa153c123d", "058ac855-989f-4378-ba4d-52d004020da7"},
	"AWS-CT-003": {"CT-003", "AVD-AWS-0161", "aws-cloudtrail-no-public-log-access"},
	"AWS-CT-007": {"CT-007", "CKV_AWS_36", "AVD-AWS-0016", "aws-cloudtrail-enable-log-validation", "2a3560fe-52ca-4443-b34f-bf0ed5eb74c8"},
	// tfsec called AVD-AWS-0015 aws-cloudtrail-enable-at-rest-encryption; trivy renamed it.
	"AWS-CT-008": {"CT-008", "CKV_AWS_35", "AVD-AWS-0015", "aws-cloudtrail-enable-at-rest-encryption", "aws-cloudtrail-encryption-customer-managed-key", "050a9ba8-d1cb-4c61-a5e8-8805a70d3b85"},
	"AWS-CT-101": {"CT-001", "CKV_AWS_251", "4bb76f17-3d63-4529-bdca-2b454529d774"},

	// EC2 security groups (3.3).
	"AWS-EC2-001": with([]string{"EC2-001", "W27", "87482183-a8e7-4e42-a566-7a23ec231c16"}, sgIngress),
	"AWS-EC2-002": port("EC2-002", "CKV_AWS_24", "65905cec-d691-4320-b320-2000436cb696", "6e856af2-62d7-4ba2-adc1-73b62cef9cc1", "cdbb0467-2957-4a77-9992-7b55b29df7b7"),
	"AWS-EC2-003": port("EC2-003", "CKV_AWS_25", "151187cb-0efc-481c-babd-ad24e3c9bc22", "3ae83918-7ec7-4cb8-80db-b91ef0f94002", "cdbb0467-2957-4a77-9992-7b55b29df7b7"),
	"AWS-EC2-004": port("EC2-004", kicsSensitivePort),
	"AWS-EC2-005": port("EC2-005", kicsSensitivePort),
	"AWS-EC2-006": port("EC2-006", kicsSensitivePort),
	"AWS-EC2-007": port("EC2-007"),
	"AWS-EC2-008": port("EC2-008", kicsSensitivePort),
	"AWS-EC2-038": port("EC2-038", kicsSensitivePort, "cdbb0467-2957-4a77-9992-7b55b29df7b7"),
	"AWS-EC2-039": port("EC2-039", kicsSensitivePort),
	"AWS-EC2-040": port("EC2-040", kicsSensitivePort),
	"AWS-EC2-041": port("EC2-041", "cdbb0467-2957-4a77-9992-7b55b29df7b7"),
	"AWS-EC2-042": port("EC2-042", "cdbb0467-2957-4a77-9992-7b55b29df7b7"),
	"AWS-EC2-043": port("EC2-043", kicsSensitivePort),
	"AWS-EC2-044": port("EC2-044"),
	"AWS-EC2-045": port("EC2-045", kicsSensitivePort),
	"AWS-EC2-063": port("EC2-063"),
	"AWS-EC2-064": port("EC2-064", "CKV_AWS_260", "ffac8a12-322e-42c1-b9b9-81ff85c39ef7"),
	"AWS-EC2-065": port("EC2-065"),
	"AWS-EC2-074": port("EC2-074"),
	"AWS-EC2-075": port("EC2-075"),
	"AWS-EC2-101": with(nil, sgIngress),
	"AWS-EC2-102": with(nil, sgIngress),
	"AWS-EC2-103": with(nil, sgIngress),
	"AWS-EC2-104": with(nil, sgIngress),
	"AWS-EC2-105": with([]string{"CKV_AWS_277", "W42", "adcd0082-e90b-4b63-862b-21899f6e6a48", "1a427b25-2e9e-4298-9530-0499a55e736b"}, sgIngress),
	"AWS-EC2-034": with([]string{"EC2-034", "4a1e6b34-1008-4e61-a5f2-1f7c276f8d14",
		"590d878b-abdc-428f-895a-e2b68a0e1998", // Unknown Port Exposed To Internet
		"4728cd65-a20c-49da-8b31-9c08b423e4db", // Fully Open Ingress
	}, sgIngress),
	"AWS-EC2-033": {"EC2-033", "CKV_AWS_382", "AVD-AWS-0104", "aws-ec2-no-public-egress-sgr", "aws-vpc-no-public-egress-sgr", "W5", "66f2d8f9-a911-4ced-ae27-34f09690bb2c", "1cc2fbd7-816c-4fbf-ad6d-38a4afa4312a"},
	"AWS-EC2-106": {"CKV2_AWS_5"},
	"AWS-EC2-107": {"CKV_AWS_88", "CKV_AWS_130", "CKV2_AWS_19", "b3de4e4c-14be-4159-b99d-9ad194365e4c",
		"AVD-AWS-0009", "aws-ec2-no-public-ip", "aws-autoscaling-no-public-ip",
		"AVD-AWS-0164", "aws-ec2-no-public-ip-subnet"},

	// AMIs and EBS (3.4).
	"AWS-EC2-019": {"EC2-019", "CKV_AWS_205", "ba4e0031-3e9d-4d7d-b0d6-bd8f003f8698"},
	"AWS-EBS-009": {"EBS-009"},
	"AWS-EBS-001": {"EBS-001", "CKV_AWS_3", "CKV_AWS_8", "CKV2_AWS_2", "F1", "80b7ac3f-d2b7-4577-9b10-df7913497162",
		"AVD-AWS-0026", "aws-ec2-enable-volume-encryption", "aws-ebs-enable-volume-encryption",
		"AVD-AWS-0131", "aws-ec2-enable-at-rest-encryption",
		"AVD-AWS-0008", "aws-ec2-enable-launch-config-at-rest-encryption", "aws-autoscaling-enable-at-rest-encryption",
		"4de9de27-254e-424f-bd70-4c1e95790838", // Launch Configuration Is Not Encrypted
	},
	"AWS-EBS-014": {"EBS-014", "CKV_AWS_106", "3d3f6270-546b-443c-adb4-bb6fb2187ca6"},

	// RDS and Redshift (3.5, 3.6).
	"AWS-RDS-008": {"RDS-008", "CKV_AWS_17", "AVD-AWS-0180", "aws-rds-enable-public-access", "aws-rds-no-public-db-access", "35113e6f-2c6b-414d-beec-7a9482d3b2d1", "F22", "de38e1d5-54cb-4111-a868-6f7722695007"},
	"AWS-RDS-006": {"RDS-006", "CKV_AWS_226", "3b6d777b-76e3-4133-80a3-0d6f667ade7f", "f0104061-8bfc-4b45-8a7d-630eb502f281"},
	"AWS-RDS-023": {"RDS-023", "CKV_AWS_302"},
	"AWS-RS-001":  {"RS-001", "CKV_AWS_87", "af173fde-95ea-4584-b904-bb3923ac4bda", "bdf8dcb4-75df-4370-92c4-606e4ae6c4d3"},
	"AWS-RS-019":  {"RS-019", "CKV_AWS_343"},
	"AWS-RS-023":  {"RS-023"},

	// IAM (3.7).
	"AWS-IAM-001": {"IAM-001", "IAM-038", "7081f85c-b94d-40fd-8b45-a4f1cac75e46", "48677914-6fdf-40ec-80c4-2b0e94079f54"},
	"AWS-IAM-102": {"TrustedAdvisor-003", "CKV_AWS_41", "CKV_AWS_45", "CKV_AWS_46", "9ecb6b21-18bc-4aa7-bd07-db20f1c746db",
		"AVD-AWS-0029", "aws-ec2-no-secrets-in-user-data",
		"AVD-AWS-0129", "aws-ec2-no-secrets-in-launch-template-user-data", "aws-autoscaling-no-secrets-in-user-data",
		"d7b9d850-3e06-4a75-852f-c46c2e92240b", // Hardcoded AWS access key
		"1402afd8-a95c-4e84-8b0b-6fb43758e6ce", // Lambda Hardcoded AWS Access Key
	},
	"AWS-IAM-005": {"IAM-005", "IAM-006", "IAM-007", "IAM-008", "IAM-009", "IAM-010", "IAM-011", "IAM-012",
		"CKV_AWS_9", "CKV_AWS_10", "CKV_AWS_11", "CKV_AWS_12", "CKV_AWS_13", "CKV_AWS_14", "CKV_AWS_15",
		"AVD-AWS-0056", "aws-iam-no-password-reuse",
		"AVD-AWS-0058", "aws-iam-require-lowercase-in-passwords",
		"AVD-AWS-0059", "aws-iam-require-numbers-in-passwords",
		"AVD-AWS-0060", "aws-iam-require-symbols-in-passwords",
		"AVD-AWS-0061", "aws-iam-require-uppercase-in-passwords",
		"AVD-AWS-0062", "aws-iam-set-max-password-age",
		"AVD-AWS-0063", "aws-iam-set-minimum-password-length",
		"c5ff7bc9-d8ea-46dd-81cb-8286f3222249", // IAM Password Without Uppercase Letter
		"bbc7c137-6c7b-4fc4-984a-0c88e91fcaf9", // ... Lowercase Letter
		"7a70eed6-de3a-4da2-94da-a2bbc8fe2a48", // ... Symbols
		"89806cdc-9c2e-4bd1-a0dc-53f339bcfb2a", // ... Reuse Prevention
		"1bc1c685-e593-450e-88fb-19db4c82aa1d", // ... Valid Minimum Length
		"ce60d060-efb8-4bfd-9cf7-ff8945d00d90", // Incorrect Password Policy Expiration
		"b592ffd4-0577-44b6-bd35-8c5ee81b5918", // No Password Policy Enabled
	},
	"AWS-IAM-013": {"IAM-013", "AVD-AWS-0145", "aws-iam-enforce-user-mfa", "AVD-AWS-0123", "aws-iam-enforce-group-mfa", "aws-iam-enforce-mfa",
		"b5681959-6c09-4f55-b42b-c40fa12d03ec", // IAM User Policy Without MFA
		"3ddfa124-6407-4845-a501-179f90c65097", // Authentication Without MFA
	},
	"AWS-IAM-036": {"IAM-036", "IAM-066", "CKV_AWS_274", "W43"},
	"AWS-IAM-045": {"IAM-045", "CKV_AWS_62", "CKV_AWS_1", "CKV_AWS_63", "CKV_AWS_49", "CKV_AWS_355", "F3", "F4", "F5", "953b3cdb-ce13-428a-aa12-318726506661", "a0ae0a4e-712b-4115-8112-51b9eeed9d69",
		"AVD-AWS-0057", "aws-iam-no-policy-wildcards",
		"2f37c4a3-58b9-4afe-8a87-d7f1d2286f84", // IAM Policies With Full Privileges
		"b1ffa705-19a3-4b73-b9d0-0c97d0663842", // IAM Role With Full Privileges
		"575a2155-6af1-4026-b1af-d5bc8fe2a904", // IAM Policy Allows All ('*') In Policy Statement
	},
	"AWS-IAM-022": {"IAM-022", "a58d1a2d-4078-4b80-855b-84cc3f7f4540", "edc95c10-7366-4f30-9b4b-f995c84eceb5"},
	"AWS-IAM-101": {"CKV_AWS_273", "CKV2_AWS_21", "CKV2_AWS_14", "06933df4-0ea7-461c-b9b5-104d27390e0e"},

	// KMS, Kinesis, SQS, SNS (3.8).
	"AWS-KMS-002":     {"KMS-002", "CKV_AWS_7", "AVD-AWS-0065", "aws-kms-auto-rotate-keys", "F19", "1c07bfaf-663c-4f6f-b22b-8e2d481e4df5", "235ca980-eb71-48f4-9030-df0c371029eb"},
	"AWS-KMS-004":     {"KMS-004", "CKV_AWS_227", "0b530315-0ea4-497f-b34c-4ff86268f59d", "2844c749-bd78-4cd1-90e8-b179df827602"},
	"AWS-KINESIS-001": {"Kinesis-001", "CKV_AWS_43", "AVD-AWS-0064", "aws-kinesis-enable-in-transit-encryption", "862fe4bf-3eec-4767-a517-40f378886b88", "W49", "7f65be75-90ab-4036-8c2a-410aef7bb650"},
	"AWS-SQS-004":     {"SQS-004", "CKV_AWS_27", "AVD-AWS-0096", "aws-sqs-enable-queue-encryption", "6e8849c1-3aa7-40e3-9063-b85ee300f29f", "W48", "12726829-93ed-4d51-9cbe-13423f4299e1"},
	"AWS-SNS-001":     {"SNS-001", "SNS-004", "SNS-005", "CKV_AWS_169", "b26d2b7e-60f6-413d-a3a1-a57db24aa2b3", "F18"},

	// Lambda (3.9).
	"AWS-LAMBDA-003": {"Lambda-003", "CKV_AWS_50", "AVD-AWS-0066", "aws-lambda-enable-tracing", "AVD-AWS-0125", "aws-sam-enable-function-tracing", "9488c451-074e-4cd3-aee3-7db6104f542c"},
	"AWS-LAMBDA-004": {"Lambda-004", "Lambda-002", "CKV_AWS_301", "AVD-AWS-0067", "aws-lambda-restrict-source-arn", "F13", "1d6e16f1-5d8a-4379-bfb3-2dadd38ed5a7"},

	// Account and region services (3.10).
	"AWS-GD-001":     {"GD-001", "CKV_AWS_238", "CKV2_AWS_3", "704dadd3-54fc-48ac-b6a0-02f170011473", "a25cd877-375c-4121-a640-730929936fac"},
	"AWS-CONFIG-001": {"Config-001", "CKV2_AWS_45", "CKV2_AWS_48", "CKV_AWS_121", "AVD-AWS-0019", "aws-config-aggregate-all-regions", "ac5a0bc0-a54c-45aa-90c3-15f7703b9132"},
	"AWS-ORG-002":    {"Organizations-002", "5ba6229c-8057-433e-91d0-21cf13569ca9"},
	"AWS-CFM-005":    {"CFM-005"},

	// VPC and network ACLs (3.11).
	"AWS-VPC-001": {"VPC-001", "CKV2_AWS_11", "AVD-AWS-0178", "aws-ec2-require-vpc-flow-logs-for-all-vpcs", "f83121ea-03da-434f-9277-9cd247ab3047", "f6d299d2-21eb-41cc-b1e1-fe12d857500b"},
	"AWS-VPC-017": {"VPC-017", "CKV_AWS_229", "CKV_AWS_230", "CKV_AWS_231", "CKV_AWS_232", "CKV_AWS_352", "f57f849c-883b-4cb7-85e7-f7b199dff163", "03879981-efa2-47a0-a818-c843e1441b88",
		"AVD-AWS-0105", "aws-ec2-no-public-ingress-acl", "aws-vpc-no-public-ingress-acl",
		"AVD-AWS-0102", "aws-ec2-no-excessive-port-access", "aws-vpc-no-excessive-port-access"},
	"AWS-VPC-101": {"AVD-AWS-0101", "aws-ec2-no-default-vpc", "aws-vpc-no-default-vpc", "96ed3526-0179-4c73-b1b2-372fde2e0d13"},

	// Load balancers (3.12).
	"AWS-ELBV2-101": {"CKV_AWS_378"},
	"AWS-ELBV2-007": {"ELBv2-007", "ELB-013", "AVD-AWS-0053", "aws-elb-alb-not-public"},
}
