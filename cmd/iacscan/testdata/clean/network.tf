# Administration only from the office range: nothing is open to the internet.
resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.20.0.0/16"]
  }
}
