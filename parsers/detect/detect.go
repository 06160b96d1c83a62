// Package detect classifies an input file by name and content: Terraform, CloudFormation
// (YAML or JSON, whatever the file name), serverless.yml, or not an input at all.
package detect

import (
	"bytes"
	"path"
	"strings"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/lazyregexp"
)

// SkipDir reports whether a directory is never scanned.
func SkipDir(name string) bool {
	switch name {
	case ".git", ".terraform", "node_modules", ".serverless", ".aws-sam":
		return true
	}
	return false
}

// Candidate reports whether a file name may hold an input, so that a walk reads only those.
func Candidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".tf", ".tfvars", ".json", ".yaml", ".yml", ".template":
		return true
	}
	return false
}

// pattern is an expression with a literal every match holds: most files lack the
// literal, and a substring search costs a fraction of the expression's scan.
type pattern struct {
	lit []byte
	re  *lazyregexp.Regexp
}

func newPattern(lit, expr string) pattern { return pattern{[]byte(lit), lazyregexp.New(expr)} }

// Match reports whether the expression matches src.
func (p pattern) Match(src []byte) bool { return bytes.Contains(src, p.lit) && p.re.Match(src) }

var (
	yamlTopKey = func(key string) pattern { return newPattern(key, `(?m)^`+key+`\s*:`) }

	yamlCFNVersion = yamlTopKey("AWSTemplateFormatVersion")
	yamlResources  = yamlTopKey("Resources")
	yamlAWSType    = newPattern("Type", `(?m)^\s+Type\s*:\s*(["']?AWS::|!Rain::Module\b)`)
	yamlService    = yamlTopKey("service")
	yamlProvider   = yamlTopKey("provider")

	jsonCFNVersion = newPattern(`"AWSTemplateFormatVersion"`, `"AWSTemplateFormatVersion"\s*:`)
	// A plan's JSON representation (terraform show -json PLAN) starts with these keys;
	// a state's has no resource_changes.
	jsonPlanFormat  = newPattern(`"format_version"`, `^\{\s*"format_version"\s*:`)
	jsonPlanChanges = newPattern(`"resource_changes"`, `"resource_changes"\s*:`)
	jsonResources   = newPattern(`"Resources"`, `"Resources"\s*:`)
	jsonAWSType     = newPattern(`"Type"`, `"Type"\s*:\s*("AWS::|\{\s*"Rain::Module")`)
)

// Classify returns the format of the file at name with content src, or graph.FormatNone.
func Classify(name string, src []byte) graph.Format {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF")) // a UTF-8 byte order mark hides the first key
	base := strings.ToLower(path.Base(name))
	switch {
	case strings.HasSuffix(base, ".tf.json") || strings.HasSuffix(base, ".tfvars.json"):
		return graph.TerraformJSON
	case strings.HasSuffix(base, ".tf") || strings.HasSuffix(base, ".tfvars"):
		return graph.Terraform
	case base == "serverless.yml" || base == "serverless.yaml":
		return graph.Serverless
	}
	switch path.Ext(base) {
	case ".json", ".template":
		trimmed := bytes.TrimSpace(src)
		if len(trimmed) > 0 && trimmed[0] == '{' {
			if jsonPlanFormat.Match(trimmed) && jsonPlanChanges.Match(src) {
				return graph.TerraformPlan
			}
			if jsonCFNVersion.Match(src) || (jsonResources.Match(src) && jsonAWSType.Match(src)) {
				return graph.CloudFormationJSON
			}
			return graph.FormatNone
		}
		fallthrough // a .template may be YAML
	case ".yaml", ".yml":
		switch {
		case yamlCFNVersion.Match(src) || (yamlResources.Match(src) && yamlAWSType.Match(src)):
			return graph.CloudFormationYAML
		case yamlService.Match(src) && yamlProvider.Match(src):
			return graph.Serverless
		}
	}
	return graph.FormatNone
}
