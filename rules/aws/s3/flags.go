package s3

import (
	"slices"

	"github.com/iacscan/iacscan/graph"
)

// Flag is one of the four Block Public Access settings.
type Flag int

// The four flags of a public access block.
const (
	BlockPublicACLs Flag = iota
	IgnorePublicACLs
	BlockPublicPolicy
	RestrictPublicBuckets
)

// flags lists the settings in the order AWS documents them.
var flags = [...]Flag{BlockPublicACLs, BlockPublicPolicy, IgnorePublicACLs, RestrictPublicBuckets}

// flagNames spells each flag in Terraform and in CloudFormation.
var flagNames = [...]struct{ tf, cfn string }{
	BlockPublicACLs:       {"block_public_acls", "BlockPublicAcls"},
	IgnorePublicACLs:      {"ignore_public_acls", "IgnorePublicAcls"},
	BlockPublicPolicy:     {"block_public_policy", "BlockPublicPolicy"},
	RestrictPublicBuckets: {"restrict_public_buckets", "RestrictPublicBuckets"},
}

// In returns the flag's attribute in a public access block, or nil.
func (f Flag) In(s Setting) *graph.Attribute {
	return s.Value().Get(flagNames[f].tf, flagNames[f].cfn)
}

// NameIn spells the flag as the public access block's format does.
func (f Flag) NameIn(s Setting) string {
	if s.Resource.Format.IsTerraform() {
		return flagNames[f].tf
	}
	return flagNames[f].cfn
}

// On returns the attribute that turns f on for the bucket, in its own or an account-level
// public access block, or nil: S3 applies the stricter of the two.
func (b *Bucket) On(f Flag) *graph.Attribute {
	for _, s := range slices.Concat(b.PublicAccessBlocks, b.AccountPublicAccessBlocks) {
		if a := f.In(s); a != nil && a.Value.IsTrue() {
			return a
		}
	}
	return nil
}

// undecided returns the values, not statically known, through which f may be on: public
// access blocks, or their setting of f.
func (b *Bucket) undecided(f Flag) []unknown {
	var out []unknown
	for _, s := range slices.Concat(b.PublicAccessBlocks, b.AccountPublicAccessBlocks) {
		if v := s.Value(); !v.Known() {
			out = append(out, unknown{resource: s.Resource, at: v, why: "public access block is not known statically"})
		} else if a := f.In(s); a != nil {
			out = append(out, unknownIn(s.Resource, a.Value, a.Name+" is not known statically")...)
		}
	}
	return out
}

// OwnerEnforced returns the object ownership attribute set to BucketOwnerEnforced, which
// disables ACLs, or nil.
func (b *Bucket) OwnerEnforced() *graph.Attribute {
	for _, s := range b.Ownership {
		if o, _ := s.Value().AsString(); o == "BucketOwnerEnforced" {
			return s.Attr
		}
	}
	return nil
}
