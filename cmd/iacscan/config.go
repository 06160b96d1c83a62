package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/config"
)

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check or create the configuration file (.iacscan.yaml)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.configValidateCommand(), a.configInitCommand())
	return cmd
}

func (a *app) configValidateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check a configuration file against the schema and the rule catalog",
		Long: `Check a configuration file against the schema and the rule catalog. Every problem is
printed as FILE:LINE:COLUMN: message; the exit code is 2 when there is any. Without FILE,
the .iacscan.yaml that a scan of the current directory would use is checked.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := configToValidate(args)
			if err != nil {
				return err
			}
			_, err = config.Load(name, a.catalog)
			var errs config.Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					fmt.Fprintln(a.stderr, e.Error())
				}
				return &exitError{code: codeError, err: fmt.Errorf("%s: %s", name, pluralize(len(errs), "problem"))}
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: valid\n", name)
			return err
		},
	}
}

func configToValidate(args []string) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	found, err := config.Find(".")
	if err == nil && found == "" {
		err = fmt.Errorf("no %s in this directory or above it", config.FileNames[0])
	}
	return found, err
}

func (a *app) configInitCommand() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented default configuration (FILE defaults to .iacscan.yaml; - for stdout)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := config.FileNames[0]
			if len(args) == 1 {
				name = args[0]
			}
			text, err := config.Template(a.catalog)
			if err != nil {
				return err
			}
			if name == "-" {
				_, err = cmd.OutOrStdout().Write(text)
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			if err := writeNew(name, text, flags); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("%s exists; use --force to overwrite it", name)
				}
				return err
			}
			fmt.Fprintf(a.stderr, "iacscan: wrote %s\n", name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func writeNew(name string, data []byte, flags int) error {
	f, err := os.OpenFile(name, flags, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
