package s3

import (
	"fmt"
	"sync"

	"github.com/iacscan/iacscan/fixers"
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// NoVersioning is AWS-S3-012: a bucket without versioning.
var NoVersioning = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-S3-012",
		Name:  "s3-versioning-disabled",
		Title: "Bucket versioning is not enabled",
		Description: "Without versioning, an overwrite or delete, accidental or by ransomware, destroys the object for good. " +
			"Versioning keeps every version so that it can be restored. It is reported when missing, suspended, disabled or `enabled = false`.",
		Remediation: "Enable versioning, and add a lifecycle rule expiring noncurrent versions to bound the storage cost. " +
			"Terraform: add an `aws_s3_bucket_versioning` resource with `versioning_configuration { status = \"Enabled\" }` " +
			"(or set `enabled = true` in the older inline `versioning` block of `aws_s3_bucket`). " +
			"CloudFormation: set `VersioningConfiguration: {Status: Enabled}` on the bucket.",
		Severity: rules.Low,
		Tags:     tags("data-protection"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixAuto,
	},
	Check: checkVersioning,
}

// enableVersioning adds versioning, Conformity's fix (RULES.md 3.1).
var enableVersioning = missingSetting{
	splitWhat:  "status Enabled",
	inlineWhat: "enabled = true",
	cfnWhat:    "Status: Enabled",
	split:      graph.S3BucketVersioning,
	inline:     "versioning",
	cfn:        "VersioningConfiguration",
	splitBody: sync.OnceValue(func() []*graph.Attribute {
		return []*graph.Attribute{graph.Attr("versioning_configuration", graph.MapValue(true, graph.Attr("status", graph.StringValue("Enabled"))))}
	}),
	inlineBody: sync.OnceValue(func() *graph.Value { return graph.MapValue(true, graph.Attr("enabled", graph.BoolValue(true))) }),
	cfnBody:    sync.OnceValue(func() *graph.Value { return graph.MapValue(false, graph.Attr("Status", graph.StringValue("Enabled"))) }),
}

func checkVersioning(ctx *rules.Context) {
	for _, b := range bucketsOf(ctx) {
		if len(b.Versioning) == 0 {
			if b.declared() && !recorded(ctx, b.strayUnknown("versioning", versioningSetting)) {
				ctx.Report(b.Resource, nil, "bucket versioning is not enabled", enableVersioning.add(ctx, b.Resource).Option(""))
			}
			continue
		}
		var (
			off      []versioningOff
			unknowns []unknown
			enabled  bool
		)
		for _, s := range b.Versioning {
			v, isOff, u := versioningOf(s)
			switch {
			case u != nil:
				unknowns = append(unknowns, *u)
			case isOff:
				off = append(off, v)
			default:
				enabled = true
			}
		}
		switch {
		case enabled:
		case len(unknowns) > 0:
			for _, u := range unknowns {
				u.record(ctx)
			}
		default:
			for _, v := range off {
				ctx.Report(v.setting.Resource, v.at, v.message, v.fix.Option(""))
			}
		}
	}
}

// versioningOff is a declaration that leaves versioning off: where, why and the fix.
type versioningOff struct {
	setting Setting
	at      rules.Locatable
	message string
	fix     offer
}

// versioningOf reads a versioning declaration: whether it leaves versioning off, or, when
// that cannot be told, the value that is not statically known.
func versioningOf(s Setting) (v versioningOff, off bool, unresolved *unknown) {
	const why = "versioning is not known statically"
	r := s.Resource
	value := s.Value()
	if !value.Known() {
		return v, false, &unknown{resource: r, at: value, why: why}
	}
	if a := value.Get("enabled"); a != nil {
		enabled, ok := a.Value.AsBool()
		fix := setValue(r, a.Name, a.Value, graph.BoolValue(true), "true")
		return versioningOff{s, a.Value, "bucket versioning is disabled (enabled = false)", fix}, ok && !enabled, unknownAt(r, a.Value, why)
	}
	if a := value.Get("status", "Status"); a != nil {
		status, ok := a.Value.AsString()
		fix := setValue(r, a.Name, a.Value, graph.StringValue("Enabled"), `"Enabled"`)
		return versioningOff{s, a.Value, fmt.Sprintf("bucket versioning status is %q", status), fix}, ok && status != "Enabled", unknownAt(r, a.Value, why)
	}
	return versioningOff{s, s, "versioning configuration does not enable versioning", completeVersioning(s)}, true, nil
}

// completeVersioning adds what a versioning declaration that enables nothing lacks: the
// versioning_configuration of a split resource, `enabled` in an inline block, the status
// of a configuration.
func completeVersioning(s Setting) offer {
	name, value, what := "Status", graph.StringValue("Enabled"), "Status: Enabled"
	switch {
	case s.Attr == nil:
		name, value, what = "versioning_configuration", enableVersioning.splitBody()[0].Value, "a versioning_configuration block with status Enabled"
	case s.Attr.Name == "versioning":
		name, value, what = "enabled", graph.BoolValue(true), "enabled = true"
	case s.Resource.Format.IsTerraform():
		name, what = "status", `status = "Enabled"`
	}
	return offer{
		Description: "add " + what + " to enable versioning",
		Changes:     []fixers.Change{{Op: fixers.AddAttribute, Resource: s.Resource, Parent: s.Value(), Name: name, New: value}},
	}
}
