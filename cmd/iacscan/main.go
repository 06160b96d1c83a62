// Command iacscan finds cloud-security mistakes (public S3 buckets, security groups open to
// the internet, ...) in Terraform, CloudFormation and serverless.yml files before they are
// deployed.
//
// Exit codes: 0 no failing finding, 1 a finding at or above --fail-on, 2 a usage,
// configuration or run error, or an input that could not be read or parsed (unless
// --allow-parse-errors), after every report was written.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/source"
)

// The exit codes, defined here only; commands return an *exitError to choose one.
const (
	codeOK       = 0
	codeFindings = 1
	codeError    = 2
)

// exitError ends a command with an exit code. err, when set, is printed on stderr, and
// hint after it; a command that fails because of findings has nothing more to say.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func main() {
	tuneGC(os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args with the given streams and returns the exit code. It is
// main without the process: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// SIGTERM too: a CI runner cancelling a job sends it, and --fix must then remove its
	// temporary files rather than die between writing one and renaming it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{
		stdin:      stdin,
		stdout:     stdout,
		stderr:     stderr,
		getenv:     os.Getenv,
		isTerminal: isTerminal,
	}
	return a.run(ctx, args)
}

// app is one invocation's environment. Everything a command reads from the process is
// here, so that tests can run commands side by side with their own streams, environment
// and terminal.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func(io.Writer) bool
	// catalog is every rule of the run: the built-in ones, made before any command runs
	// (not for --version or --help), and the custom ones.
	catalog []*rules.Rule
	// rulesDir is --rules-dir; customDir the custom rules directory loaded into catalog,
	// whose problems are ruleDiags.
	rulesDir, customDir string
	ruleDiags           source.Diagnostics
	// progressTicks and now, when set, replace the progress display's clock (ticker,
	// time.Now): tests draw it at will.
	progressTicks func() (<-chan time.Time, func())
	now           func() time.Time
}

func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(withDefaultCommand(root, args))
	return a.exitCode(root.ExecuteContext(ctx))
}

// exitCode maps a command's error to the exit code, printing the error on stderr: the one
// place where errors become exit codes.
func (a *app) exitCode(err error) int {
	if err == nil {
		return codeOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{code: codeError, err: err}
	}
	if ee.err != nil {
		fmt.Fprintf(a.stderr, "iacscan: %v\n", ee.err)
	}
	if ee.hint != "" {
		fmt.Fprintln(a.stderr, ee.hint)
	}
	return ee.code
}

// isTerminal reports whether w is a terminal. A character device is not enough: /dev/null
// is one, and `iacscan > /dev/null` must not get colours or a progress display; term asks
// the terminal driver (isatty), as the peers do.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
