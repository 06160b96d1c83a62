package s3

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// Exposure is one way a bucket is public that S3 honours: a public ACL grant no setting
// makes S3 ignore, or a public policy statement no setting restricts (RULES.md 2.3).
type Exposure struct {
	Resource *graph.Resource // declares it: the bucket, an aws_s3_bucket_acl or a policy
	At       rules.Locatable // the canned ACL, the grant, or the statement's principal
	What     string          // what it grants, as the S3 rules say it
}

// Public returns the ways b is public, in the order of its grants and then its policy
// statements. Grants and statements that Block Public Access or BucketOwnerEnforced
// neutralise are not among them, nor are those not statically known.
func (b *Bucket) Public() []Exposure {
	var out []Exposure
	if suffix, _ := aclsIgnored(b); suffix == "" {
		for _, g := range b.Grants {
			out = append(out, Exposure{Resource: g.Resource, At: g.At, What: grantMessage(g)})
		}
	}
	if b.On(RestrictPublicBuckets) == nil {
		for _, p := range b.Policies {
			for _, st := range p.Statements {
				if st.Public() {
					out = append(out, Exposure{Resource: st.Resource, At: st.Principal, What: statementMessage(st)})
				}
			}
		}
	}
	return out
}

// Shared returns the bucket view of the scan, built once per run and shared with the S3
// rules: how rules of other families (AWS-CT-003) read it.
func Shared(ctx *rules.Context) []*Bucket {
	return rules.Memo(ctx, bucketsKey{}, func() []*Bucket { return Buckets(ctx.Graph) })
}

// Named returns the bucket of buckets that v names, in scope: a reference to a declared
// bucket (its id or bucket attribute, a CloudFormation Ref) or a literal bucket name. It
// returns nil when v names no bucket of the scan, or is not statically known.
func Named(buckets []*Bucket, scope string, v *graph.Value) *Bucket {
	name, literal := v.AsString()
	ref := soleRef(v)
	for _, b := range buckets {
		switch {
		case literal && b.scope == scope && b.Name == name && name != "":
			return b
		case ref != nil && b.Resource != nil && ref.Target == b.Resource && (ref.Attr == "" || ref.Attr == "id" || ref.Attr == "bucket"):
			return b
		}
	}
	return nil
}
