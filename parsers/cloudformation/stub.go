package cloudformation

import (
	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

// Parse is a placeholder until the CloudFormation parser lands.
func Parse(f *source.File, format graph.Format) ([]*graph.Resource, source.Diagnostics) {
	return nil, nil
}
