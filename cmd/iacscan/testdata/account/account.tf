# The account's audit setup: a trail, a Config recorder and EBS default encryption, but no
# GuardDuty detector.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = "audit-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/abc"
}

resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/config"
  recording_group {
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "main" {
  name           = "main"
  s3_bucket_name = "config-history"
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
}

resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}
