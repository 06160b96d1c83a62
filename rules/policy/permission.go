package policy

import "github.com/iacscan/iacscan/graph"

// permissionConditions are the arguments of a Lambda permission (Terraform, then
// CloudFormation spelling) that become conditions of the statement it adds to the
// function's resource policy, with the condition key each sets.
var permissionConditions = []struct {
	names [2]string
	key   string
}{
	{[2]string{"source_arn", "SourceArn"}, "aws:SourceArn"},
	{[2]string{"source_account", "SourceAccount"}, "aws:SourceAccount"},
	{[2]string{"principal_org_id", "PrincipalOrgID"}, "aws:PrincipalOrgID"},
}

// permission reads an aws_lambda_permission (AWS::Lambda::Permission) as the one-statement
// resource policy it adds to the function: Allow principal to perform action, with a
// condition for each of source_arn, source_account and principal_org_id.
func permission(r *graph.Resource) *Document {
	body := r.Body
	s := &Statement{Resource: r, At: body, Index: 1, Effect: "Allow", Bare: true, HasPrincipal: true}
	if sid, ok := body.Lookup("statement_id").AsString(); ok {
		s.Sid = sid
	}
	principal := body.Lookup("principal")
	if principal == nil {
		principal = body.Lookup("Principal")
	}
	star, principalUnknown := wildcard(principal)
	s.Principal = star
	if action := body.Get("action", "Action"); action != nil {
		s.Actions = elementsOf(action.Value, false)
	}
	var condition []Unknown
	knownPin := false
	for _, c := range permissionConditions {
		a := body.Get(c.names[:]...)
		if a == nil || a.Value.Type == graph.Null {
			continue
		}
		s.Conditional = true
		s.Conditions = append(s.Conditions, Condition{Operator: "ArnLike", Key: c.key, Values: a.Value})
		pinKnown, values := s.pin(r, c.key, a.Value)
		knownPin, condition = knownPin || pinKnown, append(condition, values...)
	}
	if knownPin {
		condition = nil
	}
	s.Unknown = s.Principal == nil && principalUnknown != nil
	s.settle(nil, unknownIn(r, principalUnknown, principalUnknownWhy), condition)
	return &Document{Owner: r, Basis: ResourceBased, Statements: []*Statement{s}}
}
