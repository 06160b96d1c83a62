package builtin

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/compliance"
	"github.com/iacscan/iacscan/rules/migration"
)

// TestMigrationTable keeps the table honest: every ID it lists is a rule, every peer ID follows a known tool's scheme, and no rule declares a peer ID the
// table lacks (the table is the one place they are kept).
func TestMigrationTable(t *testing.T) {
	catalog := map[string]*rules.Rule{}
	for _, r := range families {
		for _, r := range r {
			catalog[r.ID] = r
		}
	}
	for _, id := range migration.IDs() {
		if _, exists := catalog[id]; !exists {
			t.Errorf("the migration table lists %s, which is no rule", id)
		}
		for _, a := range migration.Aliases(id) {
			if migration.Tool(a) == "" {
				t.Errorf("%s: alias %q follows no tool's ID scheme", id, a)
			}
		}
	}
	for id, r := range catalog {
		for _, a := range r.Aliases {
			if !slices.Contains(migration.Aliases(id), a) {
				t.Errorf("%s declares alias %q: move it into rules/migration's table", id, a)
			}
		}
	}
}

// TestPeerIDs pins the many-to-many cases a migrating team meets first.
func TestPeerIDs(t *testing.T) {
	all := All()
	claims := func(peer string) []string {
		var ids []string
		for _, r := range all {
			if r.Matches(peer) {
				ids = append(ids, r.ID)
			}
		}
		return ids
	}
	tests := []struct {
		peer string
		want []string // a subset of the rules claiming it
		n    int      // how many claim it
	}{
		{"AVD-AWS-0107", []string{"AWS-EC2-001", "AWS-EC2-002", "AWS-EC2-003", "AWS-EC2-034", "AWS-EC2-045", "AWS-EC2-104", "AWS-EC2-105"}, 27}, // 24 port rules, 001, 034, 105
		{"aws-ec2-no-public-ingress-sgr", []string{"AWS-EC2-002", "AWS-EC2-075"}, 27},
		{"aws-vpc-no-public-ingress-sgr", []string{"AWS-EC2-003"}, 27},
		{"aws-s3-block-public-acls", []string{"AWS-S3-026"}, 1},
		{"AVD-AWS-0092", []string{"AWS-S3-001", "AWS-S3-003", "AWS-S3-006"}, 3},
		{"CKV2_AWS_43", []string{"AWS-S3-006", "AWS-S3-010"}, 5},
		{"ckv_aws_24", []string{"AWS-EC2-002"}, 1},
		{"aws-cloudtrail-enable-at-rest-encryption", []string{"AWS-CT-008"}, 1},
		{"CT-001", []string{"AWS-CT-001", "AWS-CT-101"}, 2},
		{"W2", []string{"AWS-EC2-002", "AWS-EC2-105"}, 27}, // cfn_nag: ingress open to the world
		{"F14", []string{"AWS-S3-001", "AWS-S3-003"}, 2},   // cfn_nag: public read-write ACL
		{"W35", []string{"AWS-S3-011"}, 1},
		{"W51", nil, 0},                                                                     // cfn_nag: "should likely have a bucket policy", no iacscan counterpart
		{"cdbb0467-2957-4a77-9992-7b55b29df7b7", []string{"AWS-EC2-002", "AWS-EC2-042"}, 5}, // KICS CFN: Exhibited Admin Ports
		{"CKV_AWS_999", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.peer, func(t *testing.T) {
			got := claims(tc.peer)
			if len(got) != tc.n {
				t.Errorf("claimed by %d rules %v, want %d", len(got), got, tc.n)
			}
			for _, id := range tc.want {
				if !slices.Contains(got, id) {
					t.Errorf("not claimed by %s (claimed by %v)", id, got)
				}
			}
		})
	}
}

// TestMigrationDocCurrent keeps docs/migration.md equal to what migration.Doc renders.
func TestMigrationDocCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "migration.md")
	want := migration.Doc(All())
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Errorf("docs/migration.md is missing or stale: run `go test ./rules/builtin -update`")
	}
}

// TestComplianceRules checks that the compliance tables name only rules
// and that the catalog carries each rule's controls in its tags, for SARIF and the docs.
func TestComplianceRules(t *testing.T) {
	all := All()
	ids := map[string]*rules.Rule{}
	for _, r := range all {
		ids[r.ID] = r
	}
	for _, fw := range compliance.Frameworks {
		for _, c := range fw.Controls {
			for _, id := range c.Rules {
				r, ok := ids[id]
				switch {
				case !ok:
					t.Errorf("%s %s names %s, which is no rule", fw.Name, c.ID, id)
				case ok && !slices.Contains(r.Tags, fw.Tag+":"+c.ID):
					t.Errorf("%s lacks the tag %s:%s", id, fw.Tag, c.ID)
				}
			}
		}
	}
}
