package ebs_test

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ebs"
	"github.com/iacscan/iacscan/rules/ruletest"
)

func TestRules(t *testing.T) { ruletest.Family(t, ebs.Rules) }

// TestEncryptionDefaultOff checks that a volume reported while the account turns EBS
// encryption by default off points at the resource that does.
func TestEncryptionDefaultOff(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/ebs-volume-unencrypted.default-off.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fs, diags := ruletest.Scan(t, ar, ebs.Encryption)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	got := ruletest.Related(t, fs, "main.tf", 4, "AWS-EBS-001")
	if want := "main.tf:7:1-7:48 EBS encryption by default is turned off here"; got != want {
		t.Errorf("related = %q, want %q", got, want)
	}
}

// TestBaseline checks the account check of AWS-EBS-014: off by default, on with the
// baseline profile, and silent when the account turns the default on.
func TestBaseline(t *testing.T) {
	baseline, err := rules.ApplyProfile([]*rules.Rule{ebs.DefaultEncryption}, "baseline")
	if err != nil {
		t.Fatal(err)
	}
	volume := "-- main.tf --\nresource \"aws_ebs_volume\" \"data\" {\n  availability_zone = \"eu-west-1a\"\n  size = 40\n}\n"
	on := volume + "-- account.tf --\nresource \"aws_ebs_encryption_by_default\" \"this\" {\n}\n"
	for _, tc := range []struct {
		name  string
		rule  *rules.Rule
		input string
		want  string
	}{
		{"default profile", ebs.DefaultEncryption, volume, ""},
		{"baseline without the resource", baseline[0], volume, "main.tf:1:1: AWS-EBS-014 EBS encryption by default is not turned on for the account\n"},
		{"baseline with the resource", baseline[0], on, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, diags := ruletest.Scan(t, txtar.Parse([]byte(tc.input)), tc.rule)
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			if got := ruletest.Format(fs); got != tc.want {
				t.Errorf("findings:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
