resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Administrative access"
  vpc_id      = var.vpc_id

  # SSH from the office and, by mistake, from the whole internet.
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24", "0.0.0.0/0"]
  }

  ingress {
    description      = "Remote desktop"
    from_port        = 3389
    to_port          = 3389
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "legacy" {
  name   = "legacy-mail"
  vpc_id = var.vpc_id
}

# FTP, SSH, telnet and SMTP in one range.
resource "aws_security_group_rule" "legacy_range" {
  type              = "ingress"
  security_group_id = aws_security_group.legacy.id
  from_port         = 20
  to_port           = 25
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "legacy_all" {
  security_group_id = aws_security_group.legacy.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# Open to the VPC only: fine.
resource "aws_vpc_security_group_ingress_rule" "legacy_db" {
  security_group_id = aws_security_group.legacy.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = var.vpc_cidr
}
