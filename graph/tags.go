package graph

import "github.com/iacscan/iacscan/source"

// Tag is a resource tag as declared, with where its value is.
type Tag struct {
	Key, Value string
	At         source.Range
}

// Tags reads a resource's own tags in every shape the formats use: Terraform `tags` (and
// `tag { key, value }` blocks of autoscaling groups), CloudFormation `Tags` (a Key/Value
// list or a map), a serverless function's `tags`. known is false when some tag, or the
// tags as a whole, are not statically known (`tags = var.tags`).
func (r *Resource) Tags() (tags []Tag, known bool) {
	tags, known = TagsOf(r.Body, "tags", "Tags")
	for _, blk := range r.Body.Elements("tag") {
		t, ok := keyValue(blk, "key", "value")
		tags, known = append(tags, t...), known && ok
	}
	return tags, known
}

// TagsOf reads the tags under the first attribute of body named by names: a map of key to
// value, or a list of {Key, Value} entries; known as for Resource.Tags.
func TagsOf(body *Value, names ...string) (tags []Tag, known bool) {
	a := body.Get(names...)
	if a == nil {
		return nil, true
	}
	known = a.Value.Known()
	switch a.Value.Type {
	case Map:
		for _, kv := range a.Value.Attrs {
			if s, ok := kv.Value.AsString(); ok {
				tags = append(tags, Tag{Key: kv.Name, Value: s, At: kv.Value.Range})
			} else if !kv.Value.Known() {
				known = false
			}
		}
	case List:
		for _, it := range a.Value.Items {
			t, ok := keyValue(it, "Key", "Value")
			tags, known = append(tags, t...), known && ok
		}
	}
	return tags, known
}

// keyValue reads one {Key, Value} entry; ok is false when it is not statically known.
func keyValue(v *Value, keyName, valueName string) ([]Tag, bool) {
	key, val := v.Lookup(keyName), v.Lookup(valueName)
	k, kok := key.AsString()
	s, vok := val.AsString()
	if !kok || !vok {
		unknown := !v.Known() || (key != nil && !key.Known()) || (val != nil && !val.Known())
		return nil, !unknown
	}
	return []Tag{{Key: k, Value: s, At: val.Range}}, true
}
