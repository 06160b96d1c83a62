package main

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportFormats runs the CI formats end to end through the CLI: each is written to a
// file next to a text report on stdout, and parses as what its consumer expects.
func TestReportFormats(t *testing.T) {
	dir := repo(t, map[string]string{"main.tf": sshTF("")})
	out := t.TempDir()
	path := func(name string) string { return filepath.Join(out, name) }
	code, stdout, stderr := runCLI(t, "-q", "--color", "never",
		"-f", "junit="+path("junit.xml"), "-f", "gitlab="+path("gl-sast-report.json"), "-f", "csv="+path("r.csv"), "-f", "text", dir)
	if code != 1 || stderr != "" || !strings.Contains(stdout, "AWS-EC2-002") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(path(name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("junit", func(t *testing.T) {
		var doc struct {
			Failures int `xml:"failures,attr"`
			Suites   []struct {
				Cases []struct {
					Name      string `xml:"name,attr"`
					Classname string `xml:"classname,attr"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(read("junit.xml"), &doc); err != nil || doc.Failures != 1 {
			t.Fatalf("%v, failures %d", err, doc.Failures)
		}
		found := false
		for _, s := range doc.Suites {
			for _, c := range s.Cases {
				found = found || (c.Classname == "AWS-EC2-002" && strings.HasSuffix(c.Name, "main.tf:8 aws_security_group.bastion"))
			}
		}
		if !found {
			t.Errorf("no failing AWS-EC2-002 case at main.tf:8: %+v", doc.Suites)
		}
	})
	t.Run("gitlab", func(t *testing.T) {
		var doc struct {
			Version string `json:"version"`
			Scan    struct {
				Type, Status string
			} `json:"scan"`
			Vulnerabilities []struct {
				Severity    string `json:"severity"`
				Identifiers []struct{ Type, Value string }
				Location    struct {
					File      string `json:"file"`
					StartLine int    `json:"start_line"`
				} `json:"location"`
			} `json:"vulnerabilities"`
		}
		if err := json.Unmarshal(read("gl-sast-report.json"), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Version != "15.0.6" || doc.Scan.Type != "sast" || doc.Scan.Status != "success" || len(doc.Vulnerabilities) != 1 {
			t.Fatalf("%+v", doc)
		}
		v := doc.Vulnerabilities[0]
		if v.Severity != "Medium" || v.Identifiers[0].Value != "AWS-EC2-002" || !strings.HasSuffix(v.Location.File, "main.tf") || v.Location.StartLine != 8 {
			t.Errorf("%+v", v)
		}
	})
	t.Run("csv", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(string(read("r.csv")))).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][0] != "AWS-EC2-002" || rows[1][4] != "8" {
			t.Fatalf("%v %q", err, rows)
		}
	})
}
