package iam

import (
	"encoding/base64"
	"testing"
)

func TestKeyMaterial(t *testing.T) {
	const (
		id     = "AKIAQYLPMN5HHHFPZAM2"
		secret = "7CE556A3BC234CC1FF9E8A5C324C0BB70AA21B6D"
	)
	tests := []struct {
		name, attr, value, want string
	}{
		{"key ID", "KEY", id, "AWS access key ID AKIA…ZAM2"},
		{"temporary key ID in text", "user_data", "export AWS_ACCESS_KEY_ID=ASIAQYLPMN5HHHFPZAM2", "AWS access key ID ASIA…ZAM2"},
		{"secret by name", "secret_key", secret, "an AWS secret access key"},
		{"secret by variable name", "AWS_SECRET_ACCESS_KEY", secret, "an AWS secret access key"},
		{"secret in a credentials file", "content", "[default]\naws_secret_access_key = " + secret + "\n", "an AWS secret access key"},
		{"secret in JSON", "Metadata", `{"SecretAccessKey": "` + secret + `"}`, "an AWS secret access key"},
		{"base64 user data", "user_data", base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=" + id + "\n")), "AWS access key ID AKIA…ZAM2"},
		{"40 characters under another name", "checksum", secret, ""},
		{"documentation example ID", "KEY", "AKIAIOSFODNN7EXAMPLE", ""},
		{"documentation example secret", "secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
		{"not base32", "KEY", "AKIA0000000000000000", ""},
		{"a secret's name, not the secret", "SECRET_KEY_NAME", "/prod/api/secret", ""},
		{"placeholder", "secret_key", "mock_secret_key", ""},
		{"secret after a non-ASCII word", "content", "clé: x\nSECRET_KEY=" + secret, "an AWS secret access key"},
		{"secret with a long s, which (?i) folds into s", "content", "\u017Fecret_key=" + secret, "an AWS secret access key"},
		{"secret with a Kelvin sign, which (?i) folds into k", "content", "secret_\u212Aey: " + secret, "an AWS secret access key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := keyMaterial(tc.attr, tc.value); got != tc.want {
				t.Errorf("keyMaterial(%q, %q) = %q, want %q", tc.attr, tc.value, got, tc.want)
			}
		})
	}
}

// TestQuickTestsBeforeExpressions asserts that the substring tests run before the
// expressions never rule out a match: whenever an expression matches, its quick test is
// true.
func TestQuickTestsBeforeExpressions(t *testing.T) {
	const secret = "7CE556A3BC234CC1FF9E8A5C324C0BB70AA21B6D"
	values := []string{
		"", "AKIAQYLPMN5HHHFPZAM2", "xASIAQYLPMN5HHHFPZAM2", "ABIAQYLPMN5HHHFPZAM2 ACCAQYLPMN5HHHFPZAM2",
		"aws_secret_access_key=" + secret, "SeCrEt_KeY: '" + secret + "'", "\u017Fecret_key=" + secret,
		"secret_\u212Aey=" + secret, "sécret_key=" + secret, "no key here", "akiaqylpmn5hhhfpzam2",
	}
	for _, v := range values {
		if accessKeyID.MatchString(v) && !mayHoldKeyID(v) {
			t.Errorf("mayHoldKeyID(%q) = false, but accessKeyID matches", v)
		}
		if secretInText.MatchString(v) && !mayHoldSecret(v) {
			t.Errorf("mayHoldSecret(%q) = false, but secretInText matches", v)
		}
	}
	if mayHoldKeyID("no key here") || mayHoldSecret("no key here") {
		t.Error("a quick test passes a value without the words it looks for")
	}
}
