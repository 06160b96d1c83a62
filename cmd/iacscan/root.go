package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// version is the release version, set by the release build with
// -ldflags "-X main.version=1.2.3".
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
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(usageError)
	root.PersistentFlags().StringVar(&a.rulesDir, "rules-dir", "", "load custom rules from the YAML files of `DIR` (docs/custom-rules.md); default: the configuration's rules-dir")
	root.PersistentPreRun = func(*cobra.Command, []string) { a.addCustomRules(a.rulesDir) }
	root.AddCommand(a.scanCommand(), a.rulesCommand(), a.explainCommand(), a.versionCommand(), a.configCommand())
	return root
}

// withDefaultCommand puts "scan" in front of args unless they start with a command or ask
// for help, so that "iacscan", "iacscan infra/" and "iacscan -f json ." scan.
func withDefaultCommand(root *cobra.Command, args []string) []string {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "--help":
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
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "iacscan %s\n", buildVersion())
			return err
		},
	}
}

// buildVersion is the version set at link time, else the module version `go install`
// recorded, else "dev". It has no leading "v": SARIF wants a version that starts with a
// digit.
func buildVersion() string {
	if version != "" {
		return strings.TrimPrefix(version, "v")
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return strings.TrimPrefix(info.Main.Version, "v")
	}
	return "dev"
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
