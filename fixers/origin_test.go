package fixers

import (
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/source"
)

func TestDescribeOrigin(t *testing.T) {
	at := func(line int) source.Range {
		return source.Range{Path: "main.tf", Start: source.Pos{Line: line, Column: 3}}
	}
	def, local := at(2), at(5)
	trace := []graph.Step{{Range: def, What: "var.cidr default"}, {Range: local, What: "local.open"}}
	tests := []struct {
		name string
		v    *graph.Value
		want string
	}{
		{"named by the trace step at the origin",
			&graph.Value{Type: graph.String, Str: "0.0.0.0/0", Origin: &def, Trace: trace},
			`"0.0.0.0/0" comes from var.cidr default, at main.tf:2:3; change it there`},
		{"a computed origin further down the trace",
			&graph.Value{Type: graph.String, Str: "0.0.0.0/0", Origin: &local, Trace: trace},
			`"0.0.0.0/0" comes from local.open, at main.tf:5:3; change it there`},
		{"named by its one reference without a trace",
			&graph.Value{Type: graph.String, Str: "0.0.0.0/0", Origin: &def, Refs: []*graph.Ref{{Address: "AnyCidr"}}},
			`"0.0.0.0/0" comes from AnyCidr, at main.tf:2:3; change it there`},
		{"unnamed", &graph.Value{Type: graph.String, Str: "x", Origin: &def}, `"x" is defined at main.tf:2:3; change it there`},
		{"a generated map", &graph.Value{Type: graph.Map, Origin: &def, Trace: trace},
			"it is generated from var.cidr default, at main.tf:2:3; change it there"},
		{"a generated map, unnamed", &graph.Value{Type: graph.Map, Origin: &def}, "it is generated from main.tf:2:3; change it there"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DescribeOrigin(tc.v); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
