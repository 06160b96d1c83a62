package main

import (
	"slices"
	"strings"
	"testing"
)

// TestProfileBaseline: an account without a GuardDuty detector is reported only when the
// baseline profile is on, by flag or by configuration, at the AWS provider block.
func TestProfileBaseline(t *testing.T) {
	missing := []string{"testdata/account/account.tf:3:1: AWS-GD-001"}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{name: "off", args: nil, want: nil},
		{name: "flag", args: []string{"--profile", "baseline"}, want: missing},
		{name: "configuration", args: []string{"--config", "testdata/profile-baseline.yaml"}, want: missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"scan", "-f", "json", "-q"}, tc.args...)
			code, stdout, stderr := runCLI(t, append(args, "testdata/account")...)
			got := jsonFindings(t, stdout)
			wantCode := 0
			if len(tc.want) > 0 {
				wantCode = 1
			}
			if code != wantCode || !slices.Equal(got, tc.want) {
				t.Errorf("exit %d, findings %q, want %d, %q\nstderr: %s", code, got, wantCode, tc.want, stderr)
			}
		})
	}
}

func TestProfileUnknown(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scan", "--profile", "strict", "testdata/account")
	if code != 2 || stdout != "" || stderr != "iacscan: unknown profile \"strict\" (known: baseline)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestRulesAccountColumn: `iacscan rules` says which rules have an account check.
func TestRulesAccountColumn(t *testing.T) {
	_, stdout, _ := runCLI(t, "rules")
	lines := strings.Split(stdout, "\n")
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"ID", "SEVERITY", "FIX", "DEFAULT", "ACCOUNT", "TITLE"}) {
		t.Fatalf("header %q", got)
	}
	account := map[string]string{}
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 4 {
			account[f[0]] = f[4]
		}
	}
	for id, want := range map[string]string{"AWS-GD-001": "baseline", "AWS-CONFIG-001": "baseline", "AWS-CT-001": "baseline", "AWS-ORG-002": "-"} {
		if account[id] != want {
			t.Errorf("%s: ACCOUNT %q, want %q", id, account[id], want)
		}
	}
}

// TestRegionsConfigured: AWS-GEN-101 is off until the configuration lists the allowed
// regions, which turns it on.
func TestRegionsConfigured(t *testing.T) {
	_, stdout, _ := runCLI(t, "scan", "-f", "json", "-q", "testdata/account")
	if got := jsonFindings(t, stdout); len(got) != 0 {
		t.Errorf("without configuration: %q, want none", got)
	}
	code, stdout, stderr := runCLI(t, "scan", "-f", "json", "-q", "--config", "testdata/regions-us-east-1.yaml", "testdata/account")
	want := []string{"testdata/account/account.tf:4:12: AWS-GEN-101"}
	if got := jsonFindings(t, stdout); code != 1 || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings %q, want 1, %q\nstderr: %s", code, got, want, stderr)
	}
}
