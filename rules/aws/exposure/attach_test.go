package exposure

import (
	"slices"
	"strings"
	"testing"
)

// TestIsAttachName holds the in-place comparison to the lower-casing it replaces, on
// spellings of every format, names that are not attaching, and non-ASCII names.
func TestIsAttachName(t *testing.T) {
	names := []string{
		"vpc_security_group_ids", "SecurityGroupIds", "VPCSecurityGroups", "GroupSet", "Groups", "groups",
		"securityGroupIds", "security_group_id_list", "_security__groups_", "SecurityGroup", "Group",
		"SecurityGroupIdsX", "", "_", "Tags", "securitygroupé", "Groupſ", "\u212Aey", "SECURITYGROUPNAMES",
	}
	for _, name := range names {
		n := strings.ToLower(strings.ReplaceAll(name, "_", ""))
		wantOK, wantGeneric := slices.Contains(attachNames, n), n == "groups"
		if ok, generic := isAttachName(name); ok != wantOK || generic != wantGeneric {
			t.Errorf("isAttachName(%q) = %v, %v; want %v, %v", name, ok, generic, wantOK, wantGeneric)
		}
	}
}
