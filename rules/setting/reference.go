package setting

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
)

// ReferencesResource returns a Skip for a setting that must be set to something (a key,
// a role) and is satisfied by any resource of the scan: `kms_key_id =
// aws_kms_key.logs.arn` or `KMSKeyId: !GetAtt LogsKey.Arn` is not known statically, but it
// is set, so the check is neither a finding nor unresolved. A variable, parameter or
// module output stays unresolved: it may be empty or null. terraform and cloudFormation
// are the setting's paths, as in the Spec.
func ReferencesResource(terraform, cloudFormation string) func(*graph.Resource) bool {
	return func(r *graph.Resource) bool {
		path := cloudFormation
		if r.Format.IsTerraform() {
			path = terraform
		}
		if path == "" {
			return false
		}
		found := Lookup(r, strings.Split(path, "."))
		return found.Unknown != nil && namesResource(found.Unknown)
	}
}

// namesResource reports whether v, or a part of it, references a resource of the scan.
func namesResource(v *graph.Value) bool {
	for _, ref := range v.Refs {
		if ref.Target != nil {
			return true
		}
	}
	return false
}
