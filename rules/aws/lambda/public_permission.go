package lambda

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/policy"
)

// PublicPermission is AWS-LAMBDA-004: a function permission allows any principal.
var PublicPermission = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-LAMBDA-004",
		Name:  "lambda-permission-any-principal",
		Title: "Function resource policy allows any principal",
		Description: "An `aws_lambda_permission` (CloudFormation `AWS::Lambda::Permission`) with `principal = \"*\"` adds a statement to the function's resource policy " +
			"that lets anyone, in any account, invoke the function (or perform the permission's action), " +
			"unless `source_arn`, `source_account` or `principal_org_id` (`SourceArn`, `SourceAccount`, `PrincipalOrgID`) restricts the caller. " +
			"A function that anyone can invoke runs attacker-controlled input with its role's permissions and its cost. " +
			"A public function URL is a deliberate choice with `lambda:InvokeFunctionUrl` and is reported too: review it.",
		Remediation: "Set the principal to the service or account that invokes the function (`s3.amazonaws.com`, `sns.amazonaws.com`, an account ID), " +
			"and name the source with `source_arn` and `source_account` (`SourceArn`, `SourceAccount`); for an organisation, `principal_org_id`.",
		Severity: rules.High,
		Tags:     []string{"security", "aws", "lambda", "policy", "CWE-732"},
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkPublicPermission,
}

func checkPublicPermission(ctx *rules.Context) {
	for _, d := range policy.Of(ctx) {
		if d.Owner.Kind != graph.LambdaPermission {
			continue
		}
		for _, st := range d.Statements {
			if !st.Public() {
				policy.Record(ctx, st.PublicUnresolved())
				continue
			}
			action := "invoke the function"
			if names := st.Actions.Names(); len(names) == 1 {
				action = "call " + names[0]
			}
			ctx.Report(st.Resource, st.Principal, "permission "+d.Owner.ID.Address+" allows any principal (*) to "+action+" with no source_arn, source_account or principal_org_id",
				rules.WithFix(rules.FixSuggest, "set the principal to the service or account that invokes the function, and restrict it with source_arn and source_account"))
		}
	}
}
