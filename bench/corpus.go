// Package bench generates a realistic corpus for the scan benchmarks: Terraform modules,
// CloudFormation YAML and JSON templates and serverless services, each file of a realistic
// size, with public buckets and open security groups sprinkled through it.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// share of the corpus per format, and resources per file
const (
	perFile       = 50
	tfShare       = 0.40
	yamlShare     = 0.25
	jsonShare     = 0.20
	slsFixedCount = 3 // provider + two functions in every serverless.yml
)

// WriteCorpus writes at least n resources under dir and returns the exact number written.
func WriteCorpus(dir string, n int) (int, error) {
	budget := map[string]int{
		"tf":   int(float64(n) * tfShare),
		"yaml": int(float64(n) * yamlShare),
		"json": int(float64(n) * jsonShare),
	}
	budget["sls"] = n - budget["tf"] - budget["yaml"] - budget["json"]
	total := 0
	if budget["tf"] > 0 {
		if err := writeFile(filepath.Join(dir, tfModulePath), tfModule); err != nil {
			return total, err
		}
	}
	for _, kind := range []string{"tf", "yaml", "json", "sls"} {
		for i := 0; budget[kind] > 0; i++ {
			count := min(perFile, budget[kind])
			name, content, written := render(kind, i, count)
			if err := writeFile(filepath.Join(dir, name), content); err != nil {
				return total, err
			}
			budget[kind] -= written
			total += written
		}
	}
	return total, nil
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// tfModulePath is the local module every Terraform root calls; it is no root itself, so
// its resources exist once per instance of a call.
const tfModulePath = "terraform/modules/net/main.tf"

const tfModule = `variable "name" {}

variable "cidr" {
  type = string
}

resource "aws_security_group" "this" {
  name = var.name

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
`

// tfHeader writes what a root module evaluates: a variable, locals reading it and a
// for_each call of the local module (two resources).
func tfHeader(b *strings.Builder) int {
	b.WriteString(`variable "admin_cidr" {
  type    = string
  default = "0.0.0.0/0"
}

locals {
  team      = "platform"
  ssh_cidrs = ["10.0.0.0/8", var.admin_cidr]
}

module "net" {
  source   = "../modules/net"
  for_each = toset(["a", "b"])
  name     = "net-${each.key}"
  cidr     = var.admin_cidr
}

`)
	return 2
}

func render(kind string, file, count int) (name, content string, written int) {
	var b strings.Builder
	switch kind {
	case "tf":
		written = tfHeader(&b)
		for j := 0; written < count; j++ {
			written += tfUnit(&b, fmt.Sprintf("f%d_%d", file, j))
		}
		return fmt.Sprintf("terraform/m%03d/main.tf", file), b.String(), written
	case "yaml":
		b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  AdminCidr:\n    Type: String\n    Default: 10.0.0.0/8\nResources:\n")
		for j := 0; written < count; j++ {
			written += yamlUnit(&b, fmt.Sprintf("F%dU%d", file, j), "    ")
		}
		return fmt.Sprintf("cloudformation/stack%03d.yaml", file), b.String(), written
	case "json":
		var units []string
		for j := 0; written < count; j++ {
			u, k := jsonUnit(fmt.Sprintf("F%dU%d", file, j))
			units = append(units, u)
			written += k
		}
		return fmt.Sprintf("cloudformation/stack%03d.json", file),
			"{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n" + strings.Join(units, ",\n") + "\n  }\n}\n", written
	default:
		fmt.Fprintf(&b, "service: svc%d\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  stage: ${opt:stage, 'dev'}\nfunctions:\n  api:\n    handler: h.api\n  worker:\n    handler: h.worker\nresources:\n  Resources:\n", file)
		written = slsFixedCount
		for j := 0; written < count; j++ {
			written += yamlUnit(&b, fmt.Sprintf("S%dU%d", file, j), "    ")
		}
		return fmt.Sprintf("serverless/svc%03d/serverless.yml", file), b.String(), written
	}
}

// tfUnit writes five resources: a split-style bucket with ACL and public access block,
// a security group with two ingress blocks (one reading locals) and a standalone rule
// (a for_each of one instance).
func tfUnit(b *strings.Builder, id string) int {
	acl := "private"
	if len(id)%3 == 0 {
		acl = "public-read"
	}
	fmt.Fprintf(b, `# unit %[1]s
resource "aws_s3_bucket" "b_%[1]s" {
  bucket = "bucket-%[1]s"
  tags = {
    Name = "bucket-%[1]s"
    Team = local.team
  }
}

resource "aws_s3_bucket_acl" "b_%[1]s" {
  bucket = aws_s3_bucket.b_%[1]s.id
  acl    = "%[2]s"
}

resource "aws_s3_bucket_public_access_block" "b_%[1]s" {
  bucket                  = aws_s3_bucket.b_%[1]s.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_security_group" "sg_%[1]s" {
  name   = "sg-%[1]s"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = local.ssh_cidrs
  }
}

resource "aws_security_group_rule" "r_%[1]s" {
  for_each          = { pg = 5432 }
  type              = "ingress"
  security_group_id = aws_security_group.sg_%[1]s.id
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["10.1.0.0/16"]
}

`, id, acl)
	return 5
}

// yamlUnit writes three CloudFormation resources: a bucket, a security group with two
// rules and a standalone ingress using a parameter.
func yamlUnit(b *strings.Builder, id, indent string) int {
	in := func(s string) string { return strings.ReplaceAll(s, "\n", "\n"+indent) }
	b.WriteString(indent + in(fmt.Sprintf(`Bucket%[1]s:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: !Sub "bucket-%[1]s-${AWS::Region}"
    VersioningConfiguration:
      Status: Enabled
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: AES256
Group%[1]s:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: group %[1]s
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        CidrIp: 0.0.0.0/0
      - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}
Ingress%[1]s:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref Group%[1]s
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
    CidrIp: 10.0.0.0/8`, id)) + "\n")
	return 3
}

// jsonUnit returns two CloudFormation resources in JSON: a bucket and a security group.
func jsonUnit(id string) (string, int) {
	return fmt.Sprintf(`    "Bucket%[1]s": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "AccessControl": "Private",
        "VersioningConfiguration": {"Status": "Enabled"}
      }
    },
    "Group%[1]s": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "group %[1]s",
        "SecurityGroupIngress": [
          {"IpProtocol": "tcp", "FromPort": "445", "ToPort": "445", "CidrIp": "0.0.0.0/0"},
          {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}
        ]
      }
    }`, id), 2
}
