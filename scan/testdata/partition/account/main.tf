variable "block" {
  type = bool
}

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = var.block
  block_public_policy     = true
  ignore_public_acls      = false
  restrict_public_buckets = true
}
