package account

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// ConfigRecorder is AWS-CONFIG-001: an AWS Config recorder that records only some
// resource types or leaves out the global ones (IAM), or is stopped; with the baseline
// profile, an account without a recorder too. The fix is guarded: all supported types
// are written only when the recording group lists no types of its own, which they would
// replace, and a recorder is started only when a delivery channel is declared, without
// which AWS refuses to start it.
var ConfigRecorder = setting.WithAccount(&rules.Rule{Meta: rules.Meta{
	ID:    "AWS-CONFIG-001",
	Name:  "config-recorder-not-recording-all",
	Title: "AWS Config recorder is stopped or does not record all resource types",
	Description: "AWS Config is the account's history of resource configurations: what a security group allowed " +
		"last week, who changed a bucket policy. A stopped recorder records nothing; one that records some types " +
		"misses changes to the others; one that leaves out global resource types misses IAM users, roles and " +
		"policies. The recording group records all supported types by default (`all_supported` defaults to " +
		"true) but not the global ones (`include_global_resource_types` defaults to false), which must be " +
		"recorded in one region of the account.",
	Remediation: "Terraform: `recording_group { all_supported = true, include_global_resource_types = true }` and " +
		"`aws_config_configuration_recorder_status` with `is_enabled = true` (a delivery channel must exist). " +
		"CloudFormation: `RecordingGroup: {AllSupported: true, IncludeGlobalResourceTypes: true}`. Where another " +
		"region's recorder records the global types, ignore the finding with that reason.",
	Severity: rules.High,
	Tags:     tags("config", "logging"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixGuarded,
}, Check: checkRecorders}, setting.Account{
	Kinds:   []graph.Kind{graph.ConfigRecorder},
	Message: "no AWS Config recorder is defined for the account",
	Advice: "declare a configuration recorder recording all supported and global resource types, a delivery " +
		"channel and (Terraform) aws_config_configuration_recorder_status with is_enabled = true",
})

var (
	allSupported = setting.Spec{
		Kinds:          []graph.Kind{graph.ConfigRecorder},
		Terraform:      "recording_group.all_supported",
		CloudFormation: "RecordingGroup.AllSupported",
		Problem:        "the recorder does not record all supported resource types",
		Safe:           setting.True,
		Default:        graph.BoolValue(true),
		Fixed:          graph.BoolValue(true),
		Advice:         "the recording group lists resource types or a recording strategy, which recording all supported types replaces",
	}
	globalTypes = setting.Spec{
		Kinds:          []graph.Kind{graph.ConfigRecorder},
		Terraform:      "recording_group.include_global_resource_types",
		CloudFormation: "RecordingGroup.IncludeGlobalResourceTypes",
		Problem:        "the recorder leaves out global resource types (IAM)",
		Safe:           setting.True,
		Default:        graph.BoolValue(false),
		Fixed:          graph.BoolValue(true),
	}
	recorderStatus = setting.Spec{
		Kinds:     []graph.Kind{graph.ConfigRecorderStatus},
		Terraform: "is_enabled",
		Problem:   "the configuration recorder is stopped",
		Safe:      setting.True,
		Fixed:     graph.BoolValue(true),
		Advice:    "no delivery channel is declared, without which AWS cannot start the recorder",
	}
)

// recordingSelections are the recording group settings that select types themselves:
// recording all supported types would replace them.
var recordingSelections = []string{
	"resource_types", "exclusion_by_resource_types", "recording_strategy",
	"ResourceTypes", "ExclusionByResourceTypes", "RecordingStrategy",
}

func checkRecorders(ctx *rules.Context) {
	for _, r := range ctx.Graph.OfKind(graph.ConfigRecorder) {
		found := setting.Lookup(r, allSupported.Path(r))
		selection := typeSelection(r)
		switch {
		case found.Attr == nil && found.Unknown == nil && selection != nil:
			// Without AllSupported, a group that lists types records those only.
			msg := fmt.Sprintf("%s: the recording group selects types with %s", allSupported.Problem, selection.Name)
			advice := fmt.Sprintf("record every supported type: remove %s and set %s to true", selection.Name, strings.Join(allSupported.Path(r), "."))
			ctx.Report(r, selection, msg, rules.Suggestion(advice))
			continue
		case found.Unknown == nil && (found.Attr == nil || found.Attr.Value.IsTrue()):
			checkGlobal(ctx, r)
		}
		allSupported.Check(ctx, guarded(selection == nil), r)
	}
	channel := len(ctx.Graph.OfKind(graph.ConfigDeliveryChannel)) > 0
	for _, r := range ctx.Graph.OfKind(graph.ConfigRecorderStatus) {
		recorderStatus.Check(ctx, guarded(channel), r)
	}
}

// checkGlobal checks that a recorder recording all supported types includes the global
// ones. A CloudFormation recorder without a recording group gets one that says both: AWS
// accepts global types only together with AllSupported, whose API default is false.
func checkGlobal(ctx *rules.Context, r *graph.Resource) {
	found := setting.Lookup(r, globalTypes.Path(r))
	if r.Format.IsTerraform() || found.Unknown != nil || len(found.Missing) != 2 {
		globalTypes.Check(ctx, guarded(true), r)
		return
	}
	group := graph.MapValue(false, graph.Attr("AllSupported", graph.BoolValue(true)), graph.Attr("IncludeGlobalResourceTypes", graph.BoolValue(true)))
	o := rules.AddSetting(r, found.Parent, "RecordingGroup", group, "RecordingGroup with AllSupported: true and IncludeGlobalResourceTypes: true")
	ctx.Report(r, nil, globalTypes.Problem+": RecordingGroup.IncludeGlobalResourceTypes is not set, and defaults to false", o.Option(""))
}

// guarded is what Spec.Check needs of the rule's metadata, its fix mode, as a guard
// decides it: auto when the guard holds, else a suggestion saying why not.
func guarded(holds bool) *rules.Meta {
	if holds {
		return &rules.Meta{Fix: rules.FixAuto}
	}
	return &rules.Meta{Fix: rules.FixSuggest}
}

// typeSelection returns the recording group setting of r that selects resource types
// itself, or nil.
func typeSelection(r *graph.Resource) *graph.Attribute {
	group := r.Body.Get("recording_group", "RecordingGroup")
	if group == nil {
		return nil
	}
	v := group.Value
	if v.Type == graph.List && len(v.Items) > 0 {
		v = v.Items[0]
	}
	for _, name := range recordingSelections {
		if a := v.Get(name); a != nil && a.Value.Type != graph.Null {
			return a
		}
	}
	return nil
}
