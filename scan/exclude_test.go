package scan

import "testing"

// TestExcluded pins the exclude-paths glob semantics: a pattern matches the file or any
// directory above it; `**` spans directories; `{a,b}` alternatives; malformed patterns
// match nothing.
func TestExcluded(t *testing.T) {
	tests := []struct {
		file, pattern string
		want          bool
	}{
		{"vendor/mod/main.tf", "vendor", true},
		{"vendor/mod/main.tf", "/vendor/", true},
		{"src/vendor/main.tf", "vendor", false},
		{"src/vendor/main.tf", "**/vendor", true},
		{"legacy/old.tf", "legacy/*.tf", true},
		{"legacy/keep/main.tf", "legacy/*.tf", false},
		{"modules/x/test/a.tf", "**/test/**", true},
		{"modules/x/testing.tf", "**/test/**", false},
		{"a/b/c/d.tf", "a/**/d.tf", true},
		{"a/d.tf", "a/**/d.tf", true},
		{"dev/main.tf", "{dev,staging}", true},
		{"prod/main.tf", "{dev,staging}", false},
		{"x/main.tf", "x/[", false},
		{"main.tf", "*.tf", true},
		{"main.tf", "*.yaml", false},
	}
	for _, tc := range tests {
		if got := excluded(tc.file, []string{tc.pattern}); got != tc.want {
			t.Errorf("excluded(%q, %q) = %v, want %v", tc.file, tc.pattern, got, tc.want)
		}
	}
}
