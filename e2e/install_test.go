package e2e

import (
	"archive/zip"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// module is the module path users install iacscan from.
const module = "github.com/iacscan/iacscan"

// TestGoInstallVersion does what a user does, `go install github.com/iacscan/iacscan/
// cmd/iacscan@v1.2.3`, against a module proxy on disk that serves this checkout as
// v1.2.3 (and the dependencies from the module cache): the installed binary must print
// v1.2.3, read from the build info, with no -ldflags. It builds iacscan from scratch, so
// it runs only in make test-long.
func TestGoInstallVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds iacscan from a module proxy (make test-long)")
	}
	const tag = "v1.2.3"
	modCache := goEnv(t, "GOMODCACHE")
	proxy := t.TempDir()
	dir := filepath.Join(proxy, filepath.FromSlash(module), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"list":        tag + "\n",
		tag + ".info": `{"Version":"` + tag + `","Time":"2026-01-01T00:00:00Z"}`,
		tag + ".mod":  string(goMod),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	moduleZip(t, filepath.Join(dir, tag+".zip"), module+"@"+tag)

	gobin := t.TempDir()
	cmd := exec.Command("go", "install", module+"/cmd/iacscan@"+tag)
	cmd.Dir = t.TempDir() // outside any module, as a user runs it
	cmd.Env = append(os.Environ(),
		"GOBIN="+gobin, "GOFLAGS=", "GOTOOLCHAIN=local", "GOSUMDB=off", "GOWORK=off",
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(modCache, "cache", "download")),
		"GOMODCACHE="+t.TempDir(), // a clean cache: nothing of this checkout is reused
	)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	// The throwaway module cache is read-only, as go leaves it: make it removable.
	t.Cleanup(func() { makeWritable(cmd.Env) })
	bin := filepath.Join(gobin, "iacscan")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || string(out) != "iacscan "+tag+"\n" {
		t.Errorf("iacscan --version = %q (%v), want %q", out, err, "iacscan "+tag+"\n")
	}
}

// moduleZip writes the module zip of this checkout: every file under the root with the
// prefix module@version/, leaving out .git and nested modules, as go mod expects.
func moduleZip(t *testing.T, dst, prefix string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			_, nested := os.Stat(filepath.Join(p, "go.mod"))
			if d.Name() == ".git" || d.Name() == "bin" || (rel != "." && nested == nil) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || d.Name() == ".git" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(path.Join(prefix, filepath.ToSlash(rel)))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// makeWritable runs go clean -modcache on the module cache the environment names.
func makeWritable(env []string) {
	cmd := exec.Command("go", "clean", "-modcache")
	cmd.Env = env
	_ = cmd.Run()
}
