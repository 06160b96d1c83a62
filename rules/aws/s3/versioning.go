package s3

import (
	"fmt"

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
		Aliases:  []string{"S3-012", "CKV_AWS_21", "AVD-AWS-0090"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixAuto,
	},
	Check: checkVersioning,
}

func checkVersioning(ctx *rules.Context) {
	for _, b := range Buckets(ctx.Graph) {
		if len(b.Versioning) == 0 {
			if b.Resource != nil {
				ctx.Report(b.Resource, nil, "bucket versioning is not enabled")
			}
			continue
		}
		var off []versioningOff
		for _, s := range b.Versioning {
			v, ok := versioningOf(s)
			if !ok {
				off = nil
				break
			}
			off = append(off, v)
		}
		for _, v := range off {
			ctx.Report(v.setting.Resource, v.at, v.message)
		}
	}
}

// versioningOff is a declaration that leaves versioning off: where and why.
type versioningOff struct {
	setting Setting
	at      rules.Locatable
	message string
}

// versioningOf reads a versioning declaration. It returns false when the declaration
// enables versioning or is not statically known: the bucket is not reported then.
func versioningOf(s Setting) (versioningOff, bool) {
	v := s.Value()
	if !v.Known() {
		return versioningOff{}, false
	}
	if a := v.Get("enabled"); a != nil {
		enabled, ok := a.Value.AsBool()
		return versioningOff{s, a.Value, "bucket versioning is disabled (enabled = false)"}, ok && !enabled
	}
	if a := v.Get("status", "Status"); a != nil {
		status, ok := a.Value.AsString()
		return versioningOff{s, a.Value, fmt.Sprintf("bucket versioning status is %q", status)}, ok && status != "Enabled"
	}
	return versioningOff{s, s, "versioning configuration does not enable versioning"}, true
}
