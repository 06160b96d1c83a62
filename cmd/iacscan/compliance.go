package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/rules/compliance"
	"github.com/iacscan/iacscan/scan"
)

// errComplianceStdout is returned when --compliance and a report both claim stdout.
var errComplianceStdout = errors.New("--compliance prints to stdout: write the reports with --format FORMAT=FILE")

// registerCompliance adds --compliance to the scan command.
func registerCompliance(cmd *cobra.Command, name *string) {
	cmd.Flags().StringVar(name, "compliance", "", "print every control of `FRAMEWORK` ("+strings.Join(compliance.Names(), ", ")+
		") with pass, fail, not applicable or not checkable before deployment, instead of the text report")
}

// complianceOutputs checks --compliance against the reports asked for: without
// --format, the compliance view replaces the text report; a report for stdout conflicts.
func complianceOutputs(framework string, outs []output, formatsGiven bool) ([]output, error) {
	if _, ok := compliance.Frameworks[framework]; !ok {
		return nil, fmt.Errorf("unknown compliance framework %q (valid: %s)", framework, strings.Join(compliance.Names(), ", "))
	}
	if !formatsGiven {
		return nil, nil
	}
	for _, o := range outs {
		if o.path == "" {
			return nil, errComplianceStdout
		}
	}
	return outs, nil
}

// printCompliance evaluates the scan against the framework and prints the controls. The
// findings --severity hides count: a control fails on them all the same.
func (a *app) printCompliance(framework string, res *scan.Result) error {
	fw := compliance.Frameworks[framework]
	results := compliance.Evaluate(fw, compliance.Input{
		Catalog: a.catalog, Ran: res.Rules, Findings: slices.Concat(res.Findings, res.Hidden),
		Unresolved: slices.Concat(res.Unresolved, res.HiddenUnresolved), Kinds: res.Stats.Kinds,
	})
	return compliance.Render(a.stdout, fw, results)
}
