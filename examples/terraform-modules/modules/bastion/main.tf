variable "name" {
  type = string
}

variable "ssh_cidrs" {
  type = list(string)
}

variable "create_rdp" {
  type    = bool
  default = true
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "Bastion access"

  dynamic "ingress" {
    for_each = var.ssh_cidrs
    content {
      description = "SSH"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}

# count = 0 when the caller turns RDP off: this rule does not exist then.
resource "aws_security_group_rule" "rdp" {
  count             = var.create_rdp ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
