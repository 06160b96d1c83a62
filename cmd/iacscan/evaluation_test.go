package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEvaluationFlags runs scans of testdata/evaluation whose findings depend on the
// CloudFormation parameter overrides, the serverless options and the environment.
func TestEvaluationFlags(t *testing.T) {
	const (
		ssh = "testdata/evaluation/stack.yaml:11:63: AWS-EC2-002"     // AdminCidr's default 0.0.0.0/0
		acl = "testdata/evaluation/serverless.yml:12:24: AWS-S3-001"  // acl.yml's dev entry
		db  = "testdata/evaluation/serverless.yml:18:69: AWS-EC2-005" // from the environment
	)
	tests := []struct {
		name string
		args []string
		env  string // IACSCAN_TEST_DB_CIDR
		code int
		want []string
	}{
		{"defaults", nil, "", 1, []string{acl, ssh}},
		{"parameter override", []string{"--cfn-param", "AdminCidr=10.0.0.0/8"}, "", 1, []string{acl}},
		{"JSON overrides file", []string{"--cfn-params", "testdata/evaluation/params.json"}, "", 1, []string{acl}},
		{"K=V overrides file", []string{"--cfn-params", "testdata/evaluation/params.txt"}, "", 1, []string{acl}},
		{"--cfn-param wins over the file", []string{"--cfn-params", "testdata/evaluation/params.txt", "--cfn-param", "AdminCidr=0.0.0.0/0"}, "", 1, []string{acl, ssh}},
		{"serverless stage option", []string{"--sls-opt", "stage=prod", "--cfn-param", "AdminCidr=10.0.0.0/8"}, "", 0, []string{}},
		{"environment variable", []string{"--sls-opt", "stage=prod"}, "0.0.0.0/0", 1, []string{db, ssh}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("IACSCAN_TEST_DB_CIDR", tc.env)
			args := append([]string{"-q", "-f", "json", "--rules", "AWS-S3-001,AWS-EC2-002,AWS-EC2-005"}, tc.args...)
			code, stdout, stderr := runCLI(t, append(args, "testdata/evaluation")...)
			if code != tc.code || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want exit %d and no stderr", code, stderr, tc.code)
			}
			if got := jsonFindings(t, stdout); !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestEvaluationFlagErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"override without =", []string{"--cfn-param", "AdminCidr"}, `iacscan: --cfn-param: parameter override "AdminCidr" is not Key=Value` + "\n"},
		{"option without =", []string{"--sls-opt", "=prod"}, `iacscan: --sls-opt: parameter override "=prod" is not Key=Value` + "\n"},
		{"missing overrides file", []string{"--cfn-params", "testdata/evaluation/none.json"}, "iacscan: --cfn-params: open testdata/evaluation/none.json: no such file or directory\n"},
		{"bad overrides file", []string{"--cfn-params", "testdata/evaluation/stack.yaml"}, `iacscan: --cfn-params testdata/evaluation/stack.yaml: parameter override "Parameters:" is not Key=Value` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tc.args, "testdata/evaluation")...)
			if code != 2 || stdout != "" || stderr != tc.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no stdout, stderr %q", code, stdout, stderr, tc.stderr)
			}
		})
	}
}

// TestExplainValues asserts that -v prints where the parameter's value came from: its
// default, a --cfn-params file or --cfn-param, which wins over the file.
func TestExplainValues(t *testing.T) {
	params := filepath.Join(t.TempDir(), "open.txt")
	if err := os.WriteFile(params, []byte("AdminCidr=0.0.0.0/0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const at = "        testdata/evaluation/stack.yaml:"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, at + "4:14: parameter AdminCidr default"},
		{"overrides file", []string{"--cfn-params", params}, at + "2:3: parameter AdminCidr from " + params},
		{"command line over the file", []string{"--cfn-params", params, "--cfn-param", "AdminCidr=0.0.0.0/0"},
			at + "2:3: parameter AdminCidr from --cfn-param"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-q", "-v", "--rules", "AWS-EC2-002"}, tc.args...)
			_, stdout, _ := runCLI(t, append(args, "testdata/evaluation/stack.yaml")...)
			lines := strings.Split(stdout, "\n")
			i := slices.Index(lines, "    value computed:")
			if i < 0 || i+2 >= len(lines) {
				t.Fatalf("no value trace in:\n%s", stdout)
			}
			if lines[i+1] != tc.want || lines[i+2] != "      → testdata/evaluation/stack.yaml:11:63: SecurityGroupIngress[0].CidrIp" {
				t.Errorf("trace:\n%s\n%s\nwant:\n%s", lines[i+1], lines[i+2], tc.want)
			}
		})
	}
}
