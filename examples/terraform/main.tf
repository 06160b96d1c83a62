# A small web platform: a public website bucket, an access-log bucket, and an
# application data bucket configured in the AWS provider v4+ split style.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

# Legacy inline style: readable by everyone, no encryption, no versioning.
resource "aws_s3_bucket" "website" {
  bucket = "acme-marketing-site"
  acl    = "public-read"

  website {
    index_document = "index.html"
  }

  logging {
    target_bucket = aws_s3_bucket.access_logs.id
    target_prefix = "website/"
  }
}

# Log target: log-delivery-write is how S3 server access logging works, not public.
resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"
  acl    = "log-delivery-write"

  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
