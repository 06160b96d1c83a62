package main

import (
	"slices"
	"strings"
	"testing"
)

// TestTerraformVariableFlags runs scans of testdata/tfvars whose findings depend on the
// Terraform variables given by --var-file, --var and TF_VAR_ variables.
func TestTerraformVariableFlags(t *testing.T) {
	const (
		ssh = "testdata/tfvars/main.tf:16:20: AWS-EC2-002"
		rdp = "testdata/tfvars/main.tf:16:20: AWS-EC2-003"
	)
	tests := []struct {
		name string
		args []string
		env  string // TF_VAR_admin_cidr
		code int
		want []string
	}{
		{"default is closed", nil, "", 0, []string{}},
		{"--var-file opens it", []string{"--var-file", "testdata/tfvars/open.tfvars"}, "", 1, []string{ssh}},
		{"--var opens it", []string{"--var", "admin_cidr=0.0.0.0/0"}, "", 1, []string{ssh}},
		{"--var wins over --var-file", []string{"--var-file", "testdata/tfvars/open.tfvars", "--var", "admin_cidr=10.0.0.0/8"}, "", 0, []string{}},
		{"TF_VAR_ opens it", nil, "0.0.0.0/0", 1, []string{ssh}},
		{"--var of a list type", []string{"--var", "admin_cidr=0.0.0.0/0", "--var", "ports=[3389]"}, "", 1, []string{rdp}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TF_VAR_admin_cidr", tc.env)
			args := append([]string{"-q", "-f", "json", "--rules", "AWS-EC2-002,AWS-EC2-003"}, tc.args...)
			code, stdout, stderr := runCLI(t, append(args, "testdata/tfvars")...)
			if code != tc.code || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want exit %d and no stderr", code, stderr, tc.code)
			}
			if got := jsonFindings(t, stdout); !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestTerraformVariableFlagErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"--var without =", []string{"--var", "admin_cidr"}, `iacscan: --var "admin_cidr": want NAME=VALUE` + "\n"},
		{"--var without a name", []string{"--var", "=x"}, `iacscan: --var "=x": want NAME=VALUE` + "\n"},
		{"missing --var-file", []string{"--var-file", "testdata/tfvars/none.tfvars"}, "iacscan: --var-file: open testdata/tfvars/none.tfvars: no such file or directory\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tc.args, "testdata/tfvars")...)
			if code != 2 || stdout != "" || stderr != tc.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no stdout, stderr %q", code, stdout, stderr, tc.stderr)
			}
		})
	}
}
