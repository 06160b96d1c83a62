package s3_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/s3"
)

// TestBuckets checks the view: which settings join which bucket, from where, pointing at
// which element. Each bucket is described on one line by describe.
func TestBuckets(t *testing.T) {
	tests := []struct {
		name    string
		archive string
		want    []string
	}{
		{
			name: "terraform inline settings",
			archive: `-- main.tf --
resource "aws_s3_bucket" "b" {
  bucket = "b"
  acl    = "public-read"
  policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\"}}"

  grant {
    uri         = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    permissions = ["READ_ACP", "WRITE"]
  }

  versioning {
    enabled = true
  }

  logging {
    target_bucket = "logs"
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }

  website {
    index_document = "index.html"
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
`,
			want: []string{
				`aws_s3_bucket.b "b" acl=[main.tf:3:3] grants=[AllUsers/READ@main.tf:3:12, AuthenticatedUsers/READ_ACP@main.tf:6:3, AuthenticatedUsers/WRITE@main.tf:6:3] ` +
					`policies=[main.tf:4:3{1 Allow *@main.tf:4:3}] encryption=[main.tf:19:3] versioning=[main.tf:11:3] logging=[main.tf:15:3] website=[main.tf:27:3]`,
				`aws_s3_bucket.logs "logs" loggedBy=[aws_s3_bucket.b]`,
			},
		},
		{
			name: "terraform split settings by reference and literal name, across files",
			archive: `-- main.tf --
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
-- split.tf --
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  acl    = "authenticated-read"
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.bucket
  policy = data.aws_iam_policy_document.b.json
}

data "aws_iam_policy_document" "b" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
  }

  statement {
    effect = "Deny"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket             = "b"
  ignore_public_acls = true
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = "b"
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = "b"
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "b" {
  bucket        = "b"
  target_bucket = "b"
}

resource "aws_s3_bucket_website_configuration" "b" {
  bucket = "b"
}
`,
			want: []string{
				`aws_s3_bucket.b "b" acl=[split.tf:3:3] grants=[AuthenticatedUsers/READ@split.tf:3:12] ` +
					`policies=[split.tf:8:3 doc=data.aws_iam_policy_document.b{1 Allow *@split.tf:15:56 pinned=aws:SourceVpce, 2 Deny *@split.tf:28:22}] ` +
					`pab=[split.tf:33:1] ownership=[split.tf:41:5] encryption=[split.tf:45:1] versioning=[split.tf:51:3] logging=[split.tf:56:1] website=[split.tf:61:1] loggedBy=[aws_s3_bucket.b]`,
			},
		},
		{
			name: "cloudformation properties and bucket policies by Ref and by name",
			archive: `-- template.yaml --
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: site
      AccessControl: PublicReadWrite
      PublicAccessBlockConfiguration:
        RestrictPublicBuckets: true
      OwnershipControls:
        Rules:
          - ObjectOwnership: ObjectWriter
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      VersioningConfiguration:
        Status: Suspended
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
      WebsiteConfiguration:
        IndexDocument: index.html
  Logs:
    Type: AWS::S3::Bucket
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - Effect: !Ref Effect
            Principal: {AWS: "*"}
  SitePolicyByName:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: site
      PolicyDocument:
        Statement:
          Effect: Allow
          Principal:
            AWS: !GetAtt Role.Arn
`,
			want: []string{
				`Site "site" acl=[template.yaml:6:7] grants=[AllUsers/READ@template.yaml:6:22, AllUsers/WRITE@template.yaml:6:22] ` +
					`policies=[template.yaml:28:7{1 *@template.yaml:31:30 unknown}, template.yaml:36:7{1 Allow unknown}] ` +
					`pab=[template.yaml:7:7] ownership=[template.yaml:11:13] encryption=[template.yaml:12:7] versioning=[template.yaml:16:7] logging=[template.yaml:18:7] website=[template.yaml:20:7]`,
				`Logs loggedBy=[Site]`,
			},
		},
		{
			name: "buckets declared elsewhere are grouped by name or by reference",
			archive: `-- main.tf --
variable "bucket" {
  type = string
}

resource "aws_s3_bucket_acl" "by_name" {
  bucket = "elsewhere"
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "by_name" {
  bucket             = "elsewhere"
  ignore_public_acls = true
}

resource "aws_s3_bucket_acl" "by_variable" {
  bucket = var.bucket
  acl    = "private"
}

resource "aws_s3_bucket_versioning" "by_variable" {
  bucket = var.bucket
}

resource "aws_s3_bucket_logging" "computed" {
  bucket = "${var.bucket}-${var.bucket}"
}
`,
			want: []string{
				`external "elsewhere" acl=[main.tf:7:3] grants=[AllUsers/READ@main.tf:7:12] pab=[main.tf:10:1]`,
				`external acl=[main.tf:17:3] versioning=[main.tf:20:1]`,
				`external logging=[main.tf:24:1]`,
			},
		},
		{
			name: "names resolve within a module; the account block applies to every bucket",
			archive: `-- a/main.tf --
resource "aws_s3_bucket" "b" {
  bucket = "shared-name"
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls = true
}
-- b/main.tf --
resource "aws_s3_bucket_versioning" "v" {
  bucket = "shared-name"
}
-- template.yaml --
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`,
			want: []string{
				`aws_s3_bucket.b "shared-name" account=[a/main.tf:5:1]`,
				`Bucket account=[a/main.tf:5:1]`,
				`external "shared-name" versioning=[b/main.tf:1:1] account=[a/main.tf:5:1]`,
			},
		},
		{
			name: "dynamic blocks are settings whose value is not known",
			archive: `-- main.tf --
resource "aws_s3_bucket" "b" {
  bucket = "b"

  dynamic "versioning" {
    for_each = var.versioning
    content {
      enabled = versioning.value
    }
  }
}
`,
			want: []string{`aws_s3_bucket.b "b" versioning=[main.tf:4:3 unknown]`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range s3.Buckets(load(t, tc.archive)) {
				got = append(got, describe(b))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("buckets:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
			}
		})
	}
}

// describe renders a bucket on one line: its address and literal name, then each non-empty
// setting list as the locations of its declarations.
func describe(b *s3.Bucket) string {
	var parts []string
	if b.Resource != nil {
		parts = append(parts, b.Resource.ID.Address)
	} else {
		parts = append(parts, "external")
	}
	if b.Name != "" {
		parts = append(parts, fmt.Sprintf("%q", b.Name))
	}
	add := func(name string, items []string) {
		if len(items) > 0 {
			parts = append(parts, name+"=["+strings.Join(items, ", ")+"]")
		}
	}
	add("acl", settingLocations(b.CannedACLs))
	var grants []string
	for _, g := range b.Grants {
		grants = append(grants, fmt.Sprintf("%s/%s@%s", g.Group, g.Permission, loc(g.At)))
	}
	add("grants", grants)
	var policies []string
	for _, p := range b.Policies {
		policies = append(policies, describePolicy(p))
	}
	add("policies", policies)
	add("pab", settingLocations(b.PublicAccessBlocks))
	add("ownership", settingLocations(b.Ownership))
	add("encryption", settingLocations(b.Encryption))
	add("versioning", settingLocations(b.Versioning))
	add("logging", settingLocations(b.Logging))
	add("website", settingLocations(b.Website))
	add("account", settingLocations(b.AccountPublicAccessBlocks))
	var loggedBy []string
	for _, from := range b.LoggedBy {
		loggedBy = append(loggedBy, from.Resource.ID.Address)
	}
	add("loggedBy", loggedBy)
	return strings.Join(parts, " ")
}

func describePolicy(p *s3.Policy) string {
	s := loc(p.Setting)
	if p.Document != nil {
		s += " doc=" + p.Document.ID.Address
	}
	var sts []string
	for _, st := range p.Statements {
		d := fmt.Sprint(st.Index)
		if st.Effect != "" {
			d += " " + st.Effect
		}
		if st.Principal != nil {
			d += " *@" + loc(st.Principal)
		}
		if st.PinnedBy != "" {
			d += " pinned=" + st.PinnedBy
		}
		if st.Unknown {
			d += " unknown"
		}
		sts = append(sts, d)
	}
	return s + "{" + strings.Join(sts, ", ") + "}"
}

func settingLocations(ss []s3.Setting) []string {
	var out []string
	for _, s := range ss {
		d := loc(s)
		if !s.Value().Known() {
			d += " unknown"
		}
		out = append(out, d)
	}
	return out
}

func loc(at rules.Locatable) string { return pos(at.Location()) }
