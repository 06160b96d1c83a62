package ci

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/iacscan/iacscan/rules"
)

// actionMeta is the part of action.yml the tests read.
type actionMeta struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     any    `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
	With map[string]string `yaml:"with"`
}

func loadAction(t *testing.T) *actionMeta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta actionMeta
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &meta
}

var (
	kebabCase = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	pinnedUse = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}$`)
	inputRef  = regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)
)

// TestActionMetadata checks the promises of action.yml that actionlint does not (it lints
// workflows, and an action's metadata only as far as a workflow uses it).
func TestActionMetadata(t *testing.T) {
	meta := loadAction(t)
	wantInputs := []string{"annotations", "args", "category", "config", "fail-on", "format", "job-summary", "path", "sarif-file", "soft-fail", "upload-sarif", "version"}
	if got := slices.Sorted(maps.Keys(meta.Inputs)); !slices.Equal(got, wantInputs) {
		t.Errorf("inputs = %v, want %v", got, wantInputs)
	}
	for name, in := range meta.Inputs {
		if _, isString := in.Default.(string); !kebabCase.MatchString(name) || in.Description == "" || !isString {
			t.Errorf("input %q: want a kebab-case name, a description and a string default, got default %#v", name, in.Default)
		}
	}
	wantOutputs := []string{"critical", "exit-code", "findings", "high", "low", "medium", "sarif-file"}
	for _, name := range wantOutputs {
		if got, want := meta.Outputs[name].Value, "${{ steps.scan.outputs."+name+" }}"; got != want {
			t.Errorf("output %s = %q, want %q", name, got, want)
		}
	}
	if got := slices.Sorted(maps.Keys(meta.Outputs)); !slices.Equal(got, wantOutputs) {
		t.Errorf("outputs = %v, want %v", got, wantOutputs)
	}
	if meta.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite (Docker actions run on Linux only)", meta.Runs.Using)
	}
	used := map[string]bool{}
	for i, s := range meta.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d interpolates an expression into its script; pass it through env:\n%s", i, s.Run)
		}
		if s.Uses != "" && !pinnedUse.MatchString(s.Uses) {
			t.Errorf("step %d uses %q: pin third-party actions to a full commit SHA", i, s.Uses)
		}
		// The user's job keeps its own Go: no setup action may put one on the PATH.
		if strings.HasPrefix(s.Uses, "actions/setup-go@") || strings.Contains(s.Run, "GITHUB_PATH") {
			t.Errorf("step %d changes the job's toolchain or PATH: %s%s", i, s.Uses, s.Run)
		}
		for _, v := range slices.Concat(slices.Collect(maps.Values(s.Env)), slices.Collect(maps.Values(s.With)), []string{s.If}) {
			for _, m := range inputRef.FindAllStringSubmatch(v, -1) {
				used[m[1]] = true
			}
		}
		if strings.Contains(s.If, "inputs.") {
			for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(s.If, -1) {
				used[m[1]] = true
			}
		}
	}
	for name := range meta.Inputs {
		if !used[name] {
			t.Errorf("input %q is never passed to a step", name)
		}
	}
	checkUploadStep(t, meta.Runs.Steps)
	checkCacheStep(t, meta.Runs.Steps)
}

// checkCacheStep checks that the cache step keeps the directory the install step fills
// (scripts/action.sh: $RUNNER_TOOL_CACHE/iacscan/<version>/<arch>) under a key that names
// the version and the platform, and runs before the install step.
func checkCacheStep(t *testing.T, steps []actionStep) {
	t.Helper()
	const version = "inputs.version || github.action_ref"
	for i, s := range steps {
		if !strings.HasPrefix(s.Uses, "actions/cache@") {
			continue
		}
		if s.With["path"] != "${{ runner.tool_cache }}/iacscan/${{ "+version+" }}" {
			t.Errorf("the cache step's path = %q, want the tool cache directory of the version", s.With["path"])
		}
		if s.With["key"] != "iacscan-${{ "+version+" }}-${{ runner.os }}-${{ runner.arch }}" {
			t.Errorf("the cache step's key = %q, want the version and the platform", s.With["key"])
		}
		if i+1 >= len(steps) || steps[i+1].ID != "install" {
			t.Error("the cache step must come right before the install step")
		}
		return
	}
	t.Error("no actions/cache step")
}

// checkUploadStep checks that the SARIF upload runs even after failing findings, can be
// turned off, is skipped where the token cannot write (pull requests from forks) and
// uploads under the category input.
func checkUploadStep(t *testing.T, steps []actionStep) {
	t.Helper()
	for _, s := range steps {
		if !strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			continue
		}
		for _, want := range []string{"always()", "inputs.upload-sarif == 'true'", "steps.scan.outputs.sarif-file != ''", "github.event.pull_request.head.repo.full_name == github.repository"} {
			if !strings.Contains(s.If, want) {
				t.Errorf("the upload step's if: lacks %q: %s", want, s.If)
			}
		}
		if s.With["sarif_file"] != "${{ steps.scan.outputs.sarif-file }}" || s.With["category"] != "${{ inputs.category }}" {
			t.Errorf("the upload step's with: = %v", s.With)
		}
		return
	}
	t.Error("no github/codeql-action/upload-sarif step")
}

// actionRunner runs the run: steps of action.yml the way the Actions runner does for a
// composite action: each in bash with its env: evaluated, its own GITHUB_OUTPUT file and
// the working directory at GITHUB_WORKSPACE. uses: steps need GitHub and are skipped: the
// upload because nothing can receive it (TestActionMetadata checks its condition). Releases
// come from the fake release server the tests start (IACSCAN_RELEASE_URL). A failing step
// ends the action.
type actionRunner struct {
	t         *testing.T
	meta      *actionMeta
	workspace string
	temp      string
	toolCache string // RUNNER_TOOL_CACHE: a runner's, kept between jobs
	summary   string // the GITHUB_STEP_SUMMARY file
	ref       string // github.action_ref
	releases  string // IACSCAN_RELEASE_URL
	inputs    map[string]string
	outputs   map[string]map[string]string // step id -> outputs
}

// actionRef is the ref the simulated workflow uses the action at: a release tag.
const actionRef = "v1.2.3"

func newActionRunner(t *testing.T, meta *actionMeta, workspace string, inputs map[string]string) *actionRunner {
	t.Helper()
	r := &actionRunner{t: t, meta: meta, workspace: workspace, temp: t.TempDir(), toolCache: t.TempDir(), ref: actionRef,
		releases: fakeReleases(t).URL, inputs: map[string]string{}, outputs: map[string]map[string]string{}}
	for name, in := range meta.Inputs {
		r.inputs[name], _ = in.Default.(string)
	}
	for name, v := range inputs {
		if _, ok := meta.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		r.inputs[name] = v
	}
	r.summary = filepath.Join(r.temp, "step_summary.md")
	if err := os.WriteFile(r.summary, []byte("previous step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

// actionRun is the outcome of the action: the last step run, its result and the action's
// outputs.
type actionRun struct {
	result
	step    string
	outputs map[string]string
}

func (r *actionRunner) run() actionRun {
	var (
		last result
		id   string
	)
	for i, s := range r.meta.Runs.Steps {
		if s.Run == "" {
			continue
		}
		last, id = r.step(i, s), s.ID
		if last.code != 0 {
			break
		}
	}
	outs := map[string]string{}
	for name, o := range r.meta.Outputs {
		outs[name] = r.eval(o.Value)
	}
	return actionRun{result: last, step: id, outputs: outs}
}

func (r *actionRunner) step(i int, s actionStep) result {
	t := r.t
	dir := filepath.Join(r.temp, "step"+strconv.Itoa(i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script, output := filepath.Join(dir, "script.sh"), filepath.Join(dir, "output")
	for _, f := range []struct{ path, data string }{{script, s.Run}, {output, ""}} {
		if err := os.WriteFile(f.path, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(),
		"GITHUB_ACTIONS=true", "GITHUB_WORKSPACE="+r.workspace, "GITHUB_ACTION_PATH="+root,
		"GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+r.summary, "RUNNER_TEMP="+r.temp,
		"GITHUB_PATH="+filepath.Join(dir, "path"), "GITHUB_ENV="+filepath.Join(dir, "env"),
		"RUNNER_OS="+runnerOS(), "RUNNER_ARCH="+runnerArch(), "RUNNER_TOOL_CACHE="+r.toolCache,
		"IACSCAN_RELEASE_URL="+r.releases)
	for name, v := range s.Env {
		env = append(env, name+"="+r.eval(v))
	}
	res := run(t, r.workspace, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	// What a step writes to GITHUB_PATH or GITHUB_ENV changes the user's later steps: the
	// action must not touch the job's PATH (its Go) or environment.
	for _, f := range []string{"path", "env"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("step %d wrote GITHUB_%s", i, strings.ToUpper(f))
		}
	}
	data, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	for line := range strings.Lines(string(data)) {
		if name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "="); ok {
			outs[name] = value
		}
	}
	if s.ID != "" {
		r.outputs[s.ID] = outs
	}
	return res
}

var expression = regexp.MustCompile(`^\$\{\{\s*(\S+)\s*\}\}$`)

// eval evaluates the expressions action.yml passes to run: steps and outputs; anything
// else is a change to action.yml this runner must learn about.
func (r *actionRunner) eval(v string) string {
	m := expression.FindStringSubmatch(v)
	if m == nil {
		if strings.Contains(v, "${{") {
			r.t.Fatalf("cannot evaluate %q", v)
		}
		return v
	}
	parts := strings.Split(m[1], ".")
	switch {
	case len(parts) == 2 && parts[0] == "inputs":
		return r.inputs[parts[1]]
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		return r.outputs[parts[1]][parts[3]]
	case m[1] == "github.action_ref":
		return r.ref
	case m[1] == "github.action_repository":
		return "iacscan/iacscan"
	}
	r.t.Fatalf("cannot evaluate %q", v)
	return ""
}

func TestActionSteps(t *testing.T) {
	meta := loadAction(t)
	tests := []struct {
		name   string
		inputs map[string]string
		// What the scan should look like, computed by running the action's binary directly.
		threshold         rules.Severity
		countArgs         []string
		wantCode          int
		wantExitCode      string
		wantSARIF         string
		wantAnnotations   bool
		wantSummary       bool
		wantStdoutContain string
	}{
		{name: "defaults", inputs: map[string]string{"path": "infra"},
			threshold: rules.Low, wantCode: 1, wantExitCode: "1", wantSARIF: "iacscan.sarif", wantAnnotations: true, wantSummary: true,
			wantStdoutContain: "infra/main.tf:3:12: critical AWS-S3-001"},
		{name: "soft-fail", inputs: map[string]string{"path": "infra", "soft-fail": "true", "format": ""},
			threshold: rules.Low, wantCode: 0, wantExitCode: "1", wantSARIF: "iacscan.sarif", wantAnnotations: true, wantSummary: true},
		{name: "fail-on critical", inputs: map[string]string{"path": "infra", "fail-on": "CRITICAL", "format": "", "sarif-file": "out/x.sarif"},
			threshold: rules.Critical, wantCode: 1, wantExitCode: "1", wantSARIF: "out/x.sarif", wantAnnotations: true, wantSummary: true},
		{name: "args select rules that find nothing", inputs: map[string]string{"path": "infra", "args": "--rules AWS-EC2-003  --skip-rules AWS-S3-001", "format": ""},
			threshold: rules.Low, countArgs: []string{"--rules", "AWS-EC2-003"}, wantCode: 0, wantExitCode: "0", wantSARIF: "iacscan.sarif", wantAnnotations: true, wantSummary: true},
		{name: "reports off", inputs: map[string]string{"path": "infra", "format": "", "sarif-file": "", "annotations": "false", "job-summary": "false"},
			threshold: rules.Low, wantCode: 1, wantExitCode: "1"},
		{name: "string boolean", inputs: map[string]string{"soft-fail": "yes"},
			wantCode: 2, wantStdoutContain: "::error title=iacscan action::input soft-fail must be 'true' or 'false', got 'yes'"},
		{name: "upload-sarif boolean", inputs: map[string]string{"upload-sarif": "True"},
			wantCode: 2, wantStdoutContain: "::error title=iacscan action::input upload-sarif must be 'true' or 'false', got 'True'"},
		{name: "inputs are not shell", inputs: map[string]string{"path": "$(touch pwned)", "args": "`touch pwned` ;touch pwned"},
			wantCode: 2, wantExitCode: "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each case has its own workspace, runner directories and tool cache
			workspace := t.TempDir()
			copyDir(t, filepath.Join("testdata", "workspace"), workspace)
			runner := newActionRunner(t, meta, workspace, tc.inputs)
			got := runner.run()
			if got.step != "scan" || got.code != tc.wantCode {
				t.Fatalf("step %q exited with %d, want step scan with %d\nstdout:\n%s\nstderr:\n%s", got.step, got.code, tc.wantCode, got.stdout, got.stderr)
			}
			if !strings.Contains(got.stdout, tc.wantStdoutContain) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdoutContain, got.stdout)
			}
			if _, err := os.Stat(filepath.Join(workspace, "pwned")); err == nil {
				t.Error("an input ran as shell code")
			}
			if tc.wantCode == 2 && tc.wantExitCode == "" {
				return // rejected before iacscan ran
			}
			bin := runner.outputs["install"]["bin"]
			checkVersion(t, bin)
			wantOutputs := map[string]string{"sarif-file": tc.wantSARIF, "exit-code": tc.wantExitCode,
				"findings": "", "critical": "", "high": "", "medium": "", "low": ""}
			if tc.wantCode != 2 {
				for name, n := range countFindings(t, bin, workspace, "infra", tc.threshold, tc.countArgs...) {
					wantOutputs[name] = strconv.Itoa(n)
				}
			}
			if !maps.Equal(got.outputs, wantOutputs) {
				t.Errorf("outputs = %v, want %v", got.outputs, wantOutputs)
			}
			checkReports(t, runner, got, bin, tc.inputs["args"], tc.wantSARIF, tc.wantAnnotations, tc.wantSummary)
		})
	}
}

// checkReports compares the annotations in the log and the job summary with what the
// binary writes itself, and checks that the SARIF file is there when expected.
func checkReports(t *testing.T, r *actionRunner, got actionRun, bin, args, sarif string, annotations, summary bool) {
	t.Helper()
	scan := func(format string) string {
		return run(t, r.workspace, nil, bin, append(append([]string{"scan", "-q", "-f", format}, strings.Fields(args)...), "infra")...).stdout
	}
	wantLog := ""
	if annotations {
		wantLog = scan("github")
	}
	if !strings.HasSuffix(got.stdout, wantLog) || (r.inputs["format"] == "" && got.stdout != wantLog) {
		t.Errorf("log:\n%s\nwant it to end with the annotations:\n%s", got.stdout, wantLog)
	}
	wantSummary := "previous step\n"
	if summary {
		wantSummary += scan("markdown")
	}
	if data, err := os.ReadFile(r.summary); err != nil || string(data) != wantSummary {
		t.Errorf("job summary (%v):\n%s\nwant:\n%s", err, data, wantSummary)
	}
	if sarif != "" {
		if _, err := os.Stat(filepath.Join(r.workspace, sarif)); err != nil {
			t.Errorf("no SARIF report: %v", err)
		}
	}
}

// checkVersion checks that the binary built from a release tag of the action reports that
// version (SARIF semanticVersion comes from it).
func checkVersion(t *testing.T, bin string) {
	t.Helper()
	if r := run(t, "", nil, bin, "version"); strings.TrimSpace(r.stdout) != "iacscan v1.2.3" {
		t.Errorf("iacscan version = %q, want iacscan v1.2.3", r.stdout)
	}
}
