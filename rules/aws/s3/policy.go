package s3

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// Policy is one bucket policy: an inline `policy`, an aws_s3_bucket_policy or an
// AWS::S3::BucketPolicy. Its statements are read by the policy engine from the JSON
// string, the jsonencode object, the PolicyDocument mapping or the aws_iam_policy_document
// data source it reads; a policy that is not statically known has none.
type Policy struct {
	Setting // the `policy` / `PolicyDocument` attribute
	// Document is the aws_iam_policy_document data source the policy reads, or nil.
	Document   *graph.Resource
	Statements []*Statement
	// inString is set when the policy is a JSON string or template: its statements have
	// no positions of their own to edit.
	inString bool
	// unresolved is the policy when it is not statically known and reads no document,
	// or the parts of the document it reads that are not.
	unresolved []unknown
}

// Statement is one policy statement, as the policy engine reads it.
type Statement = policy.Statement

// addPolicies adds the policies among v's attributes named by names.
func (j *joiner) addPolicies(b *Bucket, r *graph.Resource, v *graph.Value, names ...string) {
	for _, s := range settings(r, v, names...) {
		doc := j.reader.Read(r, s.Attr, s.Value(), policy.ResourceBased)
		p := &Policy{Setting: s, Document: doc.Data, Statements: doc.Statements, inString: doc.InString}
		for _, u := range doc.Unresolved {
			why := u.Why
			if p.Document == nil {
				why = "bucket policy is not known statically"
			}
			p.unresolved = append(p.unresolved, unknown{resource: u.Resource, at: u.At, why: why})
		}
		b.Policies = append(b.Policies, p)
	}
}

// record records as unresolved the policy, or its statements that may be public, where
// they are not statically known.
func (p *Policy) record(ctx *rules.Context) {
	for _, u := range p.unresolved {
		u.record(ctx)
	}
	for _, st := range p.Statements {
		policy.Record(ctx, st.PublicUnresolved())
	}
}
