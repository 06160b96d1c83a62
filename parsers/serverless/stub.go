package serverless

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// Parse is a placeholder until the serverless parser lands.
func Parse(f *source.File) ([]*graph.Resource, source.Diagnostics) { return nil, nil }
