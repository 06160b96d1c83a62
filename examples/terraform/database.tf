# The orders database: an instance class the platform team has not approved (the custom
# policy ACME-RDS-001 in ../policies).
resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.r5.4xlarge"
  allocated_storage = 100
  username          = "orders"
  password          = var.db_password
}
