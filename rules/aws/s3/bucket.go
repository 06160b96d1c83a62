package s3

import (
	"slices"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules/policy"
	"github.com/iacscan/iacscan/source"
)

// Bucket is one S3 bucket joined with its settings, wherever they are declared: inline on
// the bucket (Terraform's older style, CloudFormation properties) or in the split resources
// of AWS provider v4+ (aws_s3_bucket_acl, aws_s3_bucket_policy, ...) and
// AWS::S3::BucketPolicy, which name the bucket by reference or by its literal name.
// Attribute names stay as written; each Setting knows the resource that declares it.
type Bucket struct {
	// Resource declares the bucket. It is nil for a bucket the scan knows only through split
	// resources naming it (a bucket created elsewhere): what those grant is still checked,
	// but nothing is reported as missing on it.
	Resource *graph.Resource
	// Name is the literal bucket name (`bucket`, `BucketName`), "" when not statically known.
	Name string

	CannedACLs []Setting // `acl` / `AccessControl` attributes
	// Grants is what the canned ACLs and explicit `grant` blocks give the public grantee
	// groups; grants to accounts and canonical users are not kept.
	Grants []Grant
	// unknownGrants are the grants that may be public but are not statically known.
	unknownGrants []unknownGrant
	Policies      []*Policy
	// PublicAccessBlocks are the bucket's own Block Public Access settings; the
	// account-level ones, shared by every bucket of the scan, are AccountPublicAccessBlocks.
	PublicAccessBlocks        []Setting
	AccountPublicAccessBlocks []Setting
	Ownership                 []Setting // `object_ownership` / `ObjectOwnership` attributes
	Encryption                []Setting
	Versioning                []Setting
	Logging                   []Setting
	Website                   []Setting
	// LoggedBy lists the buckets whose access logs are delivered to this bucket.
	LoggedBy []*Bucket

	scope string // where names in the bucket's settings resolve
	// nameUnknown is set when the bucket is named by a value not statically known: its
	// declared name, or the `bucket` of the split resources of a bucket declared elsewhere.
	nameUnknown bool
	// strays are the split resources and log targets of the bucket's scope that name no
	// declared bucket, shared by the buckets of the scope: some may be about this one.
	strays *strays
}

// Setting is one declaration of a bucket setting: the resource that declares it (the bucket
// itself or a split resource) and the attribute or block holding it. Attr is nil when the
// setting is a whole split resource, such as aws_s3_bucket_public_access_block.
type Setting struct {
	Resource *graph.Resource
	Attr     *graph.Attribute
}

// Value is the setting's value: the attribute's, or the split resource's body. A `dynamic`
// block's content is not statically known: its value is Unknown, and spans the block from
// its keyword.
func (s Setting) Value() *graph.Value {
	switch {
	case s.Attr == nil:
		return s.Resource.Body
	case s.Attr.Name == "dynamic":
		return &graph.Value{Type: graph.Unknown, Range: s.Attr.Range}
	}
	return s.Attr.Value
}

// Location is where a finding about the setting as a whole goes: the attribute or block,
// or the header of the split resource.
func (s Setting) Location() source.Range {
	if s.Attr == nil {
		return s.Resource.Header
	}
	return s.Attr.Range
}

// Buckets returns every bucket of g with its settings: the declared buckets in graph order,
// then the buckets known only through split resources, in the order they are first named.
func Buckets(g *graph.Graph) []*Bucket {
	declared := g.OfKind(graph.S3Bucket)
	j := &joiner{
		buckets:    make([]*Bucket, 0, len(declared)),
		byResource: make(map[*graph.Resource]*Bucket, len(declared)),
		byKey:      make(map[bucketKey]*Bucket, len(declared)),
		reader:     policy.NewReader(),
		strays:     map[string]*strays{},
	}
	var account []Setting
	for _, r := range g.OfKind(graph.S3AccountPublicAccessBlock) {
		account = append(account, Setting{Resource: r})
	}
	for _, r := range declared {
		if r.Body.Type != graph.Map {
			// Properties given by an unresolved intrinsic (`Properties: !If [...]`): nothing
			// about the bucket is known, so nothing is reported as missing either.
			continue
		}
		j.declare(r)
	}
	for _, r := range g.Resources {
		if attach, ok := splitKinds[r.Kind]; ok {
			attach(j, j.bucketOf(r, get(r.Body, "bucket", "Bucket")), r)
		}
	}
	for _, b := range j.buckets {
		b.AccountPublicAccessBlocks = account
		b.strays = j.straysOf(b.scope)
		if b.Resource == nil {
			b.strays.add(b)
		}
		for _, l := range b.Logging {
			j.addTarget(b, l)
		}
	}
	return j.buckets
}

// addTarget adds b to the buckets its logging configuration l delivers logs to, or makes
// the target a stray of b's scope when it is no declared bucket.
func (j *joiner) addTarget(b *Bucket, l Setting) {
	value := l.Value()
	target := get(value, "target_bucket", "DestinationBucketName")
	if value.Known() && target == nil {
		return
	}
	to := j.lookup(b.scope, target)
	if to != nil {
		to.LoggedBy = append(to.LoggedBy, b)
		if to.Resource != nil {
			return
		}
	}
	if name, ok := target.AsString(); ok || !target.Known() {
		j.straysOf(b.scope).addTarget(l.Resource, name)
	}
}

// splitKinds attaches each kind of split resource to its bucket.
var splitKinds = map[graph.Kind]func(*joiner, *Bucket, *graph.Resource){
	graph.S3BucketACL: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.addCannedACLs(r, r.Body)
		for _, acp := range r.Body.Elements("access_control_policy") {
			b.addExplicitGrants(r, acp)
		}
	},
	graph.S3BucketPolicy: func(j *joiner, b *Bucket, r *graph.Resource) {
		j.addPolicies(b, r, r.Body, "policy", "PolicyDocument")
	},
	graph.S3BucketPublicAccessBlock: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.PublicAccessBlocks = append(b.PublicAccessBlocks, Setting{Resource: r})
	},
	graph.S3BucketOwnershipControls: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.addOwnership(r, r.Body)
	},
	graph.S3BucketEncryption: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.Encryption = append(b.Encryption, Setting{Resource: r})
	},
	graph.S3BucketVersioning: func(_ *joiner, b *Bucket, r *graph.Resource) {
		config := settings(r, r.Body, "versioning_configuration")
		if len(config) == 0 {
			config = []Setting{{Resource: r}}
		}
		b.Versioning = append(b.Versioning, config...)
	},
	graph.S3BucketLogging: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.Logging = append(b.Logging, Setting{Resource: r})
	},
	graph.S3BucketWebsite: func(_ *joiner, b *Bucket, r *graph.Resource) {
		b.Website = append(b.Website, Setting{Resource: r})
	},
}

// bucketKey names a bucket within a scope by its literal name or, for a bucket declared
// elsewhere, by the one reference that names it (var.bucket, data.aws_s3_bucket.b.id).
type bucketKey struct {
	scope, name string
	ref         bool
}

// joiner builds the buckets of one graph.
type joiner struct {
	buckets    []*Bucket
	byResource map[*graph.Resource]*Bucket
	byKey      map[bucketKey]*Bucket
	// reader reads each aws_iam_policy_document once, so that a document attached to
	// several buckets yields the same statements (and one finding each).
	reader *policy.Reader
	strays map[string]*strays // by scope
}

// straysOf returns the strays of scope, adding them when there are none yet.
func (j *joiner) straysOf(scope string) *strays {
	st := j.strays[scope]
	if st == nil {
		st = &strays{}
		j.strays[scope] = st
	}
	return st
}

// declare adds a declared bucket with its inline settings.
func (j *joiner) declare(r *graph.Resource) {
	b := &Bucket{Resource: r, scope: r.Scope}
	name := get(r.Body, "bucket", "BucketName")
	b.Name, _ = name.AsString()
	b.nameUnknown = name != nil && !name.Known()
	j.buckets = append(j.buckets, b)
	j.byResource[r] = b
	if b.Name != "" {
		key := bucketKey{scope: r.Scope, name: b.Name}
		if _, dup := j.byKey[key]; !dup {
			j.byKey[key] = b
		}
	}
	body := r.Body
	b.addCannedACLs(r, body)
	b.addExplicitGrants(r, body)
	j.addPolicies(b, r, body, "policy")
	b.PublicAccessBlocks = append(b.PublicAccessBlocks, settings(r, body, "PublicAccessBlockConfiguration")...)
	for _, oc := range body.Elements("OwnershipControls") {
		b.addOwnership(r, oc)
	}
	b.Encryption = append(b.Encryption, settings(r, body, "server_side_encryption_configuration", "BucketEncryption")...)
	b.Versioning = append(b.Versioning, settings(r, body, "versioning", "VersioningConfiguration")...)
	b.Logging = append(b.Logging, settings(r, body, "logging", "LoggingConfiguration")...)
	b.Website = append(b.Website, settings(r, body, "website", "WebsiteConfiguration")...)
}

// bucketOf returns the bucket a split resource's `bucket` argument names, creating a bucket
// declared elsewhere when it names none of the scan's.
func (j *joiner) bucketOf(r *graph.Resource, v *graph.Value) *Bucket {
	if b := j.lookup(r.Scope, v); b != nil {
		return b
	}
	b := &Bucket{scope: r.Scope, nameUnknown: v != nil && !v.Known()}
	if name, ok := v.AsString(); ok {
		b.Name = name
		j.byKey[bucketKey{scope: r.Scope, name: name}] = b
	} else if ref := soleRef(v); ref != nil {
		j.byKey[bucketKey{scope: r.Scope, name: ref.Address + "." + ref.Attr, ref: true}] = b
	}
	j.buckets = append(j.buckets, b)
	return b
}

// lookup resolves a value naming a bucket: a reference to a bucket resource (its id or
// bucket attribute, or a CloudFormation Ref), a literal name, or a reference already seen.
func (j *joiner) lookup(scope string, v *graph.Value) *Bucket {
	if name, ok := v.AsString(); ok {
		return j.byKey[bucketKey{scope: scope, name: name}]
	}
	ref := soleRef(v)
	if ref == nil {
		return nil
	}
	if ref.Target != nil && ref.Target.Kind == graph.S3Bucket && (ref.Attr == "" || ref.Attr == "id" || ref.Attr == "bucket") {
		return j.byResource[ref.Target]
	}
	return j.byKey[bucketKey{scope: scope, name: ref.Address + "." + ref.Attr, ref: true}]
}

// soleRef returns the reference of an Unknown value that is exactly one reference, or nil:
// "${aws_s3_bucket.b.id}-logs" names another bucket than aws_s3_bucket.b.id does.
func soleRef(v *graph.Value) *graph.Ref {
	if v == nil || v.Type != graph.Unknown || len(v.Refs) != 1 || !v.Refs[0].Whole {
		return nil
	}
	return v.Refs[0]
}

// get returns the value of v's first attribute named by any of names, or nil.
func get(v *graph.Value, names ...string) *graph.Value {
	if a := v.Get(names...); a != nil {
		return a.Value
	}
	return nil
}

// settings returns a Setting for each attribute of v named by names, and for each
// `dynamic` block generating such blocks.
func settings(r *graph.Resource, v *graph.Value, names ...string) []Setting {
	if v == nil || v.Type != graph.Map {
		return nil
	}
	var out []Setting
	for _, a := range v.Attrs {
		name := a.Name
		if name == "dynamic" && len(a.Labels) == 1 {
			name = a.Labels[0]
		}
		if slices.Contains(names, name) {
			out = append(out, Setting{Resource: r, Attr: a})
		}
	}
	return out
}

// declared reports whether the file declares the bucket itself, so that a setting it
// lacks is missing: not for a bucket declared elsewhere, nor for one the deployment tool
// generates (graph.Resource.Generated), whose unset settings are the defaults.
func (b *Bucket) declared() bool { return b.Resource != nil && !b.Resource.Generated }

// addOwnership adds the object ownership of each rule of an ownership-controls map
// (aws_s3_bucket_ownership_controls' body, CloudFormation's OwnershipControls).
func (b *Bucket) addOwnership(r *graph.Resource, controls *graph.Value) {
	for _, rule := range controls.Elements("rule", "Rules") {
		b.Ownership = append(b.Ownership, settings(r, rule, "object_ownership", "ObjectOwnership")...)
	}
}
