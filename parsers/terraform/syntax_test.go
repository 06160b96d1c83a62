package terraform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iacscan/iacscan/source"
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
  p = [for s in var.l : s.x if s.on && var.on]
  q = { for k, v in var.m : k => [for x in v : x if k != local.skip] }
  r = [for aws_s3_bucket in var.l : aws_s3_bucket.id]
  s = aws_s3_bucket.b[0].id
  u = [for i, b in aws_s3_bucket.b : b.arn if aws_s3_bucket.c[i].id != ""]
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
			if got, want := f.vars, e.Variables(); !reflect.DeepEqual(got, want) {
				t.Errorf("traversals %v, want %v", got, want)
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

// TestUnknownDynamicIterator: the content of a dynamic block whose for_each is not known
// is converted as written: what reads the iterator stays Unknown, the rest is known.
func TestUnknownDynamicIterator(t *testing.T) {
	src := `variable "rules" {}

resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      description = "rule ${ingress.key}"
      protocol    = "tcp"
      cidr_blocks = [lookup(ingress.value, "cidr", "10.0.0.0/8")]
    }
  }
}
`
	rs, diags := LoadModules([]*source.File{source.NewFile("main.tf", []byte(src))}, Options{})
	if len(diags) > 0 || len(rs) != 1 {
		t.Fatalf("%d resources, diagnostics %v", len(rs), diags)
	}
	for path, want := range map[string]string{
		"dynamic.content.from_port":   "unknown",
		"dynamic.content.description": "unknown",
		"dynamic.content.protocol":    `string "tcp"`,
		"dynamic.content.cidr_blocks": "list",
	} {
		_, v := lookup(rs[0].Body, path)
		if v == nil {
			t.Errorf("%s: missing", path)
			continue
		}
		if got := describe(v); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}
	_, cidrs := lookup(rs[0].Body, "dynamic.content.cidr_blocks")
	if cidrs != nil && (len(cidrs.Items) != 1 || describe(cidrs.Items[0]) != "unknown") {
		t.Errorf("cidr_blocks items %v, want one unknown", cidrs.Items)
	}
}
