variable "cidr" {
  type = string
}

module "web" {
  source = "../modules/web"
  cidr   = var.cidr
}
