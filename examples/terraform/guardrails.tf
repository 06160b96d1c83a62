# Block Public Access for the data bucket, joined by the bucket's literal name.
# ignore_public_acls neutralises the authenticated-read ACL in data.tf, but the
# policy is still public because restrict_public_buckets is off.
resource "aws_s3_bucket_public_access_block" "app_data" {
  bucket = "acme-app-data"

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}
