package terraform

import (
	"github.com/iacscan/iacscan/graph"
)

// provider converts a `provider "aws"` block into a resource of kind graph.AWSProvider,
// so that rules can read the provider's settings (its region) as they read a resource's.
// Its address is "provider.aws", or "provider.aws.<alias>" for an aliased configuration,
// as Terraform names them; in a module the module path comes first.
// A block with a syntax error in it is left out, as a resource's is: nil.
func (l *loader) provider(fb fileBlock, ev *evaluator, mc *call) *graph.Resource {
	c := ev.converter(fb.pf)
	if c.broken(c.rng(fb.whole())) {
		return nil
	}
	body := c.blockBody(fb)
	address := "provider.aws"
	if a := body.Get("alias"); a != nil {
		if alias, ok := a.Value.AsString(); ok && alias != "" {
			address += "." + alias
		}
	}
	l.diags = append(l.diags, c.diags...)
	c.diags = nil
	return &graph.Resource{
		ID:         graph.ID{Path: fb.pf.f.Path, Address: ev.prefix + address},
		Kind:       graph.AWSProvider,
		Native:     "aws",
		Format:     fb.pf.format,
		Scope:      mc.root,
		Name:       "aws",
		Range:      c.rng(fb.whole()),
		Header:     c.rng(fb.header()),
		Body:       body,
		CalledFrom: mc.calledFrom,
	}
}
