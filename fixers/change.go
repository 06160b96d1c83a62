package fixers

import "github.com/iacscan/iacscan/graph"

// Op is what a Change does.
type Op uint8

const (
	// SetValue replaces Target (a scalar, list or map value) with New.
	SetValue Op = iota + 1
	// RemoveItem removes Target, an item of the list Parent (one CIDR, one CloudFormation
	// SecurityGroupIngress element), with its separator and, when it sits on its own line,
	// the whole line.
	RemoveItem
	// RemoveAttribute removes Attr (an attribute, a mapping entry or a nested block) from
	// the map Parent, with its own line(s) and trailing comment.
	RemoveAttribute
	// RemoveResource deletes Resource entirely (its block or mapping entry).
	RemoveResource
	// AddAttribute adds Name = New to the map Parent (a resource body or a nested map),
	// in the file's own style. A New map with Block set becomes an HCL nested block.
	AddAttribute
	// AddResource adds a new Terraform resource of type Kind named Name with body New right
	// after Resource (a split-style setting such as aws_s3_bucket_versioning), or a data
	// source for a Kind "data.T" (data "aws_caller_identity" "current" {}). Fixes that add
	// the same resource after the same one add it once.
	AddResource
)

// Change is a fix intent: rules say what should change in terms of the graph, and the
// per-format patchers turn it into byte Edits of the original file. New values are small
// trees of graph.Values without ranges (graph.StringValue("private"), a Map of Attributes), or
// a Terraform string template (graph.TemplateValue), which only Terraform's native syntax
// writes.
type Change struct {
	Op       Op
	Resource *graph.Resource  // the resource the change is in (all ops)
	Target   *graph.Value     // SetValue, RemoveItem
	Parent   *graph.Value     // RemoveItem: the list; RemoveAttribute, AddAttribute: the map
	Attr     *graph.Attribute // RemoveAttribute
	Name     string           // AddAttribute: the attribute name; AddResource: the resource name
	Kind     graph.Kind       // AddResource: the resource type
	New      *graph.Value     // SetValue, AddAttribute, AddResource (the body)
}
