package ebs_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/rules/aws/ebs"
	"github.com/iacscan/iacscan/rules/ruletest"
)

// TestDevices checks the view AWS-EBS-001 reads: one device per volume, block and
// mapping, with the state of its flag, in both formats.
func TestDevices(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		want        []string
	}{
		{"volume", "-- main.tf --\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = true\n}\n",
			[]string{"aws_ebs_volume.v volume encrypted=true"}},
		{"instance without devices", "-- main.tf --\nresource \"aws_instance\" \"i\" {\n}\n",
			[]string{"aws_instance.i root volume root_block_device.encrypted missing implicit"}},
		{"instance from a template", "-- main.tf --\nresource \"aws_instance\" \"i\" {\n  launch_template {\n    name = \"t\"\n  }\n}\n", nil},
		{"instance with data volumes only", "-- main.tf --\nresource \"aws_instance\" \"i\" {\n  ebs_block_device {\n    device_name = \"/dev/sdf\"\n  }\n  ebs_block_device {\n    device_name = \"/dev/sdg\"\n    encrypted = false\n  }\n}\n",
			[]string{
				"aws_instance.i EBS block device /dev/sdf encrypted missing",
				"aws_instance.i EBS block device /dev/sdg encrypted=false",
				"aws_instance.i root volume root_block_device.encrypted missing implicit",
			}},
		{"launch template", "-- main.tf --\nresource \"aws_launch_template\" \"t\" {\n  block_device_mappings {\n    no_device = \"\"\n  }\n  block_device_mappings {\n    ebs {\n      snapshot_id = \"snap-1\"\n    }\n  }\n}\n",
			[]string{"aws_launch_template.t block device mapping ebs.encrypted missing snapshot"}},
		{"CloudFormation instance", "-- t.yaml --\nResources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      BlockDeviceMappings:\n        - DeviceName: /dev/sdb\n          VirtualName: ephemeral0\n        - DeviceName: /dev/sdc\n          Ebs: {Encrypted: true}\n",
			[]string{"I block device mapping /dev/sdc Ebs.Encrypted=true"}},
		{"CloudFormation template data not known", "-- t.yaml --\nParameters:\n  P:\n    Type: String\nConditions:\n  C: !Equals [!Ref P, x]\nResources:\n  T:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData: !If [C, {BlockDeviceMappings: []}, {}]\n",
			[]string{"T block device LaunchTemplateData unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := ruletest.Load(t, txtar.Parse([]byte(tc.input)))
			var got []string
			for _, d := range ebs.Devices(g) {
				got = append(got, describe(d))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("devices:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}

func describe(d ebs.Device) string {
	s := d.Resource.ID.Address + " " + d.What + " " + joinPath(d.Path)
	switch f := d.Found; {
	case f.Unknown != nil:
		s += " unknown"
	case f.Attr != nil:
		v, _ := f.Attr.Value.AsString()
		s += "=" + v
	default:
		s += " missing"
	}
	if d.Implicit {
		s += " implicit"
	}
	if d.Snapshot() != nil {
		s += " snapshot"
	}
	return s
}

func joinPath(p []string) string { return strings.Join(p, ".") }
