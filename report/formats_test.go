package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaptinlin/jsonschema"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/suppress"
	"github.com/iacscan/iacscan/scan"
)

var finished = time.Date(2026, 12, 6, 11, 30, 0, 0, time.UTC)

// withSuppressed is sampleResult with one suppressed finding listed (--include-suppressed).
func withSuppressed(t *testing.T) *scan.Result {
	res := sampleResult(t)
	f := res.Findings[0]
	res.Findings = res.Findings[1:]
	res.Suppressed = []suppress.Suppressed{{Finding: f, Suppression: suppress.Suppression{Kind: suppress.KindInSource, Reason: "logs bucket"}}}
	return res
}

func TestFormatGoldens(t *testing.T) {
	writers := []struct {
		name   string
		write  Writer
		golden string
	}{
		{"junit", JUnit, "junit.golden"},
		{"gitlab", GitLab, "gitlab.golden"},
		{"csv", CSV, "csv.golden"},
	}
	results := []struct {
		name string
		res  func(*testing.T) *scan.Result
	}{
		{"sample", withSuppressed},
		{"clean", func(*testing.T) *scan.Result { return cleanResult() }},
	}
	for _, w := range writers {
		for _, r := range results {
			t.Run(w.name+"/"+r.name, func(t *testing.T) {
				var out bytes.Buffer
				if err := w.write(&out, r.res(t), Options{Version: "1.2.3", Finished: finished}); err != nil {
					t.Fatal(err)
				}
				golden := w.golden
				if r.name != "sample" {
					golden = strings.Replace(golden, ".golden", "-"+r.name+".golden", 1)
				}
				checkGolden(t, golden, out.Bytes())
			})
		}
	}
}

// TestJUnitStructure decodes the XML and checks what CI systems count: one suite per rule,
// failures per finding, skipped per suppressed finding, a passing case for a clean rule,
// and input errors as errors.
func TestJUnitStructure(t *testing.T) {
	var out bytes.Buffer
	if err := JUnit(&out, withSuppressed(t), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string    `xml:"name,attr"`
				Classname string    `xml:"classname,attr"`
				Failure   *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out.Bytes())
	}
	// 5 rules: S3-001 1 failure, S3-016 1 skipped, EC2-002 1, EC2-005 1, EC2-106 1; + 1 diagnostic error.
	if doc.Tests != 6 || doc.Failures != 4 || doc.Skipped != 1 || doc.Errors != 1 || len(doc.Suites) != 6 {
		t.Errorf("tests %d failures %d skipped %d errors %d suites %d; want 6, 4, 1, 1, 6",
			doc.Tests, doc.Failures, doc.Skipped, doc.Errors, len(doc.Suites))
	}
	if c := doc.Suites[0].Cases[0]; c.Name != "infra/main.tf:3 aws_s3_bucket.site" || c.Classname != "AWS-S3-001" || c.Failure == nil {
		t.Errorf("first case %+v", c)
	}
	var clean bytes.Buffer
	res := cleanResult()
	res.Rules = []*rules.Rule{{Meta: *publicRead}}
	if err := JUnit(&clean, res, Options{}); err != nil || !strings.Contains(clean.String(), `<testcase name="no findings" classname="AWS-S3-001"></testcase>`) {
		t.Errorf("a rule without findings is not one passing case: %v\n%s", err, clean.String())
	}
}

// TestGitLabSchema validates the report against the required fields of GitLab's 15.x SAST
// schema (testdata/gitlab-sast-15-required.schema.json says where they come from), and
// that a report missing them fails, so the check can fail.
func TestGitLabSchema(t *testing.T) {
	schema := compileSchema(t, filepath.Join("testdata", "gitlab-sast-15-required.schema.json"))
	for _, res := range []*scan.Result{withSuppressed(t), cleanResult(), {}} {
		var out bytes.Buffer
		if err := GitLab(&out, res, Options{Finished: finished}); err != nil {
			t.Fatal(err)
		}
		if err := schemaErr(schema, out.Bytes()); err != nil {
			t.Errorf("does not validate: %v\n%s", err, out.Bytes())
		}
	}
	var out bytes.Buffer
	if err := GitLab(&out, sampleResult(t), Options{Finished: finished}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	vuln := doc["vulnerabilities"].([]any)[0].(map[string]any)
	delete(vuln, "identifiers")
	doc["scan"].(map[string]any)["start_time"] = "2026-12-06 11:30"
	if err := schemaErr(schema, doc); err == nil {
		t.Error("a report without identifiers and with a bad start_time validates: the schema checks nothing")
	}
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler().SetAssertFormat(true)
	delete(c.Loaders, "http") // the schema is self-contained: no network in tests
	delete(c.Loaders, "https")
	s, err := c.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// schemaErr returns the violations of doc (JSON text or decoded JSON) against s, or nil.
func schemaErr(s *jsonschema.Schema, doc any) error {
	if res := s.Validate(doc); !res.IsValid() {
		return fmt.Errorf("%v", res.DetailedErrors())
	}
	return nil
}

// TestGitLabIDs checks that vulnerability IDs are stable across runs and unique.
func TestGitLabIDs(t *testing.T) {
	ids := func() []string {
		var out bytes.Buffer
		res := sampleResult(t)
		res.Findings = append(res.Findings, res.Findings[0]) // a repeated fingerprint
		if err := GitLab(&out, res, Options{Finished: finished}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Vulnerabilities []struct{ ID string } `json:"vulnerabilities"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, v := range doc.Vulnerabilities {
			ids = append(ids, v.ID)
		}
		return ids
	}
	a, b := ids(), ids()
	seen := map[string]bool{}
	for i := range a {
		if a[i] != b[i] || seen[a[i]] {
			t.Errorf("id %d: %q then %q (seen before: %v)", i, a[i], b[i], seen[a[i]])
		}
		seen[a[i]] = true
	}
}

// TestCSVRoundTrip reads the CSV back: quoting of commas, quotes and newlines must hold.
func TestCSVRoundTrip(t *testing.T) {
	res := sampleResult(t)
	res.Findings[0].Message = "a \"quoted\", multi\nline message"
	var out bytes.Buffer
	if err := CSV(&out, res, Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(res.Findings) || rows[1][9] != res.Findings[0].Message || rows[1][0] != "AWS-S3-016" || rows[1][4] != "1" {
		t.Errorf("rows %q", rows)
	}
}
