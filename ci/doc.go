// Package ci holds the integration tests of what connects iacscan to CI and is no Go code:
// the GitHub Action (action.yml and the steps in scripts/action.sh), the workflow that
// dogfoods it and the pre-commit hooks (.pre-commit-hooks.yaml). The tests build the real
// binary and run the action's shell steps in a simulated runner, actionlint and pre-commit.
package ci
