package policy

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// Reader reads documents, sharing the statements of each aws_iam_policy_document among
// every document that reads it.
type Reader struct{ rd *reader }

// NewReader returns a Reader with nothing read yet.
func NewReader() *Reader { return &Reader{rd: newReader()} }

// Read reads the document v held by attr of owner: a JSON mapping (CloudFormation, a
// jsonencode object), a JSON string (a heredoc, file(), templatefile()), or the json of
// an aws_iam_policy_document. A document that is none of these is not statically known:
// it has no statements and is its own unresolved part.
func (r *Reader) Read(owner *graph.Resource, attr *graph.Attribute, v *graph.Value, basis Basis) *Document {
	d := &Document{Owner: owner, Attr: attr, Basis: basis}
	switch v.Type {
	case graph.Map:
		d.Statements = jsonStatements(owner, v)
	case graph.String:
		// its parts span the attribute, where a finding is as precise as it can be
		d.InString = true
		doc := parseJSON(v.Str, attrRange(attr, v))
		// every part was computed as the string was (file(), templatefile(), a variable)
		doc.Walk(func(x *graph.Value) { x.Trace = v.Trace })
		d.Statements = jsonStatements(owner, doc)
	case graph.Unknown:
		if d.Data = DataRef(v); d.Data != nil {
			dd := r.rd.dataDocument(d.Data)
			d.Statements, d.Unresolved = dd.statements, dd.unresolved
		} else if doc := parseTemplate(v, attrRange(attr, v)); doc != nil {
			d.InString = true
			d.Statements = jsonStatements(owner, doc)
		} else {
			d.Unresolved = unknownIn(owner, v, documentUnknownWhy)
		}
	}
	return d
}

// attrRange is where the parts of a document written as a string are: the attribute
// holding it, else the value.
func attrRange(attr *graph.Attribute, v *graph.Value) source.Range {
	if attr != nil {
		return attr.Range
	}
	return v.Range
}

// parseTemplate reads a JSON document written as a template whose interpolations are not
// statically known (a heredoc reading a local, a Sub): every string holding one is
// Unknown, reading what the template reads; the rest is known. It returns nil when the
// text around the interpolations is not a JSON document.
func parseTemplate(v *graph.Value, at source.Range) *graph.Value {
	if !strings.HasPrefix(strings.TrimSpace(v.Template), "{") {
		return nil
	}
	doc := parseJSON(v.Template, at)
	if doc == nil || doc.Type != graph.Map {
		return nil
	}
	doc.Walk(func(x *graph.Value) {
		x.Trace = v.Trace
		if x.Type == graph.String && strings.Contains(x.Str, "${") {
			x.Type, x.Template, x.Str, x.Refs = graph.Unknown, x.Str, "", v.Refs
		}
	})
	return doc
}

// Statements reads the statements of a list written as JSON, such as serverless IAM
// statements.
func (r *Reader) Statements(owner *graph.Resource, attr *graph.Attribute, basis Basis) *Document {
	d := &Document{Owner: owner, Attr: attr, Basis: basis}
	switch v := attr.Value; {
	case v.Type == graph.List:
		d.Statements = statementList(owner, v.Items)
	case !v.Known():
		d.Unresolved = unknownIn(owner, v, documentUnknownWhy)
	}
	return d
}

type documentsKey struct{}

// Of returns every document of the scan, read once and shared by every rule.
func Of(ctx *rules.Context) []*Document {
	return rules.Memo(ctx, documentsKey{}, func() []*Document { return Documents(ctx.Graph) })
}

// Documents returns every policy document of g, in graph order: those of the resources
// that hold or attach one, then the aws_iam_policy_document data sources none of them
// reads (a module's output, a document for a resource kind iacscan does not read), each
// as a document of its own.
func Documents(g *graph.Graph) []*Document {
	r := NewReader()
	var out []*Document
	for _, res := range g.Resources {
		if read, ok := sources[res.Kind]; ok && res.Body.Type == graph.Map {
			out = append(out, read(r, res)...)
		}
	}
	for _, data := range g.OfKind(graph.IAMPolicyDocument) {
		if _, read := r.rd.data[data]; read {
			continue
		}
		dd := r.rd.dataDocument(data)
		d := &Document{Owner: data, Data: data, Basis: basisOf(g, data, dd.statements), Statements: dd.statements, Unresolved: dd.unresolved}
		out = append(out, d)
	}
	return out
}

// basisOf decides whom a data source no resource reads directly is about: resources when
// a statement names principals or when a resource other than an identity policy reads it
// (a KMS key policy), identities otherwise. Without a statement it is not known (0): its
// documents are merged from values not statically known, and what reads it goes through
// locals or conditionals, such as a bucket policy module's combined document.
func basisOf(g *graph.Graph, data *graph.Resource, sts []*Statement) Basis {
	if len(sts) == 0 {
		return 0
	}
	for _, st := range sts {
		if st.HasPrincipal {
			return ResourceBased
		}
	}
	for _, r := range g.Referrers(data) {
		if !identityPolicyKinds[r.Kind] && r.Kind != graph.IAMPolicyDocument {
			return ResourceBased
		}
	}
	return IdentityBased
}

// identityPolicyKinds are the kinds whose documents are identity-based.
var identityPolicyKinds = map[graph.Kind]bool{
	graph.IAMPolicy: true, graph.IAMInlinePolicy: true, graph.IAMRolePolicy: true, graph.IAMUserPolicy: true,
	graph.IAMGroupPolicy: true, graph.IAMRole: true, graph.IAMUser: true, graph.IAMGroup: true,
}

// sources reads the documents of each kind that holds some.
var sources = map[graph.Kind]func(*Reader, *graph.Resource) []*Document{
	graph.IAMPolicy:       attrs(IdentityBased, NoHolder, "policy", "PolicyDocument"),
	graph.IAMInlinePolicy: inlinePolicy,
	graph.IAMRolePolicy:   attrs(IdentityBased, Role, "policy"),
	graph.IAMUserPolicy:   attrs(IdentityBased, User, "policy"),
	graph.IAMGroupPolicy:  attrs(IdentityBased, Group, "policy"),
	graph.IAMRole:         embedded(Role),
	graph.IAMUser:         embedded(User),
	graph.IAMGroup:        embedded(Group),
	graph.S3Bucket:        attrs(ResourceBased, NoHolder, "policy"),
	graph.S3BucketPolicy:  attrs(ResourceBased, NoHolder, "policy", "PolicyDocument"),
	graph.SNSTopic:        attrs(ResourceBased, NoHolder, "policy"),
	graph.SNSTopicPolicy:  attrs(ResourceBased, NoHolder, "policy", "PolicyDocument"),
	graph.SQSQueue:        attrs(ResourceBased, NoHolder, "policy"),
	graph.SQSQueuePolicy:  attrs(ResourceBased, NoHolder, "policy", "PolicyDocument"),
	graph.LambdaPermission: func(_ *Reader, r *graph.Resource) []*Document {
		return []*Document{permission(r)}
	},
	// (provider.iam.role.statements are the inline policy of the default role the serverless
	// parser adds to the graph.) The serverless-iam-roles-per-function plugin's statements:
	graph.ServerlessFunction: serverlessStatements("iamRoleStatements"),
}

// attrs reads the documents held by the first of the top-level attributes names.
func attrs(basis Basis, holder Holder, names ...string) func(*Reader, *graph.Resource) []*Document {
	return func(rd *Reader, r *graph.Resource) []*Document {
		a := r.Get(names...)
		if a == nil {
			return nil
		}
		d := rd.Read(r, a, a.Value, basis)
		if holder != NoHolder {
			d.Inline, d.Holders = true, []Holder{holder}
		}
		return []*Document{d}
	}
}

// inlinePolicy reads CloudFormation's AWS::IAM::Policy, inline in each user, group and
// role it names.
func inlinePolicy(rd *Reader, r *graph.Resource) []*Document {
	a := r.Get("PolicyDocument")
	if a == nil {
		return nil
	}
	d := rd.Read(r, a, a.Value, IdentityBased)
	d.Inline = true
	for _, h := range []struct {
		name   string
		holder Holder
	}{{"Users", User}, {"Groups", Group}, {"Roles", Role}} {
		if r.Get(h.name) != nil {
			d.Holders = append(d.Holders, h.holder)
		}
	}
	return []*Document{d}
}

// embedded reads the inline policies of an identity: Terraform's `inline_policy` blocks
// of aws_iam_role, CloudFormation's Policies list of roles, users and groups.
func embedded(holder Holder) func(*Reader, *graph.Resource) []*Document {
	return func(rd *Reader, r *graph.Resource) []*Document {
		var out []*Document
		for _, p := range r.Body.Elements("inline_policy", "Policies") {
			a := p.Get("policy", "PolicyDocument")
			if a == nil {
				if !p.Known() {
					d := &Document{Owner: r, Basis: IdentityBased, Inline: true, Holders: []Holder{holder}}
					d.Unresolved = unknownIn(r, p, documentUnknownWhy)
					out = append(out, d)
				}
				continue
			}
			d := rd.Read(r, a, a.Value, IdentityBased)
			d.Inline, d.Holders = true, []Holder{holder}
			if name, ok := p.Lookup(firstOf(p, "name", "PolicyName")).AsString(); ok {
				d.Name = fmt.Sprintf("policy %q", name)
			}
			out = append(out, d)
		}
		return out
	}
}

// serverlessStatements reads the IAM statements of a serverless provider or function at
// the first of the dotted paths that is present: they join the role serverless creates
// for the functions.
func serverlessStatements(paths ...string) func(*Reader, *graph.Resource) []*Document {
	return func(rd *Reader, r *graph.Resource) []*Document {
		for _, path := range paths {
			if a := attrAt(r.Body, path); a != nil {
				d := rd.Statements(r, a, IdentityBased)
				d.Inline, d.Holders, d.Name = true, []Holder{Role}, path
				return []*Document{d}
			}
		}
		return nil
	}
}

// attrAt returns the attribute at a dotted path of nested maps, or nil.
func attrAt(v *graph.Value, path string) *graph.Attribute {
	var a *graph.Attribute
	for _, name := range strings.Split(path, ".") {
		if a = v.Get(name); a == nil {
			return nil
		}
		v = a.Value
	}
	return a
}

// firstOf returns the first of names that v has, or the first name.
func firstOf(v *graph.Value, names ...string) string {
	for _, n := range names {
		if v.Get(n) != nil {
			return n
		}
	}
	return names[0]
}
