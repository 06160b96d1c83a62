package cloudformation

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// forEachPrefix starts the key of a loop of the AWS::LanguageExtensions transform.
const forEachPrefix = "Fn::ForEach::"

// isForEach reports whether a mapping key is a loop the template's transforms expand.
func (c *Converter) isForEach(key *document.Node) bool {
	return c.extensions && key.Kind == document.Scalar && strings.HasPrefix(key.Value, forEachPrefix)
}

// forEach expands `Fn::ForEach::Name: [Identifier, Collection, {KeyTemplate: Body}]`: for
// each item of the collection it binds Identifier to the item and calls emit with the key
// the template generates (`${Identifier}` replaced by the item, `&{Identifier}` by the item
// without its non-alphanumeric characters) and the body to convert. A Ref to the identifier
// is explained by the collection, after how the item was computed. A loop whose
// collection is not a known list of strings cannot be expanded and is reported.
func (c *Converter) forEach(p document.Pair, depth int, emit func(name string, key, body *document.Node)) *source.Diagnostic {
	args := p.Value
	if args.Kind != document.Sequence || len(args.Items) != 3 || args.Items[2].Kind != document.Mapping {
		d := source.Errorf(&p.Key.Range, "%s takes [Identifier, Collection, {OutputKey: OutputValue}]", p.Key.Value)
		return &d
	}
	id, ok := literal(args.Items[0])
	items := c.value(args.Items[1], depth+1)
	if !ok || items.Type != graph.List {
		d := source.Diagnostic{Severity: source.Warning, Summary: p.Key.Value + ": the collection is not known; its resources are not scanned", Subject: &p.Key.Range}
		return &d
	}
	for _, item := range items.Items {
		if _, ok := item.AsString(); !ok {
			d := source.Diagnostic{Severity: source.Warning, Summary: p.Key.Value + ": an item of the collection is not known; the loop is not scanned", Subject: &item.Range}
			return &d
		}
	}
	if c.truncated {
		return nil // reported once, where it happened
	}
	// Nested loops multiply, and CloudFormation itself takes at most 500 resources: the
	// instances budgets bound one loop and all the loops of the template.
	n := len(items.Items) * len(args.Items[2].Pairs)
	if n > c.lim.Instances {
		e := &budget.Exceeded{Budget: budget.Instances, Limit: int64(c.lim.Instances), What: fmt.Sprintf("%s generates %d entries", p.Key.Value, n)}
		d := e.Diagnostic(&p.Key.Range, "its entries are not scanned")
		return &d
	}
	if c.expanded += n; c.expanded > c.lim.TotalInstances {
		c.truncated = true
		e := &budget.Exceeded{Budget: budget.TotalInstances, Limit: int64(c.lim.TotalInstances), What: "the template's Fn::ForEach loops generate more entries"}
		d := e.Diagnostic(&p.Key.Range, "from "+p.Key.Value+" on they are not scanned")
		return &d
	}
	outer, shadowed := c.loops[id]
	defer func() {
		if shadowed {
			c.loops[id] = outer
		} else {
			delete(c.loops, id)
		}
	}()
	why := step(args.Items[1].Range, p.Key.Value+" item")
	for _, item := range items.Items {
		s, _ := item.AsString()
		c.loops[id] = Traced(item, nil, why)
		for _, out := range args.Items[2].Pairs {
			emit(expandKey(out.Key.Value, id, s), out.Key, out.Value)
		}
	}
	return nil
}

// expandKey fills the output key template of a loop with one item of its collection.
func expandKey(template, id, item string) string {
	alnum := strings.Map(func(r rune) rune {
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, item)
	return strings.NewReplacer("${"+id+"}", item, "&{"+id+"}", alnum).Replace(template)
}
