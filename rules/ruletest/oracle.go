package ruletest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/detect"
	"github.com/iacscan/iacscan/rules/cases"
)

// Golden is an input of a rule test archive with its .fixed section, both decoded.
type Golden struct {
	Archive, Path string
	Format        graph.Format
	Input, Fixed  []byte
}

func (g Golden) String() string { return g.Archive + ": " + g.Path }

// Goldens returns every input that has a .fixed section in the archives at paths.
func Goldens(t testing.TB, paths ...string) []Golden {
	t.Helper()
	var out []Golden
	for _, path := range paths {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			name, flags := cases.SplitName(f.Name)
			fixed := section(ar, name+FixedSuffix)
			if fixed == nil || isFixed(f) {
				continue
			}
			input := cases.Decode(f.Data, flags)
			out = append(out, Golden{Archive: path, Path: name, Format: detect.Classify(name, input), Input: input, Fixed: cases.Decode(fixed.Data, flags)})
		}
	}
	return out
}

// TerraformFmt checks that every fixed Terraform file is formatted as `terraform fmt`
// wants when its input is: fixes must not leave work for the formatter. It runs terraform
// once over all files, and skips when terraform is not installed.
func TerraformFmt(t *testing.T, goldens []Golden) {
	dir, files := writeGoldens(t, "terraform", goldens, graph.Terraform)
	args := []string{"fmt", "-check", "-list=true"}
	for _, f := range files {
		args = append(args, f.input, f.fixed)
	}
	cmd := exec.Command("terraform", args...)
	cmd.Dir = dir // terraform lists paths relative to its working directory
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	unformatted := map[string]bool{}
	for _, line := range strings.Split(string(output(t, cmd)), "\n") {
		unformatted[line] = true
	}
	for _, f := range files {
		if !unformatted[f.input] && unformatted[f.fixed] {
			t.Errorf("%s: terraform fmt -check passes on the input but not on the fixed file", f.golden)
		}
	}
}

// CFNLint checks that cfn-lint reports no error on a fixed CloudFormation template that it
// does not report on the input, comparing rule codes. It runs cfn-lint once over all
// templates, and skips when cfn-lint is not installed or in -short mode (it is slow).
func CFNLint(t *testing.T, goldens []Golden) {
	if testing.Short() {
		t.Skip("cfn-lint is slow")
	}
	dir, files := writeGoldens(t, "cfn-lint", goldens, graph.CloudFormationYAML, graph.CloudFormationJSON)
	args := []string{"--format", "parseable", "--"}
	for _, f := range files {
		args = append(args, f.input, f.fixed)
	}
	cmd := exec.Command("cfn-lint", args...)
	cmd.Dir = dir
	errs := lintErrors(output(t, cmd))
	for _, f := range files {
		for code := range errs[f.fixed] {
			if !errs[f.input][code] {
				t.Errorf("%s: cfn-lint reports %s on the fixed template, not on the input", f.golden, code)
			}
		}
	}
}

// output runs a checker and returns its standard output. A non-zero exit is how checkers
// say they found something, so only a failure to run is an error.
func output(t *testing.T, cmd *exec.Cmd) []byte {
	t.Helper()
	out, err := cmd.Output()
	if _, found := err.(*exec.ExitError); err != nil && !found {
		t.Fatal(err)
	}
	return out
}

// lintErrors reads cfn-lint's parseable output, "path:line:col:line:col:CODE:message",
// into the error codes (E...) of each file.
func lintErrors(out []byte) map[string]map[string]bool {
	errs := map[string]map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), ":", 7)
		if len(fields) < 7 || !strings.HasPrefix(fields[5], "E") {
			continue
		}
		if errs[fields[0]] == nil {
			errs[fields[0]] = map[string]bool{}
		}
		errs[fields[0]][fields[5]] = true
	}
	return errs
}

// goldenFiles are the paths, relative to the directory writeGoldens returns, that an
// oracle reads a golden's input and fixed file from.
type goldenFiles struct {
	golden       Golden
	input, fixed string
}

// writeGoldens writes the goldens of the given formats to a temporary directory, each file
// under its own base name, and returns the directory and the files. It skips the test when
// tool is not installed or no golden has such a format.
func writeGoldens(t *testing.T, tool string, goldens []Golden, formats ...graph.Format) (string, []goldenFiles) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s is not installed", tool)
	}
	dir := t.TempDir()
	var files []goldenFiles
	for i, g := range goldens {
		if slices.Contains(formats, g.Format) {
			files = append(files, goldenFiles{
				golden: g,
				input:  writeFile(t, dir, filepath.Join(fmt.Sprint(i), "input", filepath.Base(g.Path)), g.Input),
				fixed:  writeFile(t, dir, filepath.Join(fmt.Sprint(i), "fixed", filepath.Base(g.Path)), g.Fixed),
			})
		}
	}
	if len(files) == 0 {
		t.Skip("no golden of these formats")
	}
	return dir, files
}

// writeFile writes data to dir/name and returns name.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
