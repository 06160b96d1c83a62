package s3

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// strays is what the split resources and logging configurations of one scope declare
// about buckets that are not the scan's declared buckets by any statically known name or
// reference: `bucket = "${var.prefix}-logs"`, a data source's id, a module input, a
// CloudFormation !ImportValue. Any of them may be about any declared bucket of the scope,
// so a setting they may give a bucket is not reported as missing on it (RULES.md
// decision 5: what is unknown is never guessed).
//
// Only the first declaration of each setting is kept, by how it names its bucket: by a
// value not statically known, which may name any bucket of the scope, or by a literal
// name, which may be the name of a bucket whose name is not statically known. So asking
// for each bucket costs the same however many strays the scope has.
type strays struct {
	byUnknown, byLiteral [settingCount]*stray
	// The first logging configurations whose target bucket is none of the declared buckets.
	unknownTarget, literalTarget *stray
}

// stray is a resource declaring something about the bucket named name ("" when not
// statically known), which is none of the declared buckets.
type stray struct {
	resource *graph.Resource
	name     string
}

// settingKind is a kind of setting that strays are kept for.
type settingKind int

const (
	publicAccessBlockSetting settingKind = iota
	encryptionSetting
	versioningSetting
	loggingSetting
	websiteSetting
	publicPolicySetting   // a policy with a statement open to anyone
	logDeliveryACLSetting // a canned ACL that is or may be log-delivery-write
	settingCount
)

// declarations returns what b declares of s.
func (b *Bucket) declarations(s settingKind) []Setting {
	switch s {
	case publicAccessBlockSetting:
		return b.PublicAccessBlocks
	case encryptionSetting:
		return b.Encryption
	case versioningSetting:
		return b.Versioning
	case loggingSetting:
		return b.Logging
	case websiteSetting:
		return b.Website
	case publicPolicySetting:
		return publicPolicies(b)
	case logDeliveryACLSetting:
		return logDeliveryACLs(b)
	}
	return nil
}

// add keeps what o, a bucket declared elsewhere, declares, when its name is given.
func (st *strays) add(o *Bucket) {
	kept := &st.byLiteral
	switch {
	case o.nameUnknown:
		kept = &st.byUnknown
	case o.Name == "":
		return
	}
	for s := range settingCount {
		if kept[s] != nil {
			continue
		}
		if found := o.declarations(s); len(found) > 0 {
			kept[s] = &stray{found[0].Resource, o.Name}
		}
	}
}

// addTarget keeps logging configuration r, which delivers logs to a bucket named name
// ("" when not statically known) that is none of the declared buckets.
func (st *strays) addTarget(r *graph.Resource, name string) {
	kept := &st.literalTarget
	if name == "" {
		kept = &st.unknownTarget
	}
	if *kept == nil {
		*kept = &stray{r, name}
	}
}

// first returns the first of what a declared bucket b may be the subject of: what names a
// bucket not statically known, else, when b's name is not statically known either, what
// names a bucket by a literal name.
func (b *Bucket) first(byUnknown, byLiteral *stray) *stray {
	switch {
	case b.Resource == nil:
		return nil
	case byUnknown != nil:
		return byUnknown
	case b.nameUnknown:
		return byLiteral
	}
	return nil
}

// stray says why declared bucket b may have setting s, declared for a bucket that is not
// statically known, or returns "" when it may not.
func (b *Bucket) stray(s settingKind) string {
	if b.strays == nil {
		return ""
	}
	if st := b.first(b.strays.byUnknown[s], b.strays.byLiteral[s]); st != nil {
		return naming(st, "names")
	}
	return ""
}

// strayUnknown is stray as an unresolved check of b, the setting named what, recorded at
// b's header, where the finding about the missing setting would go.
func (b *Bucket) strayUnknown(what string, s settingKind) []unknown {
	if b.strays == nil {
		return nil
	}
	st := b.first(b.strays.byUnknown[s], b.strays.byLiteral[s])
	if st == nil {
		return nil
	}
	return []unknown{b.strayCheck(what+" may be set elsewhere: "+naming(st, "names"), st)}
}

// strayCheck is the unresolved check of b, at its header where the finding about the
// missing setting would go, that st makes: st's resource is the related location.
func (b *Bucket) strayCheck(why string, st *stray) unknown {
	return unknown{resource: b.Resource, at: b.Resource, why: why,
		related: []rules.Related{{Range: st.resource.Header, Message: "may configure this bucket"}}}
}

// strayTargetUnknown returns, as an unresolved check of b, a logging configuration of the
// scope that may deliver logs to b: its target is not statically known, or is a literal
// name while b's name is not.
func (b *Bucket) strayTargetUnknown() []unknown {
	if b.strays == nil {
		return nil
	}
	st := b.first(b.strays.unknownTarget, b.strays.literalTarget)
	if st == nil {
		return nil
	}
	return []unknown{b.strayCheck("the bucket may be a log target: "+naming(st, "delivers access logs to"), st)}
}

// naming says how a stray's resource relates (names, delivers access logs to) to its
// bucket.
func naming(st *stray, relates string) string {
	if st.name == "" {
		return fmt.Sprintf("%s %s a bucket not known statically", st.resource.ID.Address, relates)
	}
	return fmt.Sprintf("%s %s bucket %q, and this bucket's name is not known statically", st.resource.ID.Address, relates, st.name)
}
