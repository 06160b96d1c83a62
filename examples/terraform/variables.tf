variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the application VPC"
}

variable "db_password" {
  type      = string
  sensitive = true
}
