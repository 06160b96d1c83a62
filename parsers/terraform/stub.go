package terraform

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// Parse is a placeholder until the Terraform parser lands.
func Parse(f *source.File) ([]*graph.Resource, source.Diagnostics) { return nil, nil }

// ParseJSON is a placeholder until the Terraform JSON parser lands.
func ParseJSON(f *source.File) ([]*graph.Resource, source.Diagnostics) { return nil, nil }
