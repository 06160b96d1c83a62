package scan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo writes files (path: content) under a new directory holding .git, makes it the
// working directory and returns it.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

const bucketTF = "resource \"aws_s3_bucket\" \"b\" {}\n"

// TestDiscoverGitignore checks which files discovery reads in a repository with ignore
// files at several levels: the root's .gitignore, a nested one (whose patterns are
// relative to its directory), a negation, .git/info/exclude with CRLF line ends, a
// nested repository with patterns of its own, and what names a path explicitly.
func TestDiscoverGitignore(t *testing.T) {
	gitRepo(t, map[string]string{
		".gitignore":            "# generated\n*.out.tf\n/build/\nsecrets*\n!secrets-ok.tf\n",
		".git/info/exclude":     "local.tf\r\n",
		"main.tf":               bucketTF,
		"local.tf":              bucketTF,
		"plan.out.tf":           bucketTF,
		"build/gen.tf":          bucketTF,
		"secrets.tf":            bucketTF,
		"secrets-ok.tf":         bucketTF,
		"app/.gitignore":        "tmp/\n/only-here.tf\n",
		"app/main.tf":           bucketTF,
		"app/only-here.tf":      bucketTF,
		"app/deep/only-here.tf": bucketTF,
		"app/tmp/x.tf":          bucketTF,
		"app/deep/tmp/y.tf":     bucketTF,
		"app/deep/build/z.tf":   bucketTF, // /build/ is anchored at the root
		"vendored/.git":         "gitdir: ../.git/modules/vendored\n",
		"vendored/.gitignore":   "main.tf\n",
		"vendored/main.tf":      bucketTF,
		"vendored/plan.out.tf":  bucketTF, // the outer repository's patterns stop here
	})
	tests := []struct {
		name  string
		paths []string
		opts  DiscoverOptions
		want  string
	}{
		{
			name:  "the repository",
			paths: []string{"."},
			opts:  DiscoverOptions{Recursive: true},
			want:  "app/deep/build/z.tf app/deep/only-here.tf app/main.tf main.tf secrets-ok.tf vendored/plan.out.tf",
		},
		{
			name:  "a subdirectory reads the ignore files above it",
			paths: []string{"app/deep"},
			opts:  DiscoverOptions{Recursive: true},
			want:  "app/deep/build/z.tf app/deep/only-here.tf",
		},
		{
			name:  "ignored files and directories named explicitly",
			paths: []string{"secrets.tf", "build", "app/tmp/x.tf"},
			opts:  DiscoverOptions{Recursive: true},
			want:  "app/tmp/x.tf build/gen.tf secrets.tf",
		},
		{
			name:  "NoGitignore",
			paths: []string{"app"},
			opts:  DiscoverOptions{Recursive: true, NoGitignore: true},
			want:  "app/deep/build/z.tf app/deep/only-here.tf app/deep/tmp/y.tf app/main.tf app/only-here.tf app/tmp/x.tf",
		},
		{
			name:  "the files of a pre-commit scan are read even when ignored",
			paths: []string{"."},
			opts:  DiscoverOptions{Files: []string{"local.tf", "README.md"}},
			want:  "local.tf main.tf secrets-ok.tf",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.MaxBytes = 1 << 20
			inputs, diags, err := DiscoverWith(t.Context(), tc.paths, tc.opts)
			if err != nil || len(diags) > 0 {
				t.Fatal(err, diags)
			}
			var got []string
			for _, in := range inputs {
				got = append(got, in.File.Path)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("inputs:\n%s\nwant:\n%s", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// TestDiscoverOutsideRepository checks that .gitignore files mean nothing outside a git
// repository, as for git itself.
func TestDiscoverOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{".gitignore": "*.tf\n", "main.tf": bucketTF} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	inputs, _, err := DiscoverWith(t.Context(), []string{"."}, DiscoverOptions{Recursive: true, MaxBytes: 1 << 20})
	if err != nil || len(inputs) != 1 || inputs[0].File.Path != "main.tf" {
		t.Fatalf("inputs %v, %v: want main.tf", inputs, err)
	}
}
