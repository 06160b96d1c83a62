package s3

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// Policy is one bucket policy: an inline `policy`, an aws_s3_bucket_policy or an
// AWS::S3::BucketPolicy. Its statements come from the JSON string, the PolicyDocument
// mapping or the aws_iam_policy_document data source it reads; a policy that is not
// statically known (jsonencode(...), an interpolated string) has none.
type Policy struct {
	Setting // the `policy` / `PolicyDocument` attribute
	// Document is the aws_iam_policy_document data source the policy reads, or nil.
	Document   *graph.Resource
	Statements []*Statement
	// unresolved is the policy when it is not statically known and reads no document.
	unresolved []unknown
}

// Statement is one policy statement, reduced to what decides whether it is public.
type Statement struct {
	// Resource declares the statement: the policy's resource, or the data source.
	Resource *graph.Resource
	// Principal is the wildcard principal ("*", {"AWS": "*"}, a "*" in the AWS list, a
	// principals block of type "*"), where a finding goes; nil when there is none. In a
	// policy written as a JSON string it spans the policy attribute.
	Principal rules.Locatable
	Index     int // position in the document, from 1
	Sid       string
	Effect    string   // as written; the data source's default is "Allow"
	Actions   []string // the known actions, as written
	// PinnedBy is the condition key that restricts the caller (aws:SourceVpce, ...), or "".
	PinnedBy string
	// Conditional is set when the statement has a condition, pinning or not.
	Conditional bool
	// Bare is set when Principal is the wildcard itself ("*"), not {"AWS": "*"} or an item.
	Bare bool
	// Principals is the aws_iam_policy_document `principals` block Principal is in, or nil.
	Principals *graph.Value
	// Unknown is set when the effect or a condition is not statically known, or when no
	// wildcard was found among principals that are not all statically known.
	Unknown bool
	// unresolved is the part not statically known that keeps a statement that may be
	// public from being judged, if any.
	unresolved []unknown
}

// Public reports whether the statement allows any principal with no condition pinning the
// caller. Deny statements never are: "deny everyone unless TLS" protects the bucket.
func (s *Statement) Public() bool {
	return !s.Unknown && s.Principal != nil && s.PinnedBy == "" && strings.EqualFold(s.Effect, "Allow")
}

// pinningKeys are the condition keys that restrict who the caller is or where the request
// comes from (the idea behind checkov CKV_AWS_70's allow-list), in lower case: condition
// keys are case-insensitive.
var pinningKeys = map[string]bool{
	"aws:sourcevpce": true, "aws:sourcevpc": true, "aws:sourceip": true,
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true,
	"aws:principalarn": true, "aws:sourceaccount": true, "aws:sourcearn": true,
	"aws:sourceorgid": true, "aws:sourceorgpaths": true, "aws:sourceowner": true,
	"aws:userid": true, "aws:username": true,
}

// pins reports whether a condition on key with values restricts the caller: a pinning key
// whose values are not the wildcard itself (values not statically known count as pinning,
// so that no guess becomes a finding), and whether it does so only through values that
// are not statically known.
func pins(key string, values *graph.Value) (pinned, unknownValues bool) {
	if !pinningKeys[strings.ToLower(key)] {
		return false, false
	}
	known := values.Strings()
	return !slices.ContainsFunc(known, isWildcard), len(known) == 0 && !values.Known()
}

// settle decides, once a statement is read, whether it is unresolved: whether it may allow
// anyone with no known condition pinning the caller, but its effect, principal or
// condition (given: the parts of each that are not statically known) is not known. A
// known Deny, known principals without a wildcard, or a known pin make it judged.
func (s *Statement) settle(effect, principal, condition []unknown) {
	mayAllow := len(effect) > 0 || strings.EqualFold(s.Effect, "Allow")
	mayBeAnyone := s.Principal != nil || len(principal) > 0
	if !mayAllow || !mayBeAnyone || s.PinnedBy != "" && len(condition) == 0 {
		return
	}
	switch {
	case len(effect) > 0:
		s.unresolved = effect
	case s.Principal == nil:
		s.unresolved = principal
	default:
		s.unresolved = condition
	}
}

func isWildcard(v *graph.Value) bool { return v.Str == "*" }

// addPolicies adds the policies among v's attributes named by names.
func (j *joiner) addPolicies(b *Bucket, r *graph.Resource, v *graph.Value, names ...string) {
	for _, s := range settings(r, v, names...) {
		p := &Policy{Setting: s}
		switch doc := s.Value(); doc.Type {
		case graph.Map:
			p.Statements = documentStatements(r, doc)
		case graph.String:
			p.Statements = documentStatements(r, parseJSON(doc.Str, s.Attr.Range))
		case graph.Unknown:
			if p.Document = documentRef(doc); p.Document != nil {
				p.Statements = j.dataStatements(p.Document)
			}
		}
		if p.Document == nil {
			p.unresolved = unknownIn(r, s.Value(), "bucket policy is not known statically")
		}
		b.Policies = append(b.Policies, p)
	}
}

// record records as unresolved the policy, or its statements that may be public, where
// they are not statically known.
func (p *Policy) record(ctx *rules.Context) {
	for _, u := range p.unresolved {
		u.record(ctx)
	}
	for _, st := range p.Statements {
		for _, u := range st.unresolved {
			u.record(ctx)
		}
	}
}

// documentRef returns the aws_iam_policy_document whose json a policy is, or nil.
func documentRef(v *graph.Value) *graph.Resource {
	ref := soleRef(v)
	if ref == nil || ref.Target == nil || ref.Target.Kind != graph.IAMPolicyDocument {
		return nil
	}
	if ref.Attr != "json" && ref.Attr != "minified_json" {
		return nil
	}
	return ref.Target
}

// documentStatements reads the statements of a JSON policy document (a CloudFormation
// PolicyDocument or a parsed JSON string).
func documentStatements(r *graph.Resource, doc *graph.Value) []*Statement {
	var out []*Statement
	for i, st := range doc.Elements("Statement") {
		s := &Statement{Resource: r, Index: i + 1}
		if !st.Known() {
			s.Unknown, s.unresolved = true, unknownIn(r, st, "policy statement is not known statically")
			out = append(out, s)
			continue
		}
		s.Sid, _ = st.Lookup("Sid").AsString()
		effect, known := st.Lookup("Effect").AsString()
		s.Effect = effect
		principal := st.Lookup("Principal")
		s.Bare = principal != nil && principal.Type == graph.String
		if aws := principal.Get("AWS"); aws != nil {
			principal = aws.Value
		}
		star, principalUnknown := wildcard(principal)
		s.Principal = star
		s.Conditional = st.Get("Condition") != nil
		s.Actions = stringsOf(st.Lookup("Action"))
		conditionKnown, condition := s.readCondition(r, st.Lookup("Condition"))
		s.Unknown = !known || !conditionKnown || (star == nil && principalUnknown != nil)
		s.settle(unknownIn(r, st.Lookup("Effect"), effectUnknownWhy), unknownIn(r, principalUnknown, principalUnknownWhy), condition)
		out = append(out, s)
	}
	return out
}

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
// parameters. The account root ARNs this rule's fixes write are such principals
// (`arn:aws:iam::${...account_id}:root`, `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`):
// they name that account, never anyone.
func ofAccount(v *graph.Value) bool {
	for _, r := range v.Refs {
		callerIdentity := r.Target != nil && r.Target.Kind == graph.CallerIdentity && (r.Attr == "account_id" || r.Attr == "arn")
		if !callerIdentity && r.Address != "AWS::AccountId" && r.Address != "AWS::Partition" {
			return false
		}
	}
	return len(v.Refs) > 0
}

// readCondition looks for a pinning key in a JSON Condition, {operator: {key: values}},
// and reports whether the condition's shape is statically known. Unless a pin is known, it
// also returns the parts that keep the condition from being judged: the condition or an
// operator's keys when not statically known, and the values of a pinning key when none
// of them is.
func (s *Statement) readCondition(r *graph.Resource, c *graph.Value) (known bool, unresolved []unknown) {
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
			pinKnown, values := s.pin(r, key.Name, key.Value)
			knownPin, unresolved = knownPin || pinKnown, append(unresolved, values...)
		}
	}
	if knownPin {
		return known, nil
	}
	return known, unresolved
}

// Why the parts of a statement may not be judged.
const (
	effectUnknownWhy    = "policy effect is not known statically"
	principalUnknownWhy = "policy principal is not known statically"
	conditionUnknownWhy = "policy condition is not known statically"
)

// pin records key as the statement's pin if it pins the caller with values, and reports
// whether the pin is known; when it pins only because its values are not statically
// known, it returns them as unresolved.
func (s *Statement) pin(r *graph.Resource, key string, values *graph.Value) (known bool, unresolved []unknown) {
	pinned, unknownValues := pins(key, values)
	if pinned && s.PinnedBy == "" {
		s.PinnedBy = key
	}
	if unknownValues {
		return false, []unknown{{resource: r, at: values, why: conditionUnknownWhy}}
	}
	return pinned, nil
}

// dataStatements reads the statements of an aws_iam_policy_document data source, once per
// data source.
func (j *joiner) dataStatements(doc *graph.Resource) []*Statement {
	if sts, ok := j.documents[doc]; ok {
		return sts
	}
	var out []*Statement
	for i, st := range doc.Body.Elements("statement") {
		out = append(out, dataStatement(doc, st, i+1))
	}
	for _, dyn := range dynamicBlocks(doc.Body, "statement") {
		out = append(out, &Statement{Resource: doc, Index: len(out) + 1, Unknown: true, unresolved: unknownIn(doc, dyn, "policy statement is not known statically")})
	}
	j.documents[doc] = out
	return out
}

// dataStatement reads one `statement` block; its effect defaults to Allow.
func dataStatement(doc *graph.Resource, st *graph.Value, index int) *Statement {
	s := &Statement{Resource: doc, Index: index, Effect: "Allow"}
	s.Sid, _ = st.Lookup("sid").AsString()
	known := true
	var effect []unknown
	if e := st.Get("effect"); e != nil {
		s.Effect, known = e.Value.AsString()
		effect = unknownIn(doc, e.Value, effectUnknownWhy)
	}
	var principalUnknown *graph.Value
	for _, p := range elements(st, "principals") {
		star, unknown := principalsBlock(p)
		if s.Principal == nil && star != nil {
			s.Principal, s.Principals = star, p.value
		}
		if principalUnknown == nil {
			principalUnknown = unknown
		}
	}
	if dyn := dynamicBlocks(st, "principals"); principalUnknown == nil && len(dyn) > 0 {
		principalUnknown = dyn[0]
	}
	s.Actions = stringsOf(st.Lookup("actions"))
	var condition []unknown
	knownPin := false
	for _, c := range st.Elements("condition") {
		s.Conditional = true
		variable := c.Lookup("variable")
		key, ok := variable.AsString()
		known = known && ok
		if !ok {
			condition = append(condition, unknownIn(doc, variable, conditionUnknownWhy)...)
			continue
		}
		pinKnown, values := s.pin(doc, key, c.Lookup("values"))
		knownPin, condition = knownPin || pinKnown, append(condition, values...)
	}
	for _, dyn := range dynamicBlocks(st, "condition") {
		s.Conditional, known = true, false
		condition = append(condition, unknownIn(doc, dyn, conditionUnknownWhy)...)
	}
	if knownPin {
		condition = nil
	}
	s.Unknown = !known || (s.Principal == nil && principalUnknown != nil)
	s.settle(effect, unknownIn(doc, principalUnknown, principalUnknownWhy), condition)
	return s
}

// principalsBlock reads `principals { type, identifiers }`: type "*" is anyone (found at
// its "*" identifier, else at the block), and so is type "AWS" with a "*" identifier.
// Without a wildcard, it also returns the type or identifier that is not statically known.
func principalsBlock(p element) (star rules.Locatable, unknown *graph.Value) {
	ids := p.value.Lookup("identifiers")
	typeValue := p.value.Lookup("type")
	switch typ, ok := typeValue.AsString(); {
	case !ok:
		if !typeValue.Known() {
			return nil, typeValue
		}
	case typ == "*":
		if star, _ := wildcard(ids); star != nil {
			return star, nil
		}
		return p.at, nil
	case typ == "AWS":
		return wildcard(ids)
	}
	return nil, nil
}

// stringsOf returns the known strings of a string or list, as written.
func stringsOf(v *graph.Value) []string {
	var out []string
	for _, s := range v.Strings() {
		out = append(out, s.Str)
	}
	return out
}

// parseJSON decodes a JSON policy into a Value whose every part spans at: positions inside
// the string are not tracked. Invalid JSON yields nil, a policy without statements.
func parseJSON(s string, at source.Range) *graph.Value {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil
	}
	return jsonValue(x, at)
}

func jsonValue(x any, at source.Range) *graph.Value {
	v := &graph.Value{Range: at}
	switch x := x.(type) {
	case string:
		v.Type, v.Str = graph.String, x
	case json.Number:
		v.Type, v.Str = graph.Number, x.String()
		v.Num, _ = x.Float64()
	case bool:
		v.Type, v.Bool = graph.Bool, x
	case nil:
		v.Type = graph.Null
	case []any:
		v.Type = graph.List
		for _, it := range x {
			v.Items = append(v.Items, jsonValue(it, at))
		}
	case map[string]any:
		v.Type = graph.Map
		for _, k := range slices.Sorted(maps.Keys(x)) {
			v.Attrs = append(v.Attrs, &graph.Attribute{Name: k, NameRange: at, Range: at, Value: jsonValue(x[k], at)})
		}
	}
	return v
}
