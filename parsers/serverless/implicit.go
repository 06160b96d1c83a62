package serverless

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// The logical IDs the framework gives the resources it generates: templates may Ref them.
const (
	deploymentBucketID = "ServerlessDeploymentBucket"
	defaultRoleID      = "IamRoleLambdaExecution"
)

// implicit returns the resources the framework generates from the provider's settings,
// as graph nodes the CloudFormation rules check like declared ones (RULES.md 2.5):
//
//   - the deployment bucket, unless provider.deploymentBucket names an existing bucket:
//     blockPublicAccess, serverSideEncryption (with sseKMSKeyId) and versioning become the
//     bucket's PublicAccessBlockConfiguration, BucketEncryption and VersioningConfiguration;
//   - the default Lambda role, unless provider.iam.role (or the older provider.role) names
//     a role, when a function has no role of its own: provider.iam.role.statements and the
//     older provider.iamRoleStatements become its inline policy, managedPolicies its
//     ManagedPolicyArns, permissionsBoundary its PermissionsBoundary.
//
// Both are Generated: a setting the file leaves out is the framework's or AWS's default
// (since 2023 AWS blocks public access to and encrypts every new bucket), never a finding.
// The values are the file's own, at their ranges; the few values made up here (a
// versioning status) carry the setting as their Origin, so that fixes name it instead of
// editing text that is not there. Logical IDs the template declares itself are left alone.
func implicit(f *source.File, prov *graph.Resource, declared map[string]bool, functions []*graph.Resource) []*graph.Resource {
	var out []*graph.Resource
	if b := deploymentBucket(f, prov); b != nil && !declared[deploymentBucketID] {
		out = append(out, b)
	}
	if r := defaultRole(f, prov, functions); r != nil && !declared[defaultRoleID] {
		out = append(out, r)
	}
	return out
}

// generated returns a Generated resource of the provider's file, anchored at the setting
// it comes from (the provider itself when the file sets nothing for it).
func generated(f *source.File, prov *graph.Resource, at *graph.Attribute, address string, kind graph.Kind, native string, body *graph.Value) *graph.Resource {
	r := &graph.Resource{
		ID:        graph.ID{Path: f.Path, Address: address},
		Kind:      kind,
		Native:    native,
		Format:    graph.Serverless,
		Scope:     f.Path,
		Name:      address,
		Range:     prov.Range,
		Header:    prov.Header,
		Body:      body,
		Generated: true,
	}
	if at != nil {
		r.Range, r.Header = at.Range, at.NameRange
	}
	return r
}

// deploymentBucket builds the framework's deployment bucket, or nil when
// provider.deploymentBucket names an existing one (a string, or a `name`) or is not known.
func deploymentBucket(f *source.File, prov *graph.Resource) *graph.Resource {
	settings := prov.Get("deploymentBucket")
	body := &graph.Value{Type: graph.Map, Range: prov.Header}
	if settings != nil {
		v := settings.Value
		if v.Type != graph.Map || v.Get("name") != nil {
			return nil
		}
		body.Range = v.Range
		addBlockPublicAccess(body, v.Get("blockPublicAccess"))
		addEncryption(body, v.Get("serverSideEncryption"), v.Get("sseKMSKeyId"))
		addVersioning(body, v.Get("versioning"))
	}
	return generated(f, prov, settings, deploymentBucketID, graph.S3Bucket, "serverless deployment bucket", body)
}

// addBlockPublicAccess turns on the four Block Public Access settings when
// blockPublicAccess is true; when it is false or absent the framework sets nothing and AWS
// blocks public access to the new bucket by default, so nothing is added.
func addBlockPublicAccess(body *graph.Value, a *graph.Attribute) {
	if a == nil || a.Value.IsFalse() {
		return
	}
	config := a.Value // not statically known: the settings are unresolved
	if a.Value.IsTrue() {
		config = &graph.Value{Type: graph.Map, Range: a.Value.Range}
		for _, name := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			config.Attrs = append(config.Attrs, like(a, name, a.Value))
		}
	}
	body.Attrs = append(body.Attrs, like(a, "PublicAccessBlockConfiguration", config))
}

// addEncryption turns serverSideEncryption (and sseKMSKeyId) into the bucket's default
// encryption.
func addEncryption(body *graph.Value, algorithm, key *graph.Attribute) {
	if algorithm == nil {
		return
	}
	byDefault := &graph.Value{Type: graph.Map, Range: algorithm.Range, Attrs: []*graph.Attribute{like(algorithm, "SSEAlgorithm", algorithm.Value)}}
	if key != nil {
		byDefault.Attrs = append(byDefault.Attrs, like(key, "KMSMasterKeyID", key.Value))
	}
	rule := &graph.Value{Type: graph.Map, Range: algorithm.Range, Attrs: []*graph.Attribute{like(algorithm, "ServerSideEncryptionByDefault", byDefault)}}
	config := &graph.Value{Type: graph.Map, Range: algorithm.Range, Attrs: []*graph.Attribute{
		like(algorithm, "ServerSideEncryptionConfiguration", &graph.Value{Type: graph.List, Range: algorithm.Range, Items: []*graph.Value{rule}}),
	}}
	body.Attrs = append(body.Attrs, like(algorithm, "BucketEncryption", config))
}

// addVersioning turns versioning: true/false into the status CloudFormation spells.
func addVersioning(body *graph.Value, a *graph.Attribute) {
	if a == nil {
		return
	}
	status := a.Value // not statically known: unresolved
	if b, ok := a.Value.AsBool(); ok {
		origin := a.Range
		status = &graph.Value{Type: graph.String, Str: "Suspended", Range: a.Value.Range, Origin: &origin, Trace: a.Value.Trace}
		if b {
			status.Str = "Enabled"
		}
	}
	config := &graph.Value{Type: graph.Map, Range: a.Value.Range, Attrs: []*graph.Attribute{like(a, "Status", status)}}
	body.Attrs = append(body.Attrs, like(a, "VersioningConfiguration", config))
}

// defaultRole builds the framework's default Lambda role, or nil when the provider names
// a role of its own or every function has its own role.
func defaultRole(f *source.File, prov *graph.Resource, functions []*graph.Resource) *graph.Resource {
	iam := prov.Body.Lookup("iam")
	role := iam.Get("role")
	if prov.Get("role") != nil || role != nil && role.Value.Type != graph.Map || !needsDefaultRole(functions) {
		return nil
	}
	body := &graph.Value{Type: graph.Map, Range: prov.Header}
	var anchor *graph.Attribute
	if role != nil {
		anchor = role
		body.Range = role.Value.Range
		if a := role.Value.Get("managedPolicies"); a != nil {
			body.Attrs = append(body.Attrs, like(a, "ManagedPolicyArns", a.Value))
		}
		if a := role.Value.Get("permissionsBoundary"); a != nil {
			body.Attrs = append(body.Attrs, like(a, "PermissionsBoundary", a.Value))
		}
	}
	if a := prov.Get("rolePermissionsBoundary"); a != nil && body.Get("PermissionsBoundary") == nil {
		body.Attrs = append(body.Attrs, like(a, "PermissionsBoundary", a.Value))
	}
	var statements []*graph.Attribute
	if role != nil {
		if a := role.Value.Get("statements"); a != nil {
			statements = append(statements, a)
		}
	}
	if a := prov.Get("iamRoleStatements"); a != nil {
		statements = append(statements, a)
		if anchor == nil {
			anchor, body.Range = a, a.Value.Range
		}
	}
	if len(statements) > 0 {
		body.Attrs = append(body.Attrs, inlinePolicy(statements))
	}
	return generated(f, prov, anchor, defaultRoleID, graph.IAMRole, "serverless default role", body)
}

// needsDefaultRole reports whether some function runs with the default role: it has no
// `role` of its own.
func needsDefaultRole(functions []*graph.Resource) bool {
	for _, fn := range functions {
		if fn.Get("role") == nil {
			return true
		}
	}
	return false
}

// inlinePolicy is the role's Policies list: one policy whose statements are the items of
// every statements list, as written (a list not statically known stays one Unknown item).
func inlinePolicy(lists []*graph.Attribute) *graph.Attribute {
	first := lists[0]
	var items []*graph.Value
	for _, a := range lists {
		if a.Value.Type == graph.List {
			items = append(items, a.Value.Items...)
		} else {
			items = append(items, a.Value)
		}
	}
	statement := &graph.Value{Type: graph.List, Range: first.Value.Range, Items: items}
	document := &graph.Value{Type: graph.Map, Range: first.Value.Range, Attrs: []*graph.Attribute{like(first, "Statement", statement)}}
	policy := &graph.Value{Type: graph.Map, Range: first.Value.Range, Attrs: []*graph.Attribute{like(first, "PolicyDocument", document)}}
	return like(first, "Policies", &graph.Value{Type: graph.List, Range: first.Value.Range, Items: []*graph.Value{policy}})
}

// like returns an attribute named name holding v, at the ranges of the setting a it is
// made from.
func like(a *graph.Attribute, name string, v *graph.Value) *graph.Attribute {
	return &graph.Attribute{Name: name, NameRange: a.NameRange, Range: a.Range, Value: v}
}
