package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestFacts: the one walk of newFacts says what forDepth, transparent, evaluable and
// Variables say, for every expression of a configuration that has each kind.
func TestFacts(t *testing.T) {
	src := `
locals {
  a = var.x
  b = [var.x, { k = var.y }]
  c = "${var.x}"
  d = "pre-${var.x}"
  e = upper(var.x)
  f = [for s in var.l : s]
  g = flatten([for a in var.l : [for b in a : b]])
  h = [for a in var.l : [for b in a : [for c in b : c]]]
  i = var.on ? data.aws_caller_identity.current.id : null
  j = aws_s3_bucket.b[each.key].arn
  k = 1 + count.index
  l = (var.x)
  m = { for k, v in var.m : k => v }
  n = var.list[*].id
  o = 3
}`
	file, diags := hclsyntax.ParseConfig([]byte(src), "t.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := &syntaxFacts{}
	for name, a := range file.Body.(*hclsyntax.Body).Blocks[0].Body.Attributes {
		t.Run(name, func(t *testing.T) {
			e := a.Expr
			f := s.of(e)
			if _, cached := s.m.Load(e); !cached && !leaf(e) {
				t.Error("facts not kept")
			}
			if f.depth != forDepth(e) || f.transparent != transparent(e) || f.evaluable != evaluable(e) {
				t.Errorf("facts depth %d transparent %v evaluable %v; want %d %v %v",
					f.depth, f.transparent, f.evaluable, forDepth(e), transparent(e), evaluable(e))
			}
			if got, want := len(f.vars), len(e.Variables()); got != want {
				t.Errorf("%d traversals, want %d", got, want)
			}
		})
	}
}

func leaf(e hclsyntax.Expression) bool {
	switch e.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		return true
	}
	return false
}
