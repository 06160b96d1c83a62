package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/module"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/rules/builtin"
)

// version is the release version, set by the release build with
// -ldflags "-X main.version=1.2.3". Without it, the module version `go install` records
// is used (see versionOf).
var version string

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "iacscan [scan] [PATH...]",
		Short: "Find cloud-security mistakes in Terraform, CloudFormation and serverless.yml",
		Long: `iacscan finds cloud-security mistakes (public S3 buckets, security groups open to
0.0.0.0/0, ...) in Terraform, CloudFormation (YAML and JSON) and serverless.yml files
before they are deployed.

"scan" is the default command: "iacscan infra/" is "iacscan scan infra/". To scan a
directory named like a command, write "iacscan scan rules" or "iacscan ./rules".`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       displayVersion(),
	}
	root.SetVersionTemplate("iacscan {{.Version}}\n")
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(usageError)
	root.PersistentFlags().StringVar(&a.rulesDir, "rules-dir", "", "load custom rules from the YAML files of `DIR` (docs/custom-rules.md); default: the configuration's rules-dir")
	root.PersistentPreRun = func(*cobra.Command, []string) {
		if a.catalog == nil {
			a.catalog = builtin.All()
		}
		a.addCustomRules(a.rulesDir)
	}
	root.AddCommand(a.scanCommand(), a.rulesCommand(), a.explainCommand(), a.versionCommand(), a.configCommand())
	return root
}

// withDefaultCommand puts "scan" in front of args unless they start with a command or ask
// for help, so that "iacscan", "iacscan infra/" and "iacscan -f json ." scan.
func withDefaultCommand(root *cobra.Command, args []string) []string {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "--help", "--version":
			return args
		}
		for _, c := range root.Commands() {
			if c.Name() == args[0] || c.HasAlias(args[0]) {
				return args
			}
		}
	}
	return append([]string{"scan"}, args...)
}

// usageError points a user who mistyped a flag at the command's help.
func usageError(c *cobra.Command, err error) error {
	return &exitError{code: codeError, err: err, hint: fmt.Sprintf("Run '%s --help' for usage.", c.CommandPath())}
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print iacscan's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "iacscan %s\n", displayVersion())
			return err
		},
	}
}

// buildVersion is the version reports carry: without a leading "v", since SARIF wants a
// version that starts with a digit.
func buildVersion() string {
	v, _ := versionOf(version, buildInfo())
	return v
}

// displayVersion is what `iacscan --version` prints: a release as it is tagged ("v1.2.3",
// as `go install ...@v1.2.3` asked for), else "dev" with the commit it was built from
// when the build recorded one.
func displayVersion() string {
	_, v := versionOf(version, buildInfo())
	return v
}

// buildInfo is the binary's build information, parsed once: every command shows the
// version, and every report carries it.
var buildInfo = sync.OnceValue(func() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
})

// versionOf returns the version for reports and for people from the version set at link
// time (linked), else the main module's version in the build info (a `go install` of a
// tagged version records it; a build in a checkout records "(devel)" or, since Go 1.24, a
// pseudo-version or "vX.Y.Z+dirty"), else "dev".
func versionOf(linked string, info *debug.BuildInfo) (report, display string) {
	if linked != "" {
		v := strings.TrimPrefix(linked, "v")
		return v, tagged(v)
	}
	if info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" && !checkoutBuild(info) {
		v := strings.TrimPrefix(info.Main.Version, "v")
		return v, tagged(v)
	}
	display = "dev"
	if rev := setting(info, "vcs.revision"); rev != "" {
		display += " (" + rev[:min(12, len(rev))]
		if setting(info, "vcs.modified") == "true" {
			display += ", modified"
		}
		display += ")"
	}
	return "dev", display
}

// checkoutBuild reports whether info is of a build in a checkout of the repository: Go
// stamps the VCS revision, and a pseudo-version (or one marked +dirty) that names no
// release. `go install ...@<commit>` from the module proxy records no revision and keeps
// its pseudo-version, which does say what was built.
func checkoutBuild(info *debug.BuildInfo) bool {
	v := info.Main.Version
	return setting(info, "vcs.revision") != "" && (strings.HasSuffix(v, "+dirty") || module.IsPseudoVersion(v))
}

// tagged puts back the "v" of a release tag in front of a version that starts with a digit.
func tagged(v string) string {
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return "v" + v
	}
	return v
}

func setting(info *debug.BuildInfo, key string) string {
	if info == nil {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// choice is a flag value restricted to a fixed set of words, so that a typo is a usage
// error when the flags are parsed and the help shows the words.
type choice struct {
	value   string
	allowed []string
}

func newChoice(value string, allowed ...string) *choice {
	return &choice{value: value, allowed: allowed}
}

func (c *choice) String() string { return c.value }
func (c *choice) Type() string   { return strings.Join(c.allowed, "|") }

func (c *choice) Set(s string) error {
	if !slices.Contains(c.allowed, s) {
		return fmt.Errorf("must be one of %s", strings.Join(c.allowed, ", "))
	}
	c.value = s
	return nil
}
