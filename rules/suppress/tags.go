package suppress

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// AnyValue as a Tag's Value matches the key with any value.
const AnyValue = "*"

// Tag is a resource tag that takes a resource out of the report (`exclude-tags` in
// .iacscan.yaml), like MVISION's `CASB-Audit = No`. Keys and values are case-sensitive, as
// AWS tags are.
type Tag struct{ Key, Value string }

func (t Tag) String() string { return t.Key + "=" + t.Value }

// tagged is a tag as found on a resource, with where its value is.
type tagged struct {
	key, value string
	at         source.Range
}

// ExcludeTags suppresses the findings about resources carrying one of tags: Terraform
// `tags` (and `tag` blocks), CloudFormation `Tags` (a Key/Value list or a map), the tags
// of a serverless function. A serverless provider's `stackTags` tag every resource of its
// stack, and its `tags` every function. It returns how many resources are excluded.
// Tags whose value is not known statically never match.
func ExcludeTags(findings []rules.Finding, g *graph.Graph, tags []Tag) ([]rules.Finding, []Suppressed, int) {
	if len(tags) == 0 {
		return findings, nil, 0
	}
	excluded := excludedResources(g, tags)
	var (
		kept       []rules.Finding
		suppressed []Suppressed
	)
	for _, f := range findings {
		t, ok := excluded[f.Resource]
		if !ok {
			kept = append(kept, f)
			continue
		}
		at := t.at
		suppressed = append(suppressed, Suppressed{Finding: f, Suppression: Suppression{
			Kind:     KindExternal,
			Reason:   fmt.Sprintf("the resource is tagged %s=%s (exclude-tags)", t.key, t.value),
			Location: &at,
		}})
	}
	n := 0
	for _, r := range g.Resources {
		if _, ok := excluded[r.ID]; ok && !r.Kind.IsConfiguration() {
			n++ // configuration is excluded with its file's stack, but is no resource to count
		}
	}
	return kept, suppressed, n
}

// excludedResources returns the excluded resources with the tag that excludes each.
func excludedResources(g *graph.Graph, tags []Tag) map[graph.ID]tagged {
	stacks := map[string]tagged{}    // serverless file → a matching stackTags tag
	functions := map[string]tagged{} // serverless file → a matching provider tag
	for _, r := range g.OfKind(graph.ServerlessProvider) {
		if t, ok := matching(tagsOf(r.Body, "stackTags"), tags); ok {
			stacks[r.ID.Path] = t
		}
		if t, ok := matching(tagsOf(r.Body, "tags"), tags); ok {
			functions[r.ID.Path] = t
		}
	}
	out := map[graph.ID]tagged{}
	for _, r := range g.Resources {
		t, ok := matching(resourceTags(r), tags)
		if !ok && r.Format == graph.Serverless {
			t, ok = stacks[r.ID.Path]
			if !ok && (r.Kind == graph.ServerlessFunction || r.Kind == graph.ServerlessProvider) {
				t, ok = functions[r.ID.Path]
			}
		}
		if ok {
			out[r.ID] = t
		}
	}
	return out
}

func matching(found []tagged, tags []Tag) (tagged, bool) {
	for _, f := range found {
		for _, t := range tags {
			if f.key == t.Key && (t.Value == AnyValue || f.value == t.Value) {
				return f, true
			}
		}
	}
	return tagged{}, false
}

// resourceTags reads a resource's own tags in every shape the formats use.
func resourceTags(r *graph.Resource) []tagged {
	out := tagsOf(r.Body, "tags", "Tags")
	for _, blk := range r.Body.Elements("tag") { // aws_autoscaling_group `tag { key, value }`
		out = append(out, keyValue(blk, "key", "value")...)
	}
	return out
}

// tagsOf reads the tags under the first attribute named by names: a map of key to value,
// or a list of {Key, Value} entries.
func tagsOf(body *graph.Value, names ...string) []tagged {
	a := body.Get(names...)
	if a == nil {
		return nil
	}
	var out []tagged
	switch a.Value.Type {
	case graph.Map:
		for _, kv := range a.Value.Attrs {
			if s, ok := kv.Value.AsString(); ok {
				out = append(out, tagged{key: kv.Name, value: s, at: kv.Value.Range})
			}
		}
	case graph.List:
		for _, it := range a.Value.Items {
			out = append(out, keyValue(it, "Key", "Value")...)
		}
	}
	return out
}

func keyValue(v *graph.Value, keyName, valueName string) []tagged {
	k, kok := v.Lookup(keyName).AsString()
	val := v.Lookup(valueName)
	s, vok := val.AsString()
	if !kok || !vok {
		return nil
	}
	return []tagged{{key: k, value: s, at: val.Range}}
}
