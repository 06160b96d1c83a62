package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/scan"
	"github.com/iacscan/iacscan/source"
)

// JUnit writes the JUnit XML report Jenkins, Azure DevOps and GitLab's test widgets read:
// one test suite per rule that ran, one failing test case per finding (named by file, line
// and resource, so a CI history tracks it), a skipped case per suppressed finding listed
// with --include-suppressed, and one passing case for a rule without findings. Input errors
// are an "iacscan diagnostics" suite of erroring cases. The XML types and escaping are
// go-junit-report's junit package.
func JUnit(w io.Writer, res *scan.Result, opts Options) error {
	suites := junit.Testsuites{Name: "iacscan"}
	byRule := map[string][]junit.Testcase{}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Rule != nil {
			byRule[f.Rule.ID] = append(byRule[f.Rule.ID], junitFailure(f))
		}
	}
	for _, s := range res.Suppressed {
		if s.Rule != nil {
			byRule[s.Rule.ID] = append(byRule[s.Rule.ID], junitSkipped(&s.Finding, s.Suppression.Reason))
		}
	}
	for i, r := range res.Rules {
		suite := junit.Testsuite{Name: r.ID + ": " + r.Title, ID: i, Time: "0"}
		suite.AddProperty("severity", r.Severity.String())
		suite.AddProperty("help", r.HelpURI())
		cases := byRule[r.ID]
		if len(cases) == 0 {
			cases = []junit.Testcase{{Name: "no findings", Classname: r.ID}}
		}
		for _, c := range cases {
			suite.AddTestcase(c)
		}
		suites.AddSuite(suite)
	}
	if diags := junitDiagnostics(res.Diagnostics); len(diags.Testcases) > 0 {
		diags.ID = len(suites.Suites)
		suites.AddSuite(diags)
	}
	suites.Time = strconv.FormatFloat(res.Stats.Duration.Seconds(), 'f', 3, 64)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return suites.WriteXML(w)
}

func junitFailure(f *rules.Finding) junit.Testcase {
	c := junitCase(f)
	c.Failure = &junit.Result{Message: f.Message, Type: f.Severity.String(), Data: junitDetail(f)}
	return c
}

func junitSkipped(f *rules.Finding, reason string) junit.Testcase {
	c := junitCase(f)
	c.Skipped = &junit.Result{Message: "suppressed: " + reason}
	return c
}

// junitCase names a finding's test case "file:line resource": stable across runs as long
// as the finding stays where it is, and readable in a CI test list.
func junitCase(f *rules.Finding) junit.Testcase {
	return junit.Testcase{
		Name:      fmt.Sprintf("%s:%d %s", f.Range.Path, f.Range.Start.Line, f.Resource.Address),
		Classname: f.Rule.ID,
	}
}

// junitDetail is the failure's body: where, what, and how to fix it.
func junitDetail(f *rules.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s [%s]\n", f.Range.Path, f.Range.Start.Line, f.Range.Start.Column, f.Message, f.Severity)
	fmt.Fprintf(&b, "Resource: %s\n", f.Resource.Address)
	if f.Rule.Remediation != "" {
		fmt.Fprintf(&b, "Fix: %s\n", strings.TrimSpace(f.Rule.Remediation))
	}
	fmt.Fprintf(&b, "Help: %s", f.Rule.HelpURI())
	return b.String()
}

// junitDiagnostics turns input errors into erroring test cases: a file that cannot be
// parsed was not checked, which a CI test view must show.
func junitDiagnostics(diags source.Diagnostics) junit.Testsuite {
	suite := junit.Testsuite{Name: "iacscan diagnostics", Time: "0"}
	for _, d := range diags {
		if d.Severity != source.Error {
			continue
		}
		name, where := "input", ""
		if d.Subject != nil {
			name = d.Subject.Path
			where = fmt.Sprintf("%s:%d:%d: ", d.Subject.Path, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		suite.AddTestcase(junit.Testcase{Name: name, Classname: "diagnostics",
			Error: &junit.Result{Message: d.Summary, Data: where + strings.TrimSpace(d.Summary+": "+d.Detail)}})
	}
	return suite
}
