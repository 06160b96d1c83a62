package ci

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// releaseTargets are the platforms every release has a binary for.
var releaseTargets = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

// TestReleaseConfiguration checks what a tag push relies on without running it: the
// workflow triggers on version tags, builds with scripts/release.sh, whose default targets
// are every release target, publishes with the checksums, and the Dockerfile builds a
// static binary on a static base as a non-root user. (The workflow itself is linted by
// TestActionlint.)
func TestReleaseConfiguration(t *testing.T) {
	var wf struct {
		On struct {
			Push struct {
				Tags []string `yaml:"tags"`
			} `yaml:"push"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []actionStep      `yaml:"steps"`
		} `yaml:"jobs"`
	}
	data := readRepoFile(t, ".github/workflows/release.yml")
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(wf.On.Push.Tags, []string{"v[0-9]*"}) {
		t.Errorf("on.push.tags = %q, want the version tags v[0-9]*", wf.On.Push.Tags)
	}
	job, ok := wf.Jobs["release"]
	if !ok {
		t.Fatal("no release job")
	}
	if job.Permissions["contents"] != "write" || job.Permissions["packages"] != "write" {
		t.Errorf("permissions = %v, want contents and packages: write", job.Permissions)
	}
	var script string
	for _, s := range job.Steps {
		if s.Uses != "" && !pinnedUse.MatchString(s.Uses) {
			t.Errorf("step uses %q: pin actions to a full commit SHA", s.Uses)
		}
		script += s.Run + "\n"
	}
	for _, want := range []string{`make test`, `scripts/release.sh "$TAG" dist`, `gh release create "$TAG" dist/*`, `--platform linux/amd64,linux/arm64`} {
		if !strings.Contains(script, want) {
			t.Errorf("the release job does not run %q", want)
		}
	}

	m := regexp.MustCompile(`targets="\$\{TARGETS:-([^}]*)\}"`).FindSubmatch(readRepoFile(t, "scripts/release.sh"))
	if m == nil || !slices.Equal(strings.Fields(string(m[1])), releaseTargets) {
		t.Errorf("scripts/release.sh default targets = %q, want %q", m, releaseTargets)
	}

	docker := string(readRepoFile(t, "Dockerfile"))
	froms := regexp.MustCompile(`(?m)^FROM[ \t]+(\S+)`).FindAllStringSubmatch(docker, -1)
	if len(froms) < 2 || !strings.HasPrefix(froms[len(froms)-1][1], "gcr.io/distroless/static") {
		t.Errorf("the final image is %q, want a distroless static base", froms)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=${VERSION}"} {
		if !strings.Contains(docker, want) {
			t.Errorf("the Dockerfile does not build with %s", want)
		}
	}
	if user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(docker); user == nil || strings.HasPrefix(user[1], "0") || strings.HasPrefix(user[1], "root") {
		t.Errorf("USER = %q, want a non-root user", user)
	}
}

// TestReleaseScript builds the release assets of the host and of windows/amd64 (the zip
// path): each archive holds the binary and the license, the checksum file verifies every
// archive, and the host binary reports the tag. It cross-compiles, so it runs only in
// make test-long.
func TestReleaseScript(t *testing.T) {
	skipIfShort(t)
	const tag = "v1.2.3-rc.1"
	host := runtime.GOOS + "/" + runtime.GOARCH
	out := t.TempDir()
	env := append(os.Environ(), "TARGETS="+host+" windows/amd64")
	if r := run(t, repoRoot, env, "bash", "scripts/release.sh", tag, out); r.code != 0 {
		t.Fatalf("release.sh: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sums := readChecksums(t, filepath.Join(out, "iacscan_"+tag+"_checksums.txt"))
	hostArchive := "iacscan_" + tag + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	if runtime.GOOS == "windows" {
		hostArchive = strings.TrimSuffix(hostArchive, ".tar.gz") + ".zip"
	}
	want := []string{hostArchive, "iacscan_" + tag + "_windows_amd64.zip"}
	if got := slices.Sorted(maps.Keys(sums)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Fatalf("checksums list %q, want %q", got, want)
	}
	if r := run(t, out, nil, "sha256sum", "-c", "iacscan_"+tag+"_checksums.txt"); r.code != 0 {
		t.Errorf("sha256sum -c: %s%s", r.stdout, r.stderr)
	}
	files := zipFiles(t, filepath.Join(out, "iacscan_"+tag+"_windows_amd64.zip"))
	if !slices.Contains(files, "iacscan.exe") || !slices.Contains(files, "LICENSE") {
		t.Errorf("the windows archive holds %q, want iacscan.exe and LICENSE", files)
	}
	if runtime.GOOS == "windows" {
		return
	}
	bin := extractTarFile(t, filepath.Join(out, hostArchive), "iacscan")
	if r := run(t, "", nil, bin, "--version"); r.stdout != "iacscan "+tag+"\n" {
		t.Errorf("the released binary prints %q, want %q", r.stdout, "iacscan "+tag+"\n")
	}
	if r := run(t, "", nil, "go", "version", "-m", bin); !strings.Contains(r.stdout, "CGO_ENABLED=0") || !strings.Contains(r.stdout, "-trimpath=true") {
		t.Errorf("the released binary is not a static -trimpath build:\n%s", r.stdout)
	}
}

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readChecksums reads "<sha256>  <file>" lines.
func readChecksums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("checksum line %q", sc.Text())
		}
		sums[name] = sum
	}
	return sums
}

func zipFiles(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

// extractTarFile writes the file name of the .tar.gz archive into a temporary directory
// and returns its path.
func extractTarFile(t *testing.T, archive, name string) string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not in %s: %v", name, archive, err)
		}
		if h.Name != name {
			continue
		}
		dst := filepath.Join(t.TempDir(), name)
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o755)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, tr); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		return dst
	}
}
