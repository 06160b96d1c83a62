package bench

import (
	"fmt"
	"path/filepath"
)

// examplesPerRepo is how many example root modules each generated repository has.
const examplesPerRepo = 8

// WriteModuleCorpus writes repos copies of a repository shaped like the
// terraform-aws-modules ones: a module at the top (variables with types and defaults,
// locals, count and for_each resources, a dynamic block, a jsonencode policy, a
// conditional submodule) and examples/NN root modules that each call it twice, once
// configured and once disabled. It returns the number of resources a scan reads.
func WriteModuleCorpus(dir string, repos int) (int, error) {
	total := 0
	for r := range repos {
		repo := filepath.Join(dir, fmt.Sprintf("repo%03d", r))
		files := map[string]string{"main.tf": moduleMain, "modules/logging/main.tf": moduleLogging}
		for e := range examplesPerRepo {
			files[fmt.Sprintf("examples/ex%02d/main.tf", e)] = moduleExample(r, e)
			total += exampleResources(e)
		}
		for name, content := range files {
			if err := writeFile(filepath.Join(repo, name), content); err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// exampleResources is what one example instantiates (its provider block is no resource):
// three buckets, their versioning, two public access blocks, a security group and a
// policy; the three resources of the logging submodule in every other example; nothing
// of the disabled call.
func exampleResources(e int) int {
	n := 3 + 3 + 2 + 1 + 1
	if e%2 == 0 {
		n += 3
	}
	return n
}

func moduleExample(repo, e int) string {
	return fmt.Sprintf(`provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "ex-%[1]d-%[2]d"
  tags = {
    Example    = local.name
    Repository = "repo%[1]d"
  }
}

module "storage" {
  source = "../../"

  name   = local.name
  vpc_id = "vpc-0123456789abcdef0"
  buckets = {
    logs = { versioning = true, public = false }
    data = { versioning = false, public = false }
    web  = { versioning = true, public = true }
  }
  ingress = [
    { port = 443, cidr = "10.0.0.0/8" },
    { port = 22, cidr = "0.0.0.0/0" },
  ]
  enable_logging = %[3]t
  tags           = local.tags
}

module "disabled" {
  source = "../../"

  create = false
  name   = "${local.name}-off"
}
`, repo, e, e%2 == 0)
}

const moduleMain = `variable "create" {
  description = "Whether to create anything"
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of every resource"
  type        = string
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "buckets" {
  type = map(object({
    versioning = bool
    public     = bool
  }))
  default = {}
}

variable "ingress" {
  type = list(object({
    port = number
    cidr = string
  }))
  default = []
}

variable "enable_logging" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  create       = var.create && var.name != ""
  tags         = merge(var.tags, { Module = "storage", Name = var.name })
  bucket_names = { for k, v in var.buckets : k => "${var.name}-${k}" }
  private      = { for k, v in var.buckets : k => v if !v.public }
}

resource "aws_s3_bucket" "this" {
  for_each = local.create ? var.buckets : {}

  bucket = local.bucket_names[each.key]
  tags   = merge(local.tags, { Bucket = each.key })
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.create ? var.buckets : {}

  bucket = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = each.value.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.create ? local.private : {}

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_security_group" "this" {
  count = local.create ? 1 : 0

  name        = "${var.name}-sg"
  description = "Access to ${var.name}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.ingress
    content {
      description = "port ${ingress.value.port}"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }

  tags = local.tags
}

resource "aws_iam_policy" "this" {
  count = local.create ? 1 : 0

  name = "${var.name}-read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [for k, name in local.bucket_names : "arn:aws:s3:::${name}/*"]
    }]
  })
}

module "logging" {
  source = "./modules/logging"
  count  = local.create && var.enable_logging ? 1 : 0

  name = "${var.name}-logs"
  tags = local.tags
}
`

const moduleLogging = `variable "name" {
  type = string
}

variable "retention_days" {
  type    = number
  default = 30
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_kms_key" "this" {
  description         = "Logs of ${var.name}"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/${var.name}"
  retention_in_days = var.retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = var.tags
}

resource "aws_s3_bucket" "logs" {
  bucket = var.name
  tags   = var.tags
}
`
