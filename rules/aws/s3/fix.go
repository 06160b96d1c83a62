package s3

import (
	"fmt"
	"slices"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// offer is the fix of one finding before its mode is decided.
type offer = rules.Offer

// setValue replaces v with nv, as "set name to text".
func setValue(r *graph.Resource, name string, v, nv *graph.Value, text string) offer {
	return rules.SetValue(r, name, v, nv, text)
}

// missingSetting is a bucket setting a fix adds where it is missing, in each style: a split
// resource (AWS provider v4+), an inline block of aws_s3_bucket (older providers; "" when
// there is none, as for public access blocks) and a CloudFormation property.
type missingSetting struct {
	// What the new setting holds, in descriptions of each style.
	splitWhat, inlineWhat, cfnWhat string

	split  graph.Kind
	inline string
	cfn    string
	// The new setting's content in each style: the split resource's body after its
	// `bucket`, the inline block, the property's value.
	splitBody  func() []*graph.Attribute
	inlineBody func() *graph.Value
	cfnBody    func() *graph.Value
}

// add returns how to add the setting to bucket r in the style of r's file.
func (m missingSetting) add(ctx *rules.Context, r *graph.Resource) offer {
	g := ctx.Graph
	switch {
	case !r.Format.IsTerraform():
		return m.addProperty(r)
	case m.inline != "" && stylesOf(ctx).inline(r):
		return offer{
			Description: fmt.Sprintf("add a %s block with %s", m.inline, m.inlineWhat),
			Changes:     []fixers.Change{{Op: fixers.AddAttribute, Resource: r, Parent: r.Body, Name: m.inline, New: m.inlineBody()}},
		}
	}
	address := string(m.split) + "." + r.Name
	body := graph.MapValue(true, append([]*graph.Attribute{graph.Attr("bucket", reference(r, "id"))}, m.splitBody()...)...)
	o := offer{
		Description: fmt.Sprintf("add %s with %s", address, m.splitWhat),
		Changes:     []fixers.Change{{Op: fixers.AddResource, Resource: r, Kind: m.split, Name: r.Name, New: body}},
	}
	switch meta := r.Get("count", "for_each"); {
	case meta != nil:
		o.Blocked = fmt.Sprintf("%s uses %s, so the new resource needs one instance per bucket", r.ID.Address, meta.Name)
	case g.Lookup(r.Scope, address) != nil:
		o.Blocked = address + " already exists"
	}
	return o
}

// addProperty adds the setting to a CloudFormation bucket's Properties, or adds the
// Properties when the bucket has none.
func (m missingSetting) addProperty(r *graph.Resource) offer {
	o := rules.AddSetting(r, r.Body, m.cfn, m.cfnBody(), fmt.Sprintf("%s (%s)", m.cfn, m.cfnWhat))
	if !rules.PropertiesMissing(r) {
		o.Description = fmt.Sprintf("add %s with %s", m.cfn, m.cfnWhat)
	}
	return o
}

// splitKindsOnly are the split resources that AWS provider v4 introduced: a file with one of
// them uses the split style. (Public access blocks and policies predate v4.)
var splitKindsOnly = []graph.Kind{graph.S3BucketACL, graph.S3BucketVersioning, graph.S3BucketEncryption, graph.S3BucketLogging, graph.S3BucketWebsite}

// inlineArguments are the aws_s3_bucket arguments that v4 split off into resources.
var inlineArguments = []string{
	"acl", "grant", "versioning", "logging", "server_side_encryption_configuration", "website",
	"lifecycle_rule", "cors_rule", "replication_configuration", "object_lock_configuration",
}

// style is what the Terraform resources of a file or module show of the way they declare
// bucket settings.
type style struct {
	split  bool // a split resource that AWS provider v4 introduced
	inline bool // a bucket with an argument that v4 split off
}

// observe adds what x shows.
func (s *style) observe(x *graph.Resource) {
	switch {
	case slices.Contains(splitKindsOnly, x.Kind):
		s.split = true
	case x.Kind == graph.S3Bucket && slices.ContainsFunc(inlineArguments, func(name string) bool { return x.Get(name) != nil }):
		s.inline = true
	}
}

// styles is the style of each file and of each Terraform module of the scan.
type styles struct {
	byFile, byScope map[string]*style
}

type stylesKey struct{}

// stylesOf returns the styles of the scan, read in one pass over its resources and shared
// by the rules (rules.Memo): a fix per bucket must not rescan the graph for each bucket.
func stylesOf(ctx *rules.Context) styles {
	return rules.Memo(ctx, stylesKey{}, func() styles {
		s := styles{byFile: map[string]*style{}, byScope: map[string]*style{}}
		for _, x := range ctx.Graph.Resources {
			if !x.Format.IsTerraform() {
				continue
			}
			styleIn(s.byFile, x.ID.Path).observe(x)
			styleIn(s.byScope, x.Scope).observe(x)
		}
		return s
	})
}

// styleIn returns the style of key in m, adding an empty one.
func styleIn(m map[string]*style, key string) *style {
	s := m[key]
	if s == nil {
		s = &style{}
		m[key] = s
	}
	return s
}

// inline reports whether a new setting of Terraform bucket r goes inline. The file decides:
// split resources in it mean the split style, buckets with inline settings the inline
// style. A file with neither follows its module, and a module with neither gets the style
// of current providers, split resources.
func (s styles) inline(r *graph.Resource) bool {
	if f := s.byFile[r.ID.Path]; f != nil && (f.split || f.inline) {
		return !f.split
	}
	m := s.byScope[r.Scope]
	return m != nil && m.inline && !m.split
}

// reference is the expression `r.attr`, such as aws_s3_bucket.logs.id, for a new resource.
func reference(r *graph.Resource, attr string) *graph.Value {
	return &graph.Value{Type: graph.Unknown, Refs: []*graph.Ref{{Address: r.ID.Address, Attr: attr, Target: r}}}
}
