package main

import (
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iacscan/iacscan/parsers"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/serverless"
)

// evaluationFlags are the deploy-time inputs of CloudFormation templates and
// serverless.yml files, as given.
type evaluationFlags struct {
	cfnParams     []string // --cfn-param K=V
	cfnParamFiles []string // --cfn-params FILE
	slsOpts       []string // --sls-opt K=V
}

func (e *evaluationFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&e.cfnParams, "cfn-param", nil, "CloudFormation parameter override `KEY=VALUE`, as for aws cloudformation deploy --parameter-overrides (repeatable; wins over --cfn-params)")
	f.StringArrayVar(&e.cfnParamFiles, "cfn-params", nil, "read CloudFormation parameter overrides from `FILE`: KEY=VALUE entries, or the JSON [{\"ParameterKey\": …, \"ParameterValue\": …}] list (repeatable)")
	f.StringArrayVar(&e.slsOpts, "sls-opt", nil, "serverless option `NAME=VALUE` that ${opt:NAME} reads, such as stage=prod (repeatable)")
}

// options builds the parsers' options: parameter overrides from the files in order, then
// from --cfn-param; serverless options, the environment getenv reads (a variable set to
// "" counts as unset, so that its fallback applies) and the working directory as the tree
// ${file(...)} may read, symbolic links leading out of it refused.
func (e *evaluationFlags) options(getenv func(string) string) (parsers.Options, error) {
	params, from := map[string]string{}, map[string]string{} // from: the file an override came from
	for _, name := range e.cfnParamFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return parsers.Options{}, fmt.Errorf("--cfn-params: %w", err)
		}
		m, err := cloudformation.ParseOverrides(data)
		if err != nil {
			return parsers.Options{}, fmt.Errorf("--cfn-params %s: %w", name, err)
		}
		maps.Copy(params, m)
		for k := range m {
			from[k] = name
		}
	}
	if err := addPairs(params, e.cfnParams, "--cfn-param"); err != nil {
		return parsers.Options{}, err
	}
	for _, arg := range e.cfnParams {
		if k, _, err := cloudformation.ParseOverride(arg); err == nil {
			delete(from, strings.TrimSpace(k)) // the command line wins over the files
		}
	}
	opts := map[string]string{}
	if err := addPairs(opts, e.slsOpts, "--sls-opt"); err != nil {
		return parsers.Options{}, err
	}
	sls := serverless.Options{Opts: opts, Env: func(name string) (string, bool) {
		v := getenv(name)
		return v, v != ""
	}}
	return parsers.Options{CloudFormation: cloudformation.Options{Params: params, ParamFiles: from}, Serverless: sls}, nil
}

// addPairs adds KEY=VALUE arguments to m.
func addPairs(m map[string]string, args []string, flag string) error {
	for _, arg := range args {
		k, v, err := cloudformation.ParseOverride(arg)
		if err != nil {
			return fmt.Errorf("%s: %w", flag, err)
		}
		m[strings.TrimSpace(k)] = v
	}
	return nil
}
