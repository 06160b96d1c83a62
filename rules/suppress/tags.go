package suppress

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// AnyValue as a Tag's Value matches the key with any value.
const AnyValue = "*"

// Tag is a resource tag that takes a resource out of the report (`exclude-tags` in
// .iacscan.yaml), like MVISION's `CASB-Audit = No`. Keys and values are case-sensitive, as
// AWS tags are.
type Tag struct{ Key, Value string }

func (t Tag) String() string { return t.Key + "=" + t.Value }

// tagged is a tag as found on a resource, with where its value is.
type tagged = graph.Tag

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
		at := t.At
		suppressed = append(suppressed, Suppressed{Finding: f, Suppression: Suppression{
			Kind:     KindExternal,
			Reason:   fmt.Sprintf("the resource is tagged %s=%s (exclude-tags)", t.Key, t.Value),
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
		own, _ := r.Tags()
		t, ok := matching(own, tags)
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
			if f.Key == t.Key && (t.Value == AnyValue || f.Value == t.Value) {
				return f, true
			}
		}
	}
	return tagged{}, false
}

// tagsOf reads the known tags under the first attribute named by names.
func tagsOf(body *graph.Value, names ...string) []tagged {
	tags, _ := graph.TagsOf(body, names...)
	return tags
}
