# Every kind of value the parser distinguishes, in one security group.
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = var.vpc_id

  ingress {
    from_port   = -1
    to_port     = 1 + 1
    cidr_blocks = ["0.0.0.0/0", var.office]
  }

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value.port
    }
  }

  tags = {
    Name  = "web"
    "env" = local.env
  }
  policy = <<EOT
{"Effect": "Allow"}
EOT
  ratio  = 1.50
  public = true
  kms    = null
  arn    = aws_s3_bucket.logs[0].arn
  doc    = data.aws_iam_policy_document.p.json
  body   = jsonencode({ Resource = aws_s3_bucket.logs.arn })
  prefix = "${var.prefix}-web"
  key    = each.key
  vpc    = module.vpc.id
}

data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:GetObject"]
  }
}

variable "office" {}
