package policy

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
)

// pinningKeys are the condition keys that restrict who the caller is or where the request
// comes from (the idea behind checkov CKV_AWS_70's allow-list), in lower case: condition
// keys are case-insensitive. A statement open to any principal is not public when one of
// them pins the caller. It is the one list every rule shares.
var pinningKeys = map[string]bool{
	"aws:sourcevpce": true, "aws:sourcevpc": true, "aws:sourceip": true,
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true,
	"aws:principalarn": true, "aws:sourceaccount": true, "aws:sourcearn": true,
	"aws:sourceorgid": true, "aws:sourceorgpaths": true, "aws:sourceowner": true,
	"aws:userid": true, "aws:username": true,
}

// PinningKey reports whether a condition on key restricts the caller.
func PinningKey(key string) bool { return pinningKeys[strings.ToLower(key)] }

// Public reports whether the statement allows any principal with no condition pinning the
// caller. Deny statements never are: "deny everyone unless TLS" protects the resource.
func (s *Statement) Public() bool {
	return !s.Unknown && s.Principal != nil && s.PinnedBy == "" && strings.EqualFold(s.Effect, "Allow")
}

// PublicUnresolved returns what keeps a statement that may allow anyone, with no known
// condition pinning the caller, from being judged: its effect, principal or condition.
func (s *Statement) PublicUnresolved() []Unknown { return s.public }

// pins reports whether a condition on key with values restricts the caller: a pinning key
// whose values are not the wildcard itself (values not statically known count as pinning,
// so that no guess becomes a finding), and whether it does so only through values that
// are not statically known.
func pins(key string, values *graph.Value) (pinned, unknownValues bool) {
	if !PinningKey(key) {
		return false, false
	}
	known := values.Strings()
	return !slices.ContainsFunc(known, isWildcard), len(known) == 0 && !values.Known() && !ofResources(values) && !ofAccount(values)
}

// ofResources reports whether a value not statically known is an attribute of resources
// of the configuration, such as a topic's ARN or a VPC endpoint's ID: never a wildcard
// (nor is the account's ID, see ofAccount).
func ofResources(v *graph.Value) bool {
	for _, r := range v.Refs {
		if r.Target == nil || !r.Whole {
			return false
		}
	}
	return len(v.Refs) > 0
}

// settle decides, once a statement is read, whether it is unresolved: whether it may allow
// anyone with no known condition pinning the caller, but its effect, principal or
// condition (given: the parts of each that are not statically known) is not known. A
// known Deny, known principals without a wildcard, or a known pin make it judged.
func (s *Statement) settle(effect, principal, condition []Unknown) {
	s.effectUnknown = effect
	mayAllow := len(effect) > 0 || strings.EqualFold(s.Effect, "Allow")
	mayBeAnyone := s.Principal != nil || len(principal) > 0
	if !mayAllow || !mayBeAnyone || s.PinnedBy != "" && len(condition) == 0 {
		return
	}
	switch {
	case len(effect) > 0:
		s.public = effect
	case s.Principal == nil:
		s.public = principal
	default:
		s.public = condition
	}
}

func isWildcard(v *graph.Value) bool { return v.Str == "*" }

// wildcard returns the first "*" of a principal or list of principals (nil when there is
// none) and, when there is none, the first principal that is not statically known.
func wildcard(ids *graph.Value) (star rules.Locatable, unknown *graph.Value) {
	switch {
	case ids == nil:
	case ids.Type == graph.String && ids.Str == "*":
		return ids, nil
	case ids.Type == graph.List:
		for _, it := range ids.Items {
			s, u := wildcard(it)
			if s != nil {
				return s, nil
			}
			if unknown == nil {
				unknown = u
			}
		}
	case !ids.Known() && !ofAccount(ids):
		unknown = ids
	}
	return nil, unknown
}

// ofAccount reports whether a principal not statically known reads nothing but the
// account it is deployed in: in Terraform its ID or caller ARN from the module's
// aws_caller_identity, in CloudFormation the AWS::AccountId and AWS::Partition pseudo
// parameters. Account root ARNs built from them (`arn:aws:iam::${...account_id}:root`,
// `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`) name that account, never
// anyone.
func ofAccount(v *graph.Value) bool {
	for _, r := range v.Refs {
		callerIdentity := r.Target != nil && r.Target.Kind == graph.CallerIdentity && (r.Attr == "account_id" || r.Attr == "arn")
		if !callerIdentity && r.Address != "AWS::AccountId" && r.Address != "AWS::Partition" {
			return false
		}
	}
	return len(v.Refs) > 0
}

// readCondition reads a JSON Condition, {operator: {key: values}}, looking for a pinning
// key, and reports whether the condition's shape is statically known. Unless a pin is
// known, it also returns the parts that keep the condition from being judged: the
// condition or an operator's keys when not statically known, and the values of a pinning
// key when none of them is.
func (s *Statement) readCondition(r *graph.Resource, c *graph.Value) (known bool, unresolved []Unknown) {
	if c == nil {
		return true, nil
	}
	if c.Type != graph.Map {
		return false, unknownIn(r, c, conditionUnknownWhy)
	}
	known = true
	knownPin := false
	for _, op := range c.Attrs {
		if op.Value.Type != graph.Map {
			known = false
			unresolved = append(unresolved, unknownIn(r, op.Value, conditionUnknownWhy)...)
			continue
		}
		for _, key := range op.Value.Attrs {
			s.Conditions = append(s.Conditions, Condition{Operator: op.Name, Key: key.Name, Values: key.Value})
			pinKnown, values := s.pin(r, key.Name, key.Value)
			knownPin, unresolved = knownPin || pinKnown, append(unresolved, values...)
		}
	}
	if knownPin {
		return known, nil
	}
	return known, unresolved
}

// pin records key as the statement's pin if it pins the caller with values, and reports
// whether the pin is known; when it pins only because its values are not statically
// known, it returns them as unresolved.
func (s *Statement) pin(r *graph.Resource, key string, values *graph.Value) (known bool, unresolved []Unknown) {
	pinned, unknownValues := pins(key, values)
	if pinned && s.PinnedBy == "" {
		s.PinnedBy = key
	}
	if unknownValues {
		return false, []Unknown{{Resource: r, At: values, Why: conditionUnknownWhy}}
	}
	return pinned, nil
}
