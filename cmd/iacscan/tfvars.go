package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/source"
)

// terraformFlags are the variable assignments Terraform root modules are evaluated with,
// as `terraform plan` takes them.
type terraformFlags struct {
	varFiles []string // --var-file FILE
	vars     []string // --var NAME=VALUE
}

func (t *terraformFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&t.varFiles, "var-file", nil, "assign Terraform variables from `FILE` (.tfvars or .tfvars.json), after terraform.tfvars and *.auto.tfvars (repeatable)")
	f.StringArrayVar(&t.vars, "var", nil, "assign the Terraform variable `NAME=VALUE`, winning over every other source (repeatable)")
}

// options builds the Terraform evaluation options: the variable files read now, the
// --var assignments, TF_VAR_ variables through getenv (one set to "" counts as unset,
// as getenv cannot tell them apart). The tree file() and templatefile() may read is the
// scanned root, which scan.Run confines them to.
func (t *terraformFlags) options(getenv func(string) string) (terraform.Options, error) {
	opts := terraform.Options{Vars: map[string]string{}, Env: func(name string) (string, bool) {
		v := getenv(name)
		return v, v != ""
	}}
	for _, name := range t.varFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			return opts, fmt.Errorf("--var-file: %w", err)
		}
		opts.VarFiles = append(opts.VarFiles, source.NewFile(name, src))
	}
	for _, arg := range t.vars {
		name, value, ok := strings.Cut(arg, "=")
		if name = strings.TrimSpace(name); !ok || name == "" {
			return opts, fmt.Errorf("--var %q: want NAME=VALUE", arg)
		}
		opts.Vars[name] = value
	}
	return opts, nil
}
