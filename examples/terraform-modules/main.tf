# A root module whose mistakes only show once values are evaluated, as `terraform plan`
# would: a variable default that reaches a module's security group through a local, and
# one bucket of a for_each that is public.

variable "admin_cidr" {
  type        = string
  description = "Who may reach the bastion over SSH"
  default     = "0.0.0.0/0"
}

variable "buckets" {
  type = map(string)
  default = {
    reports = "private"
    assets  = "public-read"
  }
}

locals {
  admin_cidrs = [var.admin_cidr]
}

module "bastion" {
  source     = "./modules/bastion"
  name       = "bastion"
  ssh_cidrs  = local.admin_cidrs
  create_rdp = false
}

resource "aws_s3_bucket" "site" {
  for_each = var.buckets
  bucket   = "example-${each.key}"
}

resource "aws_s3_bucket_acl" "site" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.site[each.key].id
  acl      = each.value
}

resource "aws_s3_bucket_public_access_block" "site" {
  for_each                = var.buckets
  bucket                  = aws_s3_bucket.site[each.key].id
  block_public_acls       = each.value == "private"
  block_public_policy     = true
  ignore_public_acls      = each.value == "private"
  restrict_public_buckets = true
}
