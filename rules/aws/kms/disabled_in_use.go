package kms

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// DisabledInUse is AWS-KMS-004: a key declared disabled while other resources of the scan
// encrypt with it. Scheduling a key for deletion happens when the key resource is destroyed,
// which a template does not show; what it shows before deployment is a disabled key that
// something still uses. The fix is a suggestion: a key may be disabled on purpose, to cut
// off access to what it encrypts.
var DisabledInUse = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-KMS-004",
	Name:  "kms-key-disabled-in-use",
	Title: "KMS key is disabled while other resources use it",
	Description: "A disabled KMS key cannot encrypt or decrypt: every resource configured with it (a bucket, a " +
		"queue, a volume, a log group, a trail) fails to write or read its data, and data already encrypted " +
		"with it is unreadable until the key is enabled again. Keys are enabled unless declared otherwise " +
		"(is_enabled / Enabled default to true). Only the settings a template declares are checked: a key " +
		"scheduled for deletion, or a referenced key removed from the template, is not visible here.",
	Remediation: "If the key's users should keep working, enable the key: Terraform `is_enabled = true` (or remove " +
		"the argument), CloudFormation `Enabled: true`. If the key is disabled on purpose, move its users to " +
		"another key first.",
	Severity: rules.Medium,
	Tags:     tags("availability"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixSuggest,
}, Check: checkDisabledInUse}

// enabled is the setting that disables a key.
var enabled = setting.Spec{Kinds: []graph.Kind{graph.KMSKey}, Terraform: "is_enabled", CloudFormation: "Enabled"}

// disabledReason says why enabling a key is only suggested.
const disabledReason = "a key may be disabled on purpose, to cut off access to what it encrypts"

func checkDisabledInUse(ctx *rules.Context) {
	for _, key := range ctx.Graph.OfKind(graph.KMSKey) {
		users := keyUsers(ctx.Graph, key)
		if len(users) == 0 {
			continue
		}
		found := setting.Lookup(key, enabled.Path(key))
		switch {
		case found.Unknown != nil:
			ctx.Unresolved(key, found.Unknown, enabled.Path(key)[0]+" is not known statically")
		case found.Attr != nil && found.Attr.Value.IsFalse():
			reportDisabled(ctx, key, found.Attr, users)
		}
	}
}

func reportDisabled(ctx *rules.Context, key *graph.Resource, attr *graph.Attribute, users []*graph.Resource) {
	name := attr.Name
	v := attr.Value
	msg := fmt.Sprintf("key is disabled while %s of the scan %s it: %s is %s", count(len(users)), verb(len(users)), name, setting.Render(v, key.Format))
	opts := []rules.ReportOption{rules.SetValue(key, name, v, graph.BoolValue(true), "true").Option(disabledReason)}
	for _, u := range users {
		opts = append(opts, rules.WithRelated(u, "uses the key"))
	}
	ctx.Report(key, v, msg, opts...)
}

// keyUsers returns the resources that reference key, directly or through one of its
// aliases, other than its aliases and key policies: those name the key, they do not
// encrypt with it.
func keyUsers(g *graph.Graph, key *graph.Resource) []*graph.Resource {
	var users []*graph.Resource
	add := func(rs []*graph.Resource) {
		for _, r := range rs {
			if r.Kind != graph.KMSAlias && r.Kind != graph.KMSKeyPolicy && r != key && !slices.Contains(users, r) {
				users = append(users, r)
			}
		}
	}
	add(g.Referrers(key))
	for _, alias := range g.Referrers(key, graph.KMSAlias) {
		add(g.Referrers(alias))
	}
	slices.SortFunc(users, func(a, b *graph.Resource) int {
		return cmp.Or(strings.Compare(a.ID.Path, b.ID.Path), a.Range.Start.Byte-b.Range.Start.Byte)
	})
	return users
}

func count(n int) string {
	if n == 1 {
		return "1 resource"
	}
	return fmt.Sprintf("%d resources", n)
}

func verb(n int) string {
	if n == 1 {
		return "uses"
	}
	return "use"
}
