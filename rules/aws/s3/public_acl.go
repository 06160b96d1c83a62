package s3

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// The ACL family, AWS-S3-001..010: one rule per public grantee group and permission, so that
// a public-read-write ACL yields AWS-S3-001 and AWS-S3-003, and FULL_CONTROL only 005/010.
var (
	PublicRead               = aclRule("AWS-S3-001", AllUsers, Read)
	PublicReadACP            = aclRule("AWS-S3-002", AllUsers, ReadACP)
	PublicWrite              = aclRule("AWS-S3-003", AllUsers, Write)
	PublicWriteACP           = aclRule("AWS-S3-004", AllUsers, WriteACP)
	PublicFullControl        = aclRule("AWS-S3-005", AllUsers, FullControl)
	AuthenticatedRead        = aclRule("AWS-S3-006", AuthenticatedUsers, Read)
	AuthenticatedReadACP     = aclRule("AWS-S3-007", AuthenticatedUsers, ReadACP)
	AuthenticatedWrite       = aclRule("AWS-S3-008", AuthenticatedUsers, Write)
	AuthenticatedWriteACP    = aclRule("AWS-S3-009", AuthenticatedUsers, WriteACP)
	AuthenticatedFullControl = aclRule("AWS-S3-010", AuthenticatedUsers, FullControl)
)

// audiences describes each group: its slug in rule names, who it is in titles and
// messages, and who it is in a rule's description.
var audiences = map[Group]struct{ slug, who, description string }{
	AllUsers:           {"public", "everyone", "everyone on the internet, without credentials,"},
	AuthenticatedUsers: {"authenticated", "any authenticated AWS user", "anyone with AWS credentials, in any AWS account and not only yours,"},
}

// permissionEffects says what each permission lets the grantee do.
var permissionEffects = map[string]string{
	Read:        "list every object in the bucket",
	ReadACP:     "read the bucket's ACL and so learn who else has access",
	Write:       "upload, overwrite and delete objects, on your bill",
	WriteACP:    "rewrite the bucket's ACL and so grant themselves any other permission",
	FullControl: "list, upload, overwrite and delete objects and read and rewrite the ACL",
}

// aclRule builds the rule for one group and permission. The rule applies to every format
// when a canned ACL can grant the pair, else only to Terraform, where explicit grants live.
func aclRule(id string, group Group, permission string) *rules.Rule {
	aud := audiences[group]
	tf, cfn := cannedFor(group, permission)
	formats := rules.AllFormats
	if len(tf) == 0 {
		formats = []graph.Format{graph.Terraform}
	}
	return &rules.Rule{
		Meta: rules.Meta{
			ID:    id,
			Name:  "s3-acl-" + aud.slug + "-" + strings.ReplaceAll(strings.ToLower(permission), "_", "-"),
			Title: fmt.Sprintf("Bucket ACL grants %s to %s", permission, aud.who),
			Description: fmt.Sprintf("The bucket's access control list grants %s to the %s group: %s can %s. ", permission, group, aud.description, permissionEffects[permission]) +
				"Each grantee group and permission is its own rule, so one ACL can yield several findings. " +
				"The finding is lowered to low (ineffective) when `ignore_public_acls` or object ownership `BucketOwnerEnforced` makes S3 ignore ACLs.",
			Remediation: aclRemediation(group, permission, tf, cfn),
			Severity:    rules.Critical,
			Tags:        tags("acl", "CWE-732"),
			Formats:     formats,
			Fix:         rules.FixAuto,
		},
		Check: func(ctx *rules.Context) { checkACL(ctx, group, permission) },
	}
}

// cannedFor returns the canned ACLs granting permission to group, in each spelling.
func cannedFor(group Group, permission string) (tf, cfn []string) {
	for _, c := range cannedACLs {
		for _, gp := range c.grants {
			if gp == (groupPermission{group, permission}) {
				tf, cfn = append(tf, "`"+c.tf+"`"), append(cfn, "`"+c.cfn+"`")
			}
		}
	}
	return tf, cfn
}

func aclRemediation(group Group, permission string, tf, cfn []string) string {
	grant := fmt.Sprintf("the `grant` that gives %s to `http://%s%s`", permission, groupURI, group)
	var b strings.Builder
	if len(tf) > 0 {
		fmt.Fprintf(&b, "Make the ACL private. Terraform: set `acl = \"private\"` instead of %s on the `aws_s3_bucket_acl` (or the older inline `acl` of `aws_s3_bucket`), and remove %s from `access_control_policy` or the inline `grant` blocks. ", strings.Join(tf, " or "), grant)
		fmt.Fprintf(&b, "CloudFormation: set `AccessControl: Private` instead of %s, or drop the property. ", strings.Join(cfn, " or "))
	} else {
		fmt.Fprintf(&b, "Terraform: remove %s from `aws_s3_bucket_acl.access_control_policy` (or its permission from the older inline `grant` block of `aws_s3_bucket`), keeping the owner's and the other grants. CloudFormation cannot express this grant: its buckets only take canned ACLs. ", grant)
	}
	b.WriteString("Better still, disable ACLs with object ownership `BucketOwnerEnforced` (`aws_s3_bucket_ownership_controls`, `OwnershipControls`), turn on Block Public Access, and serve public content through CloudFront with origin access control.")
	return b.String()
}

func checkACL(ctx *rules.Context, group Group, permission string) {
	for _, b := range bucketsOf(ctx) {
		suffix, opts := aclsIgnored(b)
		reported := map[source.Range]bool{}
		for _, g := range b.Grants {
			if g.Group == group && g.Permission == permission {
				ctx.Report(g.Resource, g.At, grantMessage(g)+suffix, append(opts, grantFix(g).Option(""))...)
				reported[g.At.Location()] = true
			}
		}
		// A grant already reported is decided: what else it may give changes nothing.
		for _, u := range b.unknownGrants {
			if u.may(group, permission) && !reported[u.grant.Location()] {
				u.record(ctx)
			}
		}
	}
}

// grantFix takes a public grant away (RULES.md 3.1): a canned ACL becomes private, and an
// explicit grant block or item goes, keeping the owner's and the other grants. Every
// permission of such a grant is public, as its grantee is a public group.
func grantFix(g Grant) offer {
	if block, ok := g.At.(*graph.Attribute); ok {
		return offer{
			Description: fmt.Sprintf("remove the %s block giving %s to %s", block.Name, grantPermissions(block.Value), g.Group),
			Changes:     []fixers.Change{{Op: fixers.RemoveAttribute, Resource: g.Resource, Parent: g.Holder, Attr: block}},
		}
	}
	v, _ := g.At.(*graph.Value)
	switch {
	case g.Canned == "":
		return offer{
			Description: fmt.Sprintf("remove the grant giving %s to %s", grantPermissions(v), g.Group),
			Changes:     []fixers.Change{{Op: fixers.RemoveItem, Resource: g.Resource, Parent: g.Holder, Target: v}},
		}
	case g.Resource.Format.IsTerraform():
		return setValue(g.Resource, "acl", v, graph.StringValue("private"), `"private"`)
	}
	return setValue(g.Resource, "AccessControl", v, graph.StringValue("Private"), `"Private"`)
}

// grantPermissions lists the permissions of an explicit grant: "READ, WRITE".
func grantPermissions(grant *graph.Value) string {
	if a := grant.Get("permission", "permissions"); a != nil {
		return strings.Join(stringsOf(a.Value), ", ")
	}
	return ""
}

func grantMessage(g Grant) string {
	who := fmt.Sprintf("%s (%s)", audiences[g.Group].who, g.Group)
	if g.Canned != "" {
		return fmt.Sprintf("bucket ACL %q grants %s to %s", g.Canned, g.Permission, who)
	}
	return fmt.Sprintf("bucket ACL grant gives %s to %s", g.Permission, who)
}

// aclsIgnored says what makes the bucket's ACLs ineffective, if anything.
func aclsIgnored(b *Bucket) (suffix string, opts []rules.ReportOption) {
	if a := b.On(IgnorePublicACLs); a != nil {
		return ineffective(a, a.Name+" is true", "S3 ignores public ACLs because of this setting")
	}
	if a := b.OwnerEnforced(); a != nil {
		return ineffective(a, "object ownership is BucketOwnerEnforced, which disables ACLs", "ACLs are disabled by this setting")
	}
	return "", nil
}

// stringsOf returns the known strings of a string or list, as written.
func stringsOf(v *graph.Value) []string {
	var out []string
	for _, s := range v.Strings() {
		out = append(out, s.Str)
	}
	return out
}
