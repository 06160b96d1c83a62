// Package graph is the common resource graph every parser produces and every rule reads:
// resources with canonical kinds, typed values with exact source ranges, and references
// between resources as edges.
package graph

import (
	"fmt"
	"sort"

	"github.com/iacscan/iacscan/source"
)

// ID identifies a resource: the file it is declared in and its address there
// ("aws_s3_bucket.logs" in main.tf, "LogsBucket" in stack.yaml).
type ID struct {
	Path    string `json:"path"`
	Address string `json:"address"`
}

func (id ID) String() string { return id.Path + ":" + id.Address }

// Resource is one declared resource.
type Resource struct {
	ID     ID
	Kind   Kind   // canonical kind rules select on
	Native string // the type as written: "aws_s3_bucket", "AWS::S3::Bucket"
	Format Format
	// Scope is where addresses resolve: the module directory for Terraform, the file for
	// CloudFormation and serverless.
	Scope string
	// Name is the last part of the address: the Terraform name label or CFN logical ID.
	Name   string
	Range  source.Range // the whole block or mapping entry
	Header source.Range // `resource "aws_s3_bucket" "logs"` / `LogsBucket:`: anchor for "missing X"
	// Body holds the attributes and nested blocks (CloudFormation: the Properties).
	Body *Value
	// Metadata is a CloudFormation resource's Metadata (where ignores are declared), or nil.
	Metadata *Value
	// DependsOn are the references a resource makes outside its Body: CloudFormation's
	// DependsOn (Terraform's depends_on is in the Body). They link like the Body's.
	DependsOn []*Ref
	// ReadByOutputs are the places in the template's Outputs that read a CloudFormation
	// resource: like a referrer, they keep fixers from deleting it.
	ReadByOutputs []source.Range
	// CalledFrom are the headers of the Terraform module blocks that instantiate the
	// resource, innermost first: reports show them, and an ignore on a module call covers
	// the module's findings.
	CalledFrom []source.Range
	// Generated is set on a resource the deployment tool creates without the file declaring
	// it, built from the settings the file gives it (the serverless framework's deployment
	// bucket and default Lambda role). What the file leaves unset is the tool's or AWS's
	// default, so rules judge the settings written and never report one as missing.
	Generated bool
	// Respell, when set, turns an attribute a fix adds to a map of the Body, named and
	// valued as rules write it (CloudFormation's TracingConfig: {Mode: Active}), into what
	// the resource's own syntax writes (AWS SAM's Tracing: Active); ok is false when that
	// syntax has no such attribute, and the fix cannot be written. Fixers call it.
	Respell func(parent *Value, name string, v *Value) (string, *Value, bool)
}

// Location anchors a finding about the resource as a whole at its header.
func (r *Resource) Location() source.Range { return r.Header }

// Get returns the first top-level attribute named by any of names.
func (r *Resource) Get(names ...string) *Attribute { return r.Body.Get(names...) }

// Graph is the set of resources of one scan with their reference edges.
type Graph struct {
	Resources []*Resource

	byKind    map[Kind][]*Resource
	byAddress map[scoped]*Resource
	referrers map[*Resource][]*Resource
	targets   map[*Resource][]*Resource
}

type scoped struct{ scope, address string }

// New indexes resources and resolves every Ref whose address names a resource in the same
// scope. Resources are ordered by path and position so that every later stage is
// deterministic whatever order the parsers finished in.
func New(resources []*Resource) *Graph {
	sort.SliceStable(resources, func(i, j int) bool {
		a, b := resources[i], resources[j]
		if a.ID.Path != b.ID.Path {
			return a.ID.Path < b.ID.Path
		}
		return a.Range.Start.Byte < b.Range.Start.Byte
	})
	g := &Graph{
		Resources: resources,
		byKind:    make(map[Kind][]*Resource),
		byAddress: make(map[scoped]*Resource, len(resources)),
		referrers: make(map[*Resource][]*Resource),
		targets:   make(map[*Resource][]*Resource),
	}
	for _, r := range resources {
		g.byKind[r.Kind] = append(g.byKind[r.Kind], r)
		key := scoped{r.Scope, r.ID.Address}
		if _, dup := g.byAddress[key]; !dup {
			g.byAddress[key] = r
		}
	}
	for _, r := range resources {
		g.link(r)
	}
	return g
}

func (g *Graph) link(from *Resource) {
	seen := map[*Resource]bool{}
	resolve := func(refs []*Ref) {
		for _, ref := range refs {
			to := g.byAddress[scoped{from.Scope, ref.Address}]
			if to == nil || to == from {
				continue
			}
			ref.Target = to
			if !seen[to] {
				seen[to] = true
				g.targets[from] = append(g.targets[from], to)
				g.referrers[to] = append(g.referrers[to], from)
			}
		}
	}
	from.Body.Walk(func(v *Value) { resolve(v.Refs) })
	resolve(from.DependsOn)
}

// OfKind returns the resources of the given kinds in deterministic order.
func (g *Graph) OfKind(kinds ...Kind) []*Resource {
	if len(kinds) == 1 {
		return g.byKind[kinds[0]]
	}
	var out []*Resource
	for _, r := range g.Resources {
		for _, k := range kinds {
			if r.Kind == k {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Lookup returns the resource with address in scope, or nil.
func (g *Graph) Lookup(scope, address string) *Resource {
	return g.byAddress[scoped{scope, address}]
}

// Referrers returns the resources of the given kinds (any kind when none is given) whose
// values reference to: the public access blocks pointing at a bucket, for example.
func (g *Graph) Referrers(to *Resource, kinds ...Kind) []*Resource {
	return filterKinds(g.referrers[to], kinds)
}

// Targets returns the resources from references, filtered by kind like Referrers.
func (g *Graph) Targets(from *Resource, kinds ...Kind) []*Resource {
	return filterKinds(g.targets[from], kinds)
}

// IsReferenced reports whether any other resource references r (fixers never delete such
// a resource).
func (g *Graph) IsReferenced(r *Resource) bool { return len(g.referrers[r]) > 0 }

func filterKinds(rs []*Resource, kinds []Kind) []*Resource {
	if len(kinds) == 0 {
		return rs
	}
	var out []*Resource
	for _, r := range rs {
		for _, k := range kinds {
			if r.Kind == k {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// PathOf returns the attribute path of the value or attribute whose range is at inside r,
// such as "ingress[1].cidr_blocks[0]" or "Properties.AccessControl". Repeated blocks are
// numbered among their siblings of the same name. It is how findings get a fingerprint that
// does not depend on line numbers. It returns "" when at is r's header or not inside r.
func (r *Resource) PathOf(at source.Range) string {
	path, _ := pathIn(r.Body, at, "")
	return path
}

func pathIn(v *Value, at source.Range, prefix string) (string, bool) {
	if v == nil {
		return "", false
	}
	if sameSpan(v.Range, at) && prefix != "" {
		return prefix, true
	}
	for i, it := range v.Items {
		if p, ok := pathIn(it, at, fmt.Sprintf("%s[%d]", prefix, i)); ok {
			return p, true
		}
	}
	counts := map[string]int{}
	for _, a := range v.Attrs {
		name := a.Name
		if prefix != "" {
			name = prefix + "." + a.Name
		}
		if a.Value.Block {
			name = fmt.Sprintf("%s[%d]", name, counts[a.Name])
			counts[a.Name]++
		}
		if sameSpan(a.Range, at) || sameSpan(a.NameRange, at) {
			return name, true
		}
		if p, ok := pathIn(a.Value, at, name); ok {
			return p, true
		}
	}
	return "", false
}

func sameSpan(a, b source.Range) bool {
	return a.Path == b.Path && a.Start.Byte == b.Start.Byte && a.End.Byte == b.End.Byte
}
