// Package parsers turns classified files into one resource graph.
package parsers

import (
	"slices"
	"strings"
	"sync"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/internal/workers"
	"github.com/iacscan/iacscan/parsers/cloudformation"
	"github.com/iacscan/iacscan/parsers/serverless"
	"github.com/iacscan/iacscan/parsers/terraform"
	"github.com/iacscan/iacscan/source"
)

// Input is a file with its format, as classified by detect.Classify.
type Input struct {
	File   *source.File
	Format graph.Format
}

// Options are the deploy-time inputs files are evaluated with. Each parser's block is
// its own; the zero value evaluates with defaults only.
type Options struct {
	// CloudFormation has the parameter overrides (--cfn-param, --cfn-params).
	CloudFormation cloudformation.Options
	// Serverless has the options (--sls-opt), environment and file tree that serverless
	// variables read.
	Serverless serverless.Options
	// Terraform has the variable assignments (--var, --var-file, TF_VAR_*) and the file
	// tree file() and templatefile() read.
	Terraform terraform.Options
	// Progress, when set, is told as LoadWith goes how many more files it parsed and how
	// many resources they held (a Terraform module's files at once, when evaluated). It
	// may be called from several goroutines at a time.
	Progress func(files, resources int)
}

// Parse reads the resources of one file with the zero Options.
func Parse(in Input) ([]*graph.Resource, source.Diagnostics) { return ParseWith(in, Options{}) }

// ParseWith reads the resources of one file evaluated with opts. A parser that panics
// yields a diagnostic.
func ParseWith(in Input, opts Options) (rs []*graph.Resource, diags source.Diagnostics) {
	defer func() {
		if p := recover(); p != nil {
			rs = nil
			r := in.File.Range(0, 0)
			diags = append(diags, source.Errorf(&r, "internal parser error: %v", p))
		}
	}()
	switch in.Format {
	case graph.Terraform:
		return terraform.Parse(in.File)
	case graph.TerraformJSON:
		return terraform.ParseJSON(in.File)
	case graph.TerraformPlan:
		return terraform.ParsePlan(in.File)
	case graph.CloudFormationYAML, graph.CloudFormationJSON:
		return cloudformation.ParseWith(in.File, in.Format, opts.CloudFormation)
	case graph.Serverless:
		return serverless.ParseWith(in.File, opts.Serverless)
	}
	return nil, source.Diagnostics{source.Errorf(nil, "%s: unsupported format %v", in.File.Path, in.Format)}
}

// Load parses every input with the zero Options, as LoadWith does.
func Load(inputs []Input) (*graph.Graph, source.Diagnostics) { return LoadWith(inputs, Options{}) }

// LoadWith parses every input in parallel with opts and links the resources into one
// graph. Terraform files are evaluated module by module (terraform.LoadModules) while the
// others parse. Diagnostics come back in input order, the Terraform modules' last.
func LoadWith(inputs []Input, opts Options) (*graph.Graph, source.Diagnostics) {
	type result struct {
		rs    []*graph.Resource
		diags source.Diagnostics
	}
	results := make([]result, len(inputs))
	var alone []int // the inputs parsed on their own, not evaluated as Terraform modules
	for i, in := range inputs {
		if !evaluated(in) {
			alone = append(alone, i)
		}
	}
	var wg sync.WaitGroup
	var modules result
	wg.Go(func() {
		modules.rs, modules.diags = loadTerraform(inputs, opts.Terraform)
		if opts.Progress != nil {
			opts.Progress(len(inputs)-countParsedAlone(inputs), len(modules.rs))
		}
	})
	workers.Each(len(alone), func(k int) {
		i := alone[k]
		rs, diags := ParseWith(inputs[i], opts)
		results[i] = result{rs, diags}
		if opts.Progress != nil {
			opts.Progress(1, len(rs))
		}
	})
	wg.Wait()

	var (
		all   []*graph.Resource
		diags source.Diagnostics
	)
	for _, r := range append(results, modules) {
		all = append(all, r.rs...)
		diags = append(diags, r.diags...)
	}
	return graph.New(withoutModuleSources(all)), unique(diags)
}

// countParsedAlone counts the inputs parsed one by one, not as part of a module.
func countParsedAlone(inputs []Input) int {
	n := 0
	for _, in := range inputs {
		if !evaluated(in) {
			n++
		}
	}
	return n
}

// evaluated reports whether an input is read as part of its Terraform module: the
// configuration files of either syntax (.tf, .tf.json), which Terraform reads as one
// module, the variable files (.tfvars, .tfvars.json) a root module reads by name, and the
// plans (terraform show -json) that complete the evaluation of the module they were made in.
func evaluated(in Input) bool {
	return in.Format == graph.Terraform || in.Format == graph.TerraformPlan || in.Format == graph.TerraformJSON &&
		(strings.HasSuffix(in.File.Path, ".tf.json") || strings.HasSuffix(in.File.Path, ".tfvars.json"))
}

// loadTerraform evaluates the Terraform modules among inputs. A panic yields a
// diagnostic, as ParseWith's do.
func loadTerraform(inputs []Input, opts terraform.Options) (rs []*graph.Resource, diags source.Diagnostics) {
	var files []*source.File
	for _, in := range inputs {
		switch {
		case in.Format == graph.TerraformPlan:
			opts.Plans = append(opts.Plans, in.File) // they complete the modules they were made in
		case evaluated(in):
			files = append(files, in.File)
		}
	}
	if len(files) == 0 && len(opts.Plans) == 0 {
		return nil, nil
	}
	defer func() {
		if p := recover(); p != nil {
			rs, diags = nil, source.Diagnostics{source.Errorf(nil, "internal error evaluating Terraform modules: %v", p)}
		}
	}()
	return terraform.LoadModules(files, opts)
}

// withoutModuleSources drops the resources a CloudFormation rain module file declares on
// its own when a template of the scan expands the module: the expanded resources, located
// in the module file, are what gets deployed, and the module alone would give its
// findings a second time.
func withoutModuleSources(rs []*graph.Resource) []*graph.Resource {
	expanded := map[string]bool{}
	for _, r := range rs {
		if !r.Format.IsTerraform() && len(r.CalledFrom) > 0 {
			expanded[r.ID.Path] = true
		}
	}
	if len(expanded) == 0 {
		return rs
	}
	return slices.DeleteFunc(rs, func(r *graph.Resource) bool {
		return expanded[r.ID.Path] && len(r.CalledFrom) == 0 && !r.Format.IsTerraform()
	})
}

// unique drops repeated diagnostics: a CloudFormation rain module read for each template
// that calls it reports its problems once.
func unique(diags source.Diagnostics) source.Diagnostics {
	type key struct {
		summary, detail string
		at              source.Range
	}
	seen := map[key]bool{}
	return slices.DeleteFunc(diags, func(d source.Diagnostic) bool {
		k := key{d.Summary, d.Detail, source.Range{}}
		if d.Subject != nil {
			k.at = *d.Subject
		}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}
