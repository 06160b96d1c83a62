package suppress

import (
	"time"

	"github.com/iacscan/iacscan/graph"
)

// metadataSources are the CloudFormation Metadata lists that hold ignores: the path to
// the list, the tool, and the key of an entry's explanation.
var metadataSources = []struct {
	path      []string
	tool      string
	reasonKey string
}{
	{[]string{"iacscan", "ignore"}, ToolIacscan, "reason"},
	{[]string{"checkov", "skip"}, ToolCheckov, "comment"},
	{[]string{"cfn_nag", "rules_to_suppress"}, ToolCfnNag, "reason"},
}

// Metadata returns the ignores a CloudFormation resource declares in its Metadata:
//
//	Metadata:
//	  iacscan:
//	    ignore:
//	      - {id: AWS-S3-001, reason: public website, expires: 2027-01-31}
//	  checkov:
//	    skip: [{id: CKV_AWS_20, comment: public website}]
//	  cfn_nag:
//	    rules_to_suppress: [{id: W51, reason: public website}]
//
// Each covers the whole resource. An iacscan entry may also be just the rule ID.
func Metadata(r *graph.Resource) []*Ignore {
	if r.Metadata == nil {
		return nil
	}
	var out []*Ignore
	for _, src := range metadataSources {
		list := r.Metadata.Lookup(src.path...)
		if list == nil || list.Type != graph.List {
			continue
		}
		for _, item := range list.Items {
			ig := metadataIgnore(item, src.tool, src.reasonKey)
			ig.Scope = Scope{Path: r.Range.Path, Block: r.Range}
			out = append(out, ig)
		}
	}
	return out
}

func metadataIgnore(item *graph.Value, tool, reasonKey string) *Ignore {
	ig := &Ignore{Tool: tool, At: item.Range}
	if id, ok := item.AsString(); ok && tool == ToolIacscan {
		ig.IDs = []string{id}
		return ig
	}
	if item.Type != graph.Map {
		ig.Problem = "an entry must be a mapping with an id"
		return ig
	}
	id, ok := item.Lookup("id").AsString()
	if !ok || id == "" {
		ig.Problem = "the entry has no id"
		return ig
	}
	ig.IDs = []string{id}
	ig.Reason, _ = item.Lookup(reasonKey).AsString()
	if exp := item.Lookup("expires"); exp != nil && tool == ToolIacscan {
		s, _ := exp.AsString()
		t, err := time.Parse(dateLayout, s)
		if err != nil {
			ig.Problem = "expires " + quoteValue(exp) + " is not a date like 2027-01-31"
		}
		ig.Expires = t
	}
	return ig
}

func quoteValue(v *graph.Value) string {
	if s, ok := v.AsString(); ok {
		return `"` + s + `"`
	}
	return "(" + v.Type.String() + ")"
}
