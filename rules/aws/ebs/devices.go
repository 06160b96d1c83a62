package ebs

import (
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// Device is one EBS volume a resource declares or implies: a volume, one block device of
// an instance or launch configuration, one block device mapping of a launch template, or
// the root volume an instance takes from its AMI when nothing describes it.
type Device struct {
	Resource *graph.Resource
	// What names the device in messages: "volume", "root block device",
	// "EBS block device /dev/sdf".
	What string
	// At is where a finding about an absent flag points: the device's block or list item,
	// or the resource header.
	At rules.Locatable
	// Found is the encryption flag as setting.Lookup finds it below Base: the flag, or
	// where a fix adds it, or the value that is not known.
	Found setting.Found
	// Path is the flag's path below Base, for messages and fix descriptions.
	Path []string
	// Fixed is the value a fix writes: true, or "true" where the provider types the flag
	// as a string (launch template EBS settings).
	Fixed *graph.Value
	// Implicit marks a root volume no setting describes: it follows the AMI's mapping.
	Implicit bool
	// NoFix says why no fix can be written, "" when one can: a CloudFormation root device
	// needs the AMI's root device name.
	NoFix string
}

// Snapshot returns the snapshot a device without an encryption flag is restored from, or
// nil: such a volume is encrypted when the snapshot is, which iacscan cannot read (and
// launch templates reject the flag beside a snapshot).
func (d Device) Snapshot() *graph.Attribute {
	f := d.Found
	if f.Attr != nil || f.Unknown != nil || len(f.Missing) != 1 {
		return nil
	}
	return f.Parent.Get("snapshot_id", "SnapshotId")
}

// shape says where a kind's block devices are in one format.
type shape struct {
	// Single is the flag's path in the resource body, for a resource that is one volume.
	Single []string
	// Lists are the names of repeated blocks or list entries holding devices, below
	// Container, each with a description.
	Container []string
	Lists     []list
	// Flag is the flag's path inside one device.
	Flag []string
	// Root adds the implicit root device when no list has an element and no launch
	// template (Template) supplies the devices; RootPath is the flag's path a fix adds in
	// the body, nil when the format cannot name the root device.
	Root     bool
	RootPath []string
	Template string
}

type list struct{ Name, What string }

var (
	tfInstance = shape{
		Lists:    []list{{"root_block_device", "root block device"}, {"ebs_block_device", "EBS block device"}},
		Flag:     []string{"encrypted"},
		Root:     true,
		RootPath: []string{"root_block_device", "encrypted"},
		Template: "launch_template",
	}
	cfnInstance = shape{
		Lists:    []list{{"BlockDeviceMappings", "block device mapping"}},
		Flag:     []string{"Ebs", "Encrypted"},
		Root:     true,
		Template: "LaunchTemplate",
	}
	shapes = map[graph.Kind][2]shape{ // Terraform, CloudFormation
		graph.EBSVolume:           {{Single: []string{"encrypted"}}, {Single: []string{"Encrypted"}}},
		graph.Instance:            {tfInstance, cfnInstance},
		graph.LaunchConfiguration: {tfInstance, cfnInstance},
		graph.LaunchTemplate: {
			{Lists: []list{{"block_device_mappings", "block device mapping"}}, Flag: []string{"ebs", "encrypted"}},
			{Container: []string{"LaunchTemplateData"}, Lists: []list{{"BlockDeviceMappings", "block device mapping"}}, Flag: []string{"Ebs", "Encrypted"}},
		},
	}
	deviceKinds = []graph.Kind{graph.EBSVolume, graph.Instance, graph.LaunchConfiguration, graph.LaunchTemplate}
)

// Devices returns the EBS devices of every volume, instance, launch configuration and
// launch template in g, in resource order; devices whose shape is not known statically
// come with Found.Unknown set.
func Devices(g *graph.Graph) []Device {
	var out []Device
	for _, r := range g.OfKind(deviceKinds...) {
		s := shapes[r.Kind][1]
		if r.Format.IsTerraform() {
			s = shapes[r.Kind][0]
		}
		out = append(out, s.devices(r)...)
	}
	return out
}

func (s shape) devices(r *graph.Resource) []Device {
	fixed := graph.BoolValue(true)
	if r.Kind == graph.LaunchTemplate && r.Format.IsTerraform() {
		fixed = graph.StringValue("true")
	}
	if s.Single != nil {
		return []Device{{Resource: r, What: "volume", At: r, Found: setting.Lookup(r, s.Single), Path: s.Single, Fixed: fixed}}
	}
	base := r.Body
	if s.Container != nil {
		found := setting.Lookup(r, s.Container)
		if found.Attr == nil {
			// No container, or one not known: no device to judge.
			return unknownDevice(r, found, s.Container)
		}
		base = found.Attr.Value
	}
	var out []Device
	declared := false // the first list holds the root device, when the shape has one
	for i, l := range s.Lists {
		items, unknown := elements(base, l.Name)
		if unknown != nil {
			out = append(out, Device{Resource: r, What: l.What, At: unknown, Found: setting.Found{Unknown: unknown}, Path: []string{l.Name}})
			declared = declared || i == 0
			continue
		}
		for _, it := range items {
			declared = declared || i == 0
			d, ok := device(r, it, l.What, s.Flag, fixed)
			d.At = blockOf(base, it)
			if ok {
				out = append(out, d)
			}
		}
	}
	if s.Root && !declared && base.Get(s.Template) == nil {
		out = append(out, s.implicitRoot(r, fixed))
	}
	return out
}

// unknownDevice returns the device list of a resource whose devices sit in a container
// that is not known statically, or none when it is simply absent.
func unknownDevice(r *graph.Resource, found setting.Found, path []string) []Device {
	if found.Unknown == nil {
		return nil
	}
	return []Device{{Resource: r, What: "block device", At: found.Unknown, Found: found, Path: path}}
}

// elements returns the items of the repeated block or list name in v, or the value that
// makes them unknown: a `dynamic` block, a list that is not known, an item that is not.
func elements(v *graph.Value, name string) ([]*graph.Value, *graph.Value) {
	for _, a := range v.Attrs {
		if a.Name == "dynamic" && len(a.Labels) == 1 && a.Labels[0] == name {
			// The for_each decides the blocks: it names what is not known.
			if fe := a.Value.Get("for_each"); fe != nil {
				return nil, fe.Value
			}
			return nil, a.Value
		}
		if a.Name == name && !a.Value.Known() {
			return nil, a.Value
		}
	}
	items := v.Elements(name)
	for _, it := range items {
		if !it.Known() {
			return nil, it
		}
	}
	return items, nil
}

// device reads the flag of one block device; ok is false for a device that is not EBS (an
// instance store volume, a suppressed device: no `ebs` / `Ebs` part).
func device(r *graph.Resource, item *graph.Value, what string, flag []string, fixed *graph.Value) (Device, bool) {
	if item.Type == graph.Map && len(flag) > 1 && item.Get(flag[0]) == nil && !hasDynamic(item, flag[0]) {
		return Device{}, false
	}
	if name := deviceName(item); name != "" {
		what += " " + name
	}
	// Lookup reads only the body it is given: the device's own map is one.
	found := setting.Lookup(&graph.Resource{Body: item}, flag)
	return Device{Resource: r, What: what, At: item, Found: found, Path: flag, Fixed: fixed}, true
}

// blockOf returns the nested block whose body is item, so that a finding points at the
// block's name; a list item is its own location.
func blockOf(base, item *graph.Value) rules.Locatable {
	for _, a := range base.Attrs {
		if a.Value == item && item.Block {
			return a
		}
	}
	return item
}

func hasDynamic(v *graph.Value, name string) bool {
	for _, a := range v.Attrs {
		if a.Name == "dynamic" && len(a.Labels) == 1 && a.Labels[0] == name {
			return true
		}
	}
	return false
}

// deviceName is the device's name when written as a known string: "/dev/sdf".
func deviceName(item *graph.Value) string {
	if a := item.Get("device_name", "DeviceName"); a != nil {
		if s, ok := a.Value.AsString(); ok && a.Value.Type == graph.String {
			return s
		}
	}
	return ""
}

// implicitRoot is the root volume of an instance or launch configuration that declares no
// block device: it comes from the AMI, unencrypted unless the AMI's snapshot is. Terraform
// can describe it with a root_block_device block; CloudFormation needs the AMI's root
// device name, which iacscan cannot know.
func (s shape) implicitRoot(r *graph.Resource, fixed *graph.Value) Device {
	d := Device{Resource: r, What: "root volume", At: r, Implicit: true, Fixed: fixed}
	if s.RootPath == nil {
		d.Path = []string{s.Lists[0].Name}
		d.NoFix = "a block device mapping names the AMI's root device, which iacscan cannot know"
		d.Found = setting.Found{Parent: r.Body, Missing: d.Path}
		return d
	}
	d.Path = s.RootPath
	d.Found = setting.Found{Parent: r.Body, Missing: s.RootPath}
	return d
}

// name is the flag's path as a message shows it.
func (d Device) name() string { return strings.Join(d.Path, ".") }
