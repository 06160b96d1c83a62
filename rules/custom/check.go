package custom

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
	"github.com/iacscan/iacscan/source"
)

// check is a loaded rule's selector, setting, condition and fix.
type check struct {
	id, title, message string
	kinds              []graph.Kind
	formats            []graph.Format
	tags               map[string]string
	// terraform and cloudformation are the setting's path in each format (nil: none).
	terraform, cloudformation []string
	fallback                  *graph.Value // the setting's default, or nil
	cond                      condition
	set, remove               *graph.Value // the fix, or nil
}

// run judges every selected resource; an expression that exceeds its cost limit stops the
// rule with one diagnostic.
func (c *check) run(ctx *rules.Context, meta *rules.Meta) {
	e := evaluationOf(ctx)
	reported := false
	for _, r := range ctx.Graph.OfKind(c.kinds...) {
		// A resource the deployment tool generates (serverless' deployment bucket) carries
		// only what the file sets: what it leaves out is the tool's, not the team's, choice.
		if r.Generated || !slices.Contains(c.formats, r.Format) || !c.selects(r) {
			continue
		}
		v := c.judge(ctx, e, r)
		if v.err == nil {
			continue
		}
		if !reported {
			ctx.Diagnose(source.Diagnostic{
				Severity: source.Error,
				Summary:  fmt.Sprintf("custom rule %s: the condition failed on %s", c.id, r.ID.Address),
				Detail:   v.err.Error(),
				Subject:  &r.Header,
			})
			reported = true
		}
		if v.stop {
			return
		}
	}
}

// selects reports whether r carries every tag the selector names ("*": any value).
func (c *check) selects(r *graph.Resource) bool {
	if len(c.tags) == 0 {
		return true
	}
	tags, _ := r.Tags()
	for k, want := range c.tags {
		if !slices.ContainsFunc(tags, func(t graph.Tag) bool { return t.Key == k && (want == "*" || t.Value == want) }) {
			return false
		}
	}
	return true
}

// path is the setting's path in r's format; nil when the rule has a setting but not in
// r's format, or no setting.
func (c *check) path(r *graph.Resource) []string {
	if r.Format.IsTerraform() {
		return c.terraform
	}
	return c.cloudformation
}

func (c *check) hasSetting() bool { return c.terraform != nil || c.cloudformation != nil }

// judge tests r and reports what fails; it returns the verdict for its errors.
func (c *check) judge(ctx *rules.Context, e *evaluation, r *graph.Resource) verdict {
	var (
		found setting.Found
		v     *graph.Value
		path  = c.path(r)
	)
	if c.hasSetting() {
		if path == nil {
			return verdict{ok: true}
		}
		found = setting.Lookup(r, path)
		switch {
		case found.Unknown != nil:
			ctx.Unresolved(r, found.Unknown, strings.Join(path, ".")+" is not known statically")
			return verdict{ok: true}
		case found.Attr != nil:
			v = found.Attr.Value
		default:
			v = c.fallback
		}
		if v == nil && c.cond.needsValue() {
			return verdict{ok: true}
		}
	}
	verdict := c.cond.test(e, r, v)
	switch {
	case verdict.err != nil:
	case verdict.unknown != nil:
		ctx.Unresolved(r, verdict.unknown, c.subject(path)+" reads a value that is not known statically")
	case !verdict.ok:
		c.report(ctx, r, path, found, verdict)
	}
	return verdict
}

// subject names what a message is about: the setting, or the resource.
func (c *check) subject(path []string) string {
	if path == nil {
		return "the condition"
	}
	return "the condition on " + strings.Join(path, ".")
}

// report records the findings of a failed verdict: one per offending item, else one at
// the setting's value, else at the resource's header.
func (c *check) report(ctx *rules.Context, r *graph.Resource, path []string, found setting.Found, v verdict) {
	if len(v.offending) > 0 && found.Attr != nil {
		for _, it := range v.offending {
			ctx.Report(r, it, c.messageFor(r, path, it), c.fix(r, path, found, it))
		}
		return
	}
	var (
		at    rules.Locatable
		value *graph.Value
	)
	if found.Attr != nil {
		at, value = found.Attr.Value, found.Attr.Value
	}
	ctx.Report(r, at, c.messageFor(r, path, value), c.fix(r, path, found, nil))
}

// messageFor is the rule's message, or its title with what the setting holds (v, nil
// when it is absent).
func (c *check) messageFor(r *graph.Resource, path []string, v *graph.Value) string {
	name := strings.Join(path, ".")
	switch {
	case c.message != "":
		return c.message
	case path == nil:
		return c.title
	case v == nil:
		return fmt.Sprintf("%s: %s is not set", c.title, name)
	case v.Type == graph.List || v.Type == graph.Map:
		return fmt.Sprintf("%s: %s", c.title, name)
	}
	return fmt.Sprintf("%s: %s is %s", c.title, name, setting.Render(v, r.Format))
}

// fix returns the finding's fix: set the setting (adding it when absent), or remove the
// offending item from its list.
func (c *check) fix(r *graph.Resource, path []string, found setting.Found, item *graph.Value) rules.ReportOption {
	name := strings.Join(path, ".")
	var o rules.Offer
	switch {
	case c.set != nil && found.Attr != nil:
		o = rules.SetValue(r, name, found.Attr.Value, c.set, setting.Render(c.set, r.Format))
	case c.set != nil && found.Parent != nil:
		o = setting.Add(r, found, c.set)
	case c.remove != nil && item != nil && found.Attr != nil && found.Attr.Value.Type == graph.List && equal(item, c.remove):
		o = rules.Offer{
			Description: fmt.Sprintf("remove %s from %s", setting.Render(item, r.Format), name),
			Changes:     []fixers.Change{{Op: fixers.RemoveItem, Resource: r, Parent: found.Attr.Value, Target: item}},
		}
	default:
		return func(*rules.Finding) {}
	}
	return o.Option("")
}
