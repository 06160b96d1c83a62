package setting

import "github.com/iacscan/iacscan/graph"

// Found is what Lookup finds of a setting in a resource.
type Found struct {
	// Attr is the setting, when it is present with a value that is not null.
	Attr *graph.Attribute
	// Parent is the deepest map of the path that exists: where a missing setting is added.
	Parent *graph.Value
	// Missing are the names of the path from Parent down, when the setting is absent.
	Missing []string
	// Unknown is the value, on the path or the setting's own, that is not statically
	// known: a `dynamic` block, a variable, a CloudFormation condition.
	Unknown *graph.Value
}

// Lookup follows path through r's body. A Terraform `null` counts as absent, as it does
// for the provider; the first of repeated blocks is taken; a `dynamic` block generating a
// name of the path makes the setting unknown.
func Lookup(r *graph.Resource, path []string) Found {
	v := r.Body
	for i, name := range path {
		if !v.Known() {
			return Found{Unknown: v}
		}
		a := v.Get(name)
		if a == nil || a.Value.Type == graph.Null {
			if d := dynamicBlock(v, name); d != nil {
				return Found{Unknown: d}
			}
			return Found{Parent: v, Missing: path[i:]}
		}
		if i == len(path)-1 {
			if !a.Value.Known() {
				return Found{Unknown: a.Value}
			}
			return Found{Attr: a, Parent: v}
		}
		v = a.Value
		if v.Type == graph.List && len(v.Items) > 0 {
			v = v.Items[0]
		}
	}
	return Found{Parent: v}
}

// dynamicBlock returns the content of a Terraform `dynamic "name"` block in v, or nil.
func dynamicBlock(v *graph.Value, name string) *graph.Value {
	for _, a := range v.Attrs {
		if a.Name == "dynamic" && len(a.Labels) == 1 && a.Labels[0] == name {
			return a.Value
		}
	}
	return nil
}
