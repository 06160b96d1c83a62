# The bastion group is in network.tf: the hook loads the whole directory, so this rule
# is joined to it, and reports only on the files it was given.
resource "aws_security_group_rule" "office_https" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.20.0.0/16"]
  security_group_id = aws_security_group.bastion.id
}
