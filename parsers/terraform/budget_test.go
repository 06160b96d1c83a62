package terraform

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/budget"
	"github.com/iacscan/iacscan/source"
)

// TestBudgets asserts that each evaluation bomb stops at its budget with a diagnostic at
// the expression, that the value it was computing is Unknown, and that the resource
// beside it is still evaluated.
func TestBudgets(t *testing.T) {
	small := budget.Limits{Values: 1000, StringBytes: 1024, Instances: 50, TotalInstances: 60, Steps: 200}
	tests := []struct {
		name, archive string
		lim           budget.Limits
		want          []string // diagnostics
		unknown       string   // address.attribute that must be Unknown
		resources     int
	}{
		{"setproduct refused before it builds", `
-- main.tf --
locals { p = setproduct(range(100), range(100)) }
resource "aws_s3_bucket" "b" { bucket = "n-${length(local.p)}" }
resource "aws_s3_bucket" "ok" { bucket = "fine" }
`, small, []string{`warning Evaluation budget "values" exceeded@main.tf:1:14-1:25`}, "aws_s3_bucket.b.bucket", 2},
		{"doubling strings", `
-- main.tf --
locals {
  s0 = "0123456789abcdef0123456789abcdef"
  s1 = "${local.s0}${local.s0}"
  s2 = "${local.s1}${local.s1}"
  s3 = "${local.s2}${local.s2}"
  s4 = "${local.s3}${local.s3}"
  s5 = "${local.s4}${local.s4}"
  s6 = "${local.s5}${local.s5}"
}
resource "aws_s3_bucket" "b" { bucket = local.s6 }
resource "aws_s3_bucket" "ok" { bucket = "fine" }
`, small, []string{`warning Evaluation budget "string-bytes" exceeded@main.tf:8:8-8:32`}, "aws_s3_bucket.b.bucket", 2},
		{"format width", `
-- main.tf --
resource "aws_s3_bucket" "b" { bucket = format("%2000000000d", 1) }
`, small, []string{`warning Evaluation budget "string-bytes" exceeded@main.tf:1:41-1:48`}, "aws_s3_bucket.b.bucket", 1},
		{"count over the block budget", `
-- main.tf --
resource "aws_s3_bucket" "b" {
  count  = 51
  bucket = "b-${count.index}"
}
`, small, []string{`warning Evaluation budget "instances" exceeded@main.tf:2:12-2:14`}, "aws_s3_bucket.b.bucket", 1},
		{"nested modules over the total", `
-- main.tf --
module "outer" {
  source = "./outer"
  count  = 40
}
-- outer/main.tf --
module "inner" {
  source = "../inner"
  count  = 40
}
-- inner/main.tf --
resource "aws_s3_bucket" "b" { bucket = "b" }
`, small, []string{`warning Evaluation budget "total-instances" exceeded@outer/main.tf:3:12-3:14`}, "", 1},
		{"steps", `
-- main.tf --
locals { l = [for i in range(300) : upper("x${i}")] }
resource "aws_s3_bucket" "b" { bucket = local.l[0] }
`, small, []string{`warning Evaluation budget "steps" exceeded@main.tf:1:37-1:43`}, "aws_s3_bucket.b.bucket", 1},
		{"values computed once spend their steps again in every instance", `
-- main.tf --
locals { x = "a" }
resource "aws_s3_bucket" "b" {
  count  = 10
  bucket = upper(local.x)
}
`, budget.Limits{Steps: 50}, []string{`warning Evaluation budget "steps" exceeded@main.tf:4:12-4:26`}, "aws_s3_bucket.b[9].bucket", 10},
		{"defaults leave real configurations alone", `
-- main.tf --
locals { p = setproduct(["a", "b"], range(10)) }
resource "aws_s3_bucket" "b" {
  count  = length(local.p)
  bucket = format("%-8s%03d", local.p[count.index][0], local.p[count.index][1])
}
`, budget.Limits{}, nil, "", 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, diags := loadArchive(t, tc.archive, Options{Budget: tc.lim})
			var got []string
			for _, d := range diags {
				got = append(got, fmt.Sprintf("%s %s@%s", d.Severity, d.Summary, at(d.Subject)))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(rs) != tc.resources {
				t.Errorf("%d resources (%s), want %d", len(rs), strings.Join(addresses(rs), ", "), tc.resources)
			}
			if tc.unknown == "" {
				return
			}
			i := strings.LastIndex(tc.unknown, ".")
			if _, v := lookup(resourceAt(t, rs, tc.unknown[:i]).Body, tc.unknown[i+1:]); v == nil || v.Type != graph.Unknown {
				t.Errorf("%s = %s, want Unknown", tc.unknown, describe(v))
			}
		})
	}
}

// panicFS panics on every read, standing in for a bug met while evaluating one module.
type panicFS struct{}

func (panicFS) Open(name string) (fs.File, error) { panic("boom reading " + name) }

// TestPanicCostsOneModule asserts that a panic while evaluating one root module becomes
// an error diagnostic at its first file and that the other root modules' resources are
// still returned.
func TestPanicCostsOneModule(t *testing.T) {
	rs, diags := loadArchive(t, `
-- a/main.tf --
module "m" { source = "./m" }
-- b/main.tf --
resource "aws_s3_bucket" "b" { bucket = "b" }
`, Options{Root: panicFS{}})
	if got := addresses(rs); !slices.Equal(got, []string{"aws_s3_bucket.b"}) {
		t.Errorf("resources %v, want b's", got)
	}
	if len(diags) != 1 || diags[0].Severity != source.Error || diags[0].Subject == nil || diags[0].Subject.Path != "a/main.tf" ||
		!strings.Contains(diags[0].Detail, "boom reading a/m") {
		t.Errorf("diagnostics %v, want one error at a/main.tf", diagnostics(diags))
	}
}
