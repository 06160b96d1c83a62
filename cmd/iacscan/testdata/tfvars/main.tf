variable "admin_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

variable "ports" {
  type    = list(number)
  default = [22]
}

resource "aws_security_group" "admin" {
  ingress {
    from_port   = var.ports[0]
    to_port     = var.ports[0]
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
