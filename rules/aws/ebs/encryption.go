package ebs

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Encryption is AWS-EBS-001: an EBS volume, or a block device of an instance, launch
// configuration or launch template, that is not encrypted. Every device is its own
// finding. An account whose EBS encryption by default is on (aws_ebs_encryption_by_default
// in the same scan) encrypts every new volume, so then nothing is reported.
var Encryption = &rules.Rule{Meta: rules.Meta{
	ID:    "AWS-EBS-001",
	Name:  "ebs-volume-unencrypted",
	Title: "EBS volume or block device is not encrypted",
	Description: "An unencrypted EBS volume keeps its data, its snapshots and every volume restored from them in " +
		"clear text: anyone who obtains a snapshot (shared by mistake, copied to another account) reads the disk. " +
		"Encryption is off unless asked for: `encrypted` defaults to false on aws_ebs_volume and on instance and " +
		"launch configuration block devices, and CloudFormation's `Encrypted` does too; an instance or launch " +
		"configuration that declares no root device takes the AMI's, unencrypted unless the AMI's snapshot is. " +
		"Launch templates are judged by the devices they declare, since a template without mappings leaves the " +
		"volumes to the AMI or to the launch request. A device restored from a snapshot without an encryption " +
		"flag is encrypted when the snapshot is, which is not known statically: it is counted as unresolved. Nothing is reported when the scan turns on EBS encryption " +
		"by default (aws_ebs_encryption_by_default, enabled by default), which encrypts every new volume of the " +
		"account and region.",
	Remediation: "Terraform: `encrypted = true` on aws_ebs_volume and in every `root_block_device` / " +
		"`ebs_block_device` block, `encrypted = \"true\"` in launch template `block_device_mappings { ebs { ... } }`; " +
		"or turn on `aws_ebs_encryption_by_default` for the account. CloudFormation: `Encrypted: true` on " +
		"AWS::EC2::Volume and in every `BlockDeviceMappings[].Ebs`. Changing the encryption of an existing volume " +
		"replaces it (and an instance with it): plan before applying.",
	Severity: rules.High,
	Tags:     tags("encryption", "CWE-311"),
	Formats:  rules.AllFormats,
	Fix:      rules.FixAuto,
}, Check: checkEncryption}

// replaceWarning ends every fix description: the provider replaces a volume, an instance
// or a launch configuration whose encryption changes.
const replaceWarning = " (changing encryption replaces an existing volume, instance or launch configuration: plan before applying)"

func checkEncryption(ctx *rules.Context) {
	def := accountDefault(ctx.Graph)
	if def.on != nil {
		return
	}
	for _, d := range Devices(ctx.Graph) {
		switch {
		case d.Found.Unknown != nil:
			ctx.Unresolved(d.Resource, d.Found.Unknown, d.name()+" is not known statically")
		case d.Found.Attr != nil && setting.True(d.Found.Attr.Value):
		case d.Snapshot() != nil:
			ctx.Unresolved(d.Resource, d.Snapshot().Value, d.What+" takes the encryption of the snapshot it is restored from, which is not known statically")
		case def.unknown != nil:
			ctx.Unresolved(d.Resource, def.unknown, "EBS encryption by default is not known statically",
				rules.Related{Range: d.At.Location(), Message: d.What + " without encryption"})
		default:
			reportDevice(ctx, d, def.off)
		}
	}
}

// reportDevice reports an unencrypted device, with the fix that encrypts it.
func reportDevice(ctx *rules.Context, d Device, off *graph.Resource) {
	var opts []rules.ReportOption
	if off != nil {
		opts = append(opts, rules.WithRelated(off, "EBS encryption by default is turned off here"))
	}
	r := d.Resource
	if a := d.Found.Attr; a != nil {
		o := rules.SetValue(r, d.name(), a.Value, d.Fixed, setting.Render(d.Fixed, r.Format))
		o.Description += replaceWarning
		msg := fmt.Sprintf("%s is not encrypted: %s is %s", d.What, d.name(), setting.Render(a.Value, r.Format))
		ctx.Report(r, a.Value, msg, append(opts, o.Option(""))...)
		return
	}
	msg := fmt.Sprintf("%s is not encrypted: %s is not set, and defaults to false", d.What, d.name())
	if d.Implicit {
		msg = fmt.Sprintf("%s is not encrypted: no %s is declared, so it follows the AMI and is unencrypted unless the AMI's snapshot is", d.What, d.Path[0])
	}
	if d.NoFix != "" {
		opts = append(opts, rules.Suggestion("declare the AMI's root device in BlockDeviceMappings with Ebs.Encrypted: true, or turn on EBS encryption by default; "+d.NoFix))
	} else {
		o := addFlag(d)
		o.Description += replaceWarning
		opts = append(opts, o.Option(""))
	}
	ctx.Report(r, d.At, msg, opts...)
}

// addFlag offers to add the missing part of the device's flag below the deepest map found.
func addFlag(d Device) rules.Offer {
	r, missing := d.Resource, d.Found.Missing
	value := d.Fixed
	for i := len(missing) - 1; i > 0; i-- {
		value = graph.MapValue(r.Format.IsTerraform(), graph.Attr(missing[i], value))
	}
	leaf := setting.Render(d.Fixed, r.Format)
	what := fmt.Sprintf("%s: %s", strings.Join(missing, "."), leaf)
	switch {
	case r.Format.IsTerraform() && len(missing) == 1:
		what = fmt.Sprintf("%s = %s", missing[0], leaf)
	case r.Format.IsTerraform():
		what = fmt.Sprintf("a %s block with %s = %s", strings.Join(missing[:len(missing)-1], " { "), missing[len(missing)-1], leaf)
	}
	return rules.AddSetting(r, d.Found.Parent, missing[0], value, what)
}

// defaultState is what the scan says of the account's EBS encryption by default.
type defaultState struct {
	on      *graph.Resource // a resource turning it on
	off     *graph.Resource // a resource turning it off, when none turns it on
	unknown *graph.Value    // an `enabled` that is not known, when none turns it on
}

// accountDefault reads every aws_ebs_encryption_by_default of the scan: the account is
// what one scan reads (setting.Account).
func accountDefault(g *graph.Graph) defaultState {
	var s defaultState
	for _, r := range g.OfKind(graph.EBSEncryptionByDefault) {
		found := setting.Lookup(r, []string{"enabled"})
		switch {
		case found.Unknown != nil:
			s.unknown = found.Unknown
		case found.Attr == nil || found.Attr.Value.IsTrue(): // enabled defaults to true
			s.on = r
			return s
		default:
			s.off = r
		}
	}
	return s
}
