package ci

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The fake release server serves, under /<tag>/<asset>, what scripts/release.sh publishes
// for this machine's platform: release v1.2.3 (the action's ref in the tests), and v6.6.6,
// whose checksum file does not match its archive. It is started once per test binary.
var releases struct {
	once     sync.Once
	server   *httptest.Server
	dir      string
	requests atomic.Int64 // of files that exist: downloads
	err      error
}

// tamperedTag is a release whose archive does not match the checksum file.
const tamperedTag = "v6.6.6"

func fakeReleases(t *testing.T) *httptest.Server {
	t.Helper()
	releases.once.Do(func() {
		releases.dir, releases.err = os.MkdirTemp("", "iacscan-releases-")
		if releases.err != nil {
			return
		}
		bin := filepath.Join(releases.dir, "build", "iacscan")
		if r := run(t, repoRoot, nil, "go", "build", "-ldflags", "-X main.version="+actionRef, "-o", bin, "./cmd/iacscan"); r.code != 0 {
			releases.err = fmt.Errorf("go build: %s", r.stderr)
			return
		}
		for _, tag := range []string{actionRef, tamperedTag} {
			if releases.err = publish(releases.dir, tag, bin, tag == tamperedTag); releases.err != nil {
				return
			}
		}
		files := http.FileServer(http.Dir(releases.dir))
		releases.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := os.Stat(filepath.Join(releases.dir, filepath.FromSlash(r.URL.Path))); err == nil {
				releases.requests.Add(1) // a download
			}
			files.ServeHTTP(w, r)
		}))
	})
	if releases.err != nil {
		t.Fatal(releases.err)
	}
	return releases.server
}

func TestMain(m *testing.M) {
	code := m.Run()
	if releases.server != nil {
		releases.server.Close()
	}
	if releases.dir != "" {
		os.RemoveAll(releases.dir)
	}
	os.Exit(code)
}

// publish writes the release tag's archive for this platform, holding bin, and its
// checksum file, as scripts/release.sh names them; tampered lists a wrong checksum.
func publish(dir, tag, bin string, tampered bool) error {
	asset := fmt.Sprintf("iacscan_%s_%s_%s.tar.gz", tag, runtime.GOOS, runtime.GOARCH)
	if err := os.MkdirAll(filepath.Join(dir, tag), 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	archive := filepath.Join(dir, tag, asset)
	f, err := os.Create(archive)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "iacscan", Mode: 0o755, Size: int64(len(data))}); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	for _, c := range []interface{ Close() error }{tw, gz, f} {
		if err := c.Close(); err != nil {
			return err
		}
	}
	packed, err := os.ReadFile(archive)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(packed)
	if tampered {
		sum[0] ^= 0xff
	}
	line := hex.EncodeToString(sum[:]) + "  " + asset + "\n"
	return os.WriteFile(filepath.Join(dir, tag, "iacscan_"+tag+"_checksums.txt"), []byte(line), 0o644)
}

func runnerOS() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return "Linux"
}

func runnerArch() string {
	if runtime.GOARCH == "arm64" {
		return "ARM64"
	}
	return "X64"
}

// TestActionInstall runs the action's install step for each way of getting iacscan: the
// release of the action's ref or of the version input, verified and then taken from the
// tool cache without a download; a release whose archive does not match its checksum
// (the step fails, nothing is built instead); a version with no release and a branch ref,
// both built from the action's source.
func TestActionInstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the simulated runner runs bash steps on Unix")
	}
	meta := loadAction(t)
	var install actionStep
	for _, s := range meta.Runs.Steps {
		if s.ID == "install" {
			install = s
		}
	}
	if install.Run == "" {
		t.Fatal("action.yml has no install step")
	}
	tests := []struct {
		name, ref, version string
		cached             bool // a second install finds the first in the tool cache
		wantCode           int
		wantVersion        string // what the installed binary prints
		wantDownload       bool
		wantLog            string // in the step's stdout
		// parallel: runs after the others, alongside the rest of them: builds take the
		// time, and no download may happen meanwhile (the counter is shared).
		parallel bool
	}{
		{name: "the action's release", ref: actionRef, cached: true, wantVersion: "iacscan v1.2.3", wantDownload: true,
			wantLog: "iacscan v1.2.3: the release binary for"},
		{name: "version input", ref: "main", version: actionRef, wantVersion: "iacscan v1.2.3", wantDownload: true},
		{name: "tampered release", ref: tamperedTag, wantCode: 2,
			wantLog: "does not match its checksum"},
		{name: "no such release", ref: "v9.9.9", wantVersion: "iacscan v9.9.9", parallel: true,
			wantLog: "::warning title=iacscan action::no release asset iacscan_v9.9.9_"},
		{name: "branch", ref: "main", wantVersion: "iacscan dev", parallel: true},
		{name: "local action (uses: ./)", ref: "", wantVersion: "iacscan dev", parallel: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.parallel {
				t.Parallel()
			}
			r := newActionRunner(t, meta, t.TempDir(), map[string]string{"version": tc.version})
			r.ref = tc.ref
			before := releases.requests.Load()
			res := r.step(0, install)
			if res.code != tc.wantCode || !strings.Contains(res.stdout, tc.wantLog) {
				t.Fatalf("install: exit %d, want %d and %q in the log\nstdout:\n%s\nstderr:\n%s", res.code, tc.wantCode, tc.wantLog, res.stdout, res.stderr)
			}
			bin := r.outputs["install"]["bin"]
			if tc.wantCode != 0 {
				if bin != "" {
					t.Errorf("a failed install gave the output bin=%s", bin)
				}
				return
			}
			if downloaded := releases.requests.Load() > before; downloaded != tc.wantDownload {
				t.Errorf("downloaded = %v, want %v", downloaded, tc.wantDownload)
			}
			if got := run(t, "", nil, bin, "--version").stdout; !strings.HasPrefix(got, tc.wantVersion) {
				t.Errorf("the installed iacscan prints %q, want %q", got, tc.wantVersion)
			}
			if !tc.cached {
				return
			}
			before = releases.requests.Load()
			again := r.step(0, install)
			if again.code != 0 || !strings.Contains(again.stdout, "from the tool cache") || releases.requests.Load() != before || r.outputs["install"]["bin"] != bin {
				t.Errorf("second install: exit %d, %d requests, bin %s; want the cached %s without a download\n%s%s",
					again.code, releases.requests.Load()-before, r.outputs["install"]["bin"], bin, again.stdout, again.stderr)
			}
		})
	}
}
