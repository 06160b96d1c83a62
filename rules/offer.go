package rules

import (
	"fmt"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
)

// Offer is the fix of one finding before its mode is decided: what it changes, described
// as "set enable_logging to true", and what, if anything, keeps --fix from writing it.
type Offer struct {
	Description string
	Changes     []fixers.Change
	// Blocked says why --fix must not write the changes: a value comes from elsewhere, the
	// resource is expanded by count or for_each, a new resource's address is taken.
	Blocked string
}

// Option attaches o as the finding's fix: written by --fix unless something blocks it or
// the rule's guard fails (why, "" when it holds), then a suggestion saying why. A change
// to a value defined elsewhere (a variable default, a parameter) is always a suggestion
// naming that place (RULES.md decision 6).
func (o Offer) Option(why string) ReportOption {
	if origin := fixers.DefinedElsewhere(o.Changes); origin != "" {
		o.Blocked, o.Changes = origin, nil
	}
	if o.Blocked != "" {
		why = o.Blocked
	}
	if why == "" {
		return WithFix(FixAuto, o.Description, o.Changes...)
	}
	return WithFix(FixSuggest, o.Description+"; a suggestion because "+why, o.Changes...)
}

// Suggestion is a fix that only says what to do: iacscan lacks what the change needs.
func Suggestion(description string) ReportOption {
	return WithFix(FixSuggest, description)
}

// SetValue offers to replace v, the value of setting name in r, with nv, written text.
func SetValue(r *graph.Resource, name string, v, nv *graph.Value, text string) Offer {
	return Offer{
		Description: fmt.Sprintf("set %s to %s", name, text),
		Changes:     []fixers.Change{{Op: fixers.SetValue, Resource: r, Target: v, New: nv}},
	}
}

// AddSetting offers to add name = nv to the map parent of r, described as what. A
// CloudFormation resource without Properties gets them, holding the new setting.
func AddSetting(r *graph.Resource, parent *graph.Value, name string, nv *graph.Value, what string) Offer {
	o := Offer{
		Description: "add " + what,
		Changes:     []fixers.Change{{Op: fixers.AddAttribute, Resource: r, Parent: parent, Name: name, New: nv}},
	}
	if parent != r.Body || !PropertiesMissing(r) {
		return o
	}
	o.Description = fmt.Sprintf("add Properties with %s", what)
	o.Changes[0].Name, o.Changes[0].New = "Properties", graph.MapValue(false, graph.Attr(name, nv))
	if r.Format == graph.CloudFormationJSON || r.Body.Range.Start.Line == r.Header.Start.Line {
		// The body map knows none of the resource's keys (Type, ...), which a JSON or flow
		// mapping needs to place a new one: only a new line in a block mapping is safe.
		return Offer{Description: o.Description, Blocked: "the resource has no Properties, and --fix adds them only to block-style YAML"}
	}
	return o
}

// PropertiesMissing reports whether a CloudFormation resource has no Properties. Its body
// is then an empty map spanning the resource's own mapping, to which a new setting must
// be added inside a new Properties key. An empty Properties (`{}`, null or AWS::NoValue)
// is an empty map too, but one that ends before the resource does or is shorter than the
// shortest mapping the resource can be, `Type: <its type>`.
func PropertiesMissing(r *graph.Resource) bool {
	if r.Format.IsTerraform() {
		return false
	}
	b := r.Body
	return len(b.Attrs) == 0 && b.Range.End == r.Range.End && b.Range.End.Byte-b.Range.Start.Byte >= len("Type: ")+len(r.Native)
}
