package iam

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
	"github.com/iacscan/iacscan/rules"
)

// HardcodedKeys is AWS-IAM-102: AWS key material is written in the template.
var HardcodedKeys = &rules.Rule{
	Meta: rules.Meta{
		ID:    "AWS-IAM-102",
		Name:  "iam-hardcoded-credentials",
		Title: "Hard-coded AWS credentials in IaC",
		Description: "An AWS access key ID (`AKIA…`, `ASIA…`) or secret access key is written in the template: in a Terraform `provider \"aws\"` block, " +
			"a Lambda function's environment (Terraform `environment.variables`, CloudFormation `Environment.Variables`, serverless `provider.environment` and `functions.<f>.environment`), " +
			"EC2 user data (`user_data` of instances, launch templates and launch configurations, plain or base64, CloudFormation `UserData`) or a CloudFormation resource's `Metadata`. " +
			"Anyone who can read the repository, its history, the state or the function's configuration holds the key. AWS's documented example keys are ignored. " +
			"The literal text of a `Fn::Sub` or Terraform template is checked around the parts known only at deploy time; " +
			"base64 of such a template (`Fn::Base64: !Sub ...` user data) cannot be read and is not checked.",
		Remediation: "Treat the key as leaked: deactivate and rotate it in IAM now, then remove it from the file (and from the history). " +
			"Give workloads a role (instance profile, Lambda execution role), read secrets from Secrets Manager or SSM Parameter Store at run time, " +
			"and let the AWS provider take credentials from the environment or a profile. iacscan never edits the secret itself.",
		Severity: rules.Critical,
		Tags:     tags("credentials", "secrets", "CWE-798"),
		Formats:  rules.AllFormats,
		Fix:      rules.FixSuggest,
	},
	Check: checkHardcodedKeys,
}

// keyPlaces are where each kind keeps values that may hold key material, as attribute
// paths (Terraform and CloudFormation spellings).
var keyPlaces = map[graph.Kind][][]string{
	graph.AWSProvider:         {{"access_key"}, {"secret_key"}, {"token"}},
	graph.LambdaFunction:      {{"environment", "variables"}, {"Environment", "Variables"}},
	graph.Instance:            {{"user_data"}, {"user_data_base64"}, {"UserData"}},
	graph.LaunchTemplate:      {{"user_data"}, {"LaunchTemplateData", "UserData"}},
	graph.LaunchConfiguration: {{"user_data"}, {"user_data_base64"}, {"UserData"}},
	graph.ServerlessProvider:  {{"environment"}},
	graph.ServerlessFunction:  {{"environment"}},
}

var (
	// accessKeyID is an AWS access key ID: long-term (AKIA) or temporary (ASIA) and the
	// other documented prefixes.
	accessKeyID = lazyregexp.New(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`)
	// secretInText is a secret access key assigned in text (a shell export, a credentials
	// file, YAML or JSON).
	secretInText = lazyregexp.New(`(?i)(?:aws_?)?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})\b`)
	// secretValue is a value that is nothing but a secret access key.
	secretValue = lazyregexp.New(`^[A-Za-z0-9/+]{40}$`)
	// secretName is a setting or variable name meant to hold a secret access key.
	secretName = lazyregexp.New(`(?i)secret_?(?:access_?)?key`)
)

func checkHardcodedKeys(ctx *rules.Context) {
	for _, r := range ctx.Graph.Resources {
		for _, path := range keyPlaces[r.Kind] {
			if v := r.Body.Lookup(path...); v != nil {
				scanKeys(ctx, r, path[len(path)-1], v)
			}
		}
		if r.Metadata != nil {
			scanKeys(ctx, r, "Metadata", r.Metadata)
		}
	}
}

// scanKeys reports the key material in v, found under the attribute name.
func scanKeys(ctx *rules.Context, r *graph.Resource, name string, v *graph.Value) {
	text := v.Str
	if v.Type == graph.Unknown {
		text = v.Template // the literal text around what is known only at deploy time
	}
	switch v.Type {
	case graph.String, graph.Unknown:
		if what := keyMaterial(name, text); what != "" {
			ctx.Report(r, v, what+" is hard-coded in "+name+" of "+r.ID.Address+"; rotate the key (deactivate it in IAM) and remove it from the source",
				rules.WithFix(rules.FixSuggest, "deactivate and rotate the key in IAM, then give "+r.ID.Address+" credentials at run time (a role, Secrets Manager, the environment) instead of "+name))
		}
	case graph.List:
		for _, it := range v.Items {
			scanKeys(ctx, r, name, it)
		}
	case graph.Map:
		for _, a := range v.Attrs {
			scanKeys(ctx, r, a.Name, a.Value)
		}
	}
}

// keyMaterial says what AWS key material s holds, as written under name (decoding it
// first when it is base64 text, as user data often is), or "".
func keyMaterial(name, s string) string {
	if what := keyMaterialIn(name, s); what != "" {
		return what
	}
	if decoded, ok := decodeBase64(s); ok {
		return keyMaterialIn(name, decoded)
	}
	return ""
}

func keyMaterialIn(name, s string) string {
	if mayHoldKeyID(s) {
		if id := accessKeyID.FindString(s); id != "" && !example(id) {
			return "AWS access key ID " + id[:4] + "…" + id[len(id)-4:]
		}
	}
	if mayHoldSecret(s) {
		if m := secretInText.FindStringSubmatch(s); m != nil && !example(m[1]) {
			return "an AWS secret access key"
		}
	}
	if len(s) == 40 && secretName.MatchString(name) && secretValue.MatchString(s) && !example(s) {
		return "an AWS secret access key"
	}
	return ""
}

// mayHoldKeyID reports whether s holds one of the prefixes accessKeyID requires: most
// values hold none, and a substring search costs a fraction of the expression's.
func mayHoldKeyID(s string) bool {
	return strings.Contains(s, "AKIA") || strings.Contains(s, "ASIA") || strings.Contains(s, "ABIA") || strings.Contains(s, "ACCA")
}

// mayHoldSecret reports whether s may match secretInText, which requires the word
// "secret" in any case. Text that is not all ASCII is left to the expression: (?i) also
// folds letters such as U+017F (ſ) into ASCII ones.
func mayHoldSecret(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	const word = "secret"
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// example reports whether key material is AWS's documentation example
// (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
func example(s string) bool { return strings.Contains(s, "EXAMPLE") }

// decodeBase64 decodes s when it is base64 of UTF-8 text longer than a key.
func decodeBase64(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 28 || len(s)%4 != 0 {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}
