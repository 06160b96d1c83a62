// Package parsers turns classified files into one resource graph.
package parsers

import (
	"runtime"
	"sync"

	"github.com/iacscan/iacscan/graph"
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

// Parse reads the resources of one file. A parser that panics yields a diagnostic.
func Parse(in Input) (rs []*graph.Resource, diags source.Diagnostics) {
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
	case graph.CloudFormationYAML, graph.CloudFormationJSON:
		return cloudformation.Parse(in.File, in.Format)
	case graph.Serverless:
		return serverless.Parse(in.File)
	}
	return nil, source.Diagnostics{source.Errorf(nil, "%s: unsupported format %v", in.File.Path, in.Format)}
}

// Load parses every input in parallel and links the resources into one graph. Diagnostics
// come back in input order.
func Load(inputs []Input) (*graph.Graph, source.Diagnostics) {
	type result struct {
		rs    []*graph.Resource
		diags source.Diagnostics
	}
	results := make([]result, len(inputs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(inputs), 1)) {
		wg.Go(func() {
			for i := range work {
				rs, diags := Parse(inputs[i])
				results[i] = result{rs, diags}
			}
		})
	}
	for i := range inputs {
		work <- i
	}
	close(work)
	wg.Wait()

	var (
		all   []*graph.Resource
		diags source.Diagnostics
	)
	for _, r := range results {
		all = append(all, r.rs...)
		diags = append(diags, r.diags...)
	}
	return graph.New(all), diags
}
