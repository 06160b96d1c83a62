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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := keyMaterial(tc.attr, tc.value); got != tc.want {
				t.Errorf("keyMaterial(%q, %q) = %q, want %q", tc.attr, tc.value, got, tc.want)
			}
		})
	}
}
