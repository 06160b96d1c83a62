package rules

import (
	"reflect"
	"testing"

	"github.com/iacscan/iacscan/graph"
)

func paramRule() *Rule {
	return &Rule{Meta: Meta{ID: "AWS-T-001", Params: []Param{
		{Name: "ports", Value: []int{80, 443}},
		{Name: "days", Value: 7},
		{Name: "names", Value: []string{"a"}},
		{Name: "mode", Value: "strict"},
		{Name: "on", Value: false},
	}}}
}

func TestConfigure(t *testing.T) {
	tests := []struct {
		name    string
		values  map[string]any
		param   string
		want    any
		wantErr string
	}{
		{name: "default kept", values: nil, param: "ports", want: []int{80, 443}},
		{name: "int list from yaml", values: map[string]any{"ports": []any{int64(8443), 22.0}}, param: "ports", want: []int{8443, 22}},
		{name: "int", values: map[string]any{"days": int64(90)}, param: "days", want: 90},
		{name: "string list", values: map[string]any{"names": []any{"x", "y"}}, param: "names", want: []string{"x", "y"}},
		{name: "string", values: map[string]any{"mode": "lax"}, param: "mode", want: "lax"},
		{name: "bool", values: map[string]any{"on": true}, param: "on", want: true},
		{name: "unknown name", values: map[string]any{"port": []any{}}, wantErr: `rule AWS-T-001 has no parameter "port" (it has ports, days, names, mode, on)`},
		{name: "not a list", values: map[string]any{"ports": int64(80)}, wantErr: "AWS-T-001.ports: want a list, got 80"},
		{name: "bad item", values: map[string]any{"ports": []any{int64(80), "https"}}, wantErr: `AWS-T-001.ports: item 2: want an integer, got "https"`},
		{name: "fraction", values: map[string]any{"days": 1.5}, wantErr: "AWS-T-001.days: want an integer, got 1.5"},
		{name: "bool from string", values: map[string]any{"on": "yes"}, wantErr: `AWS-T-001.on: want true or false, got "yes"`},
		{name: "string from map", values: map[string]any{"mode": map[string]any{}}, wantErr: "AWS-T-001.mode: want a string, got a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := paramRule()
			got, err := Configure(orig, tc.values)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx := &Context{rule: got}
			if v := ctx.Param(tc.param); !reflect.DeepEqual(v, tc.want) {
				t.Errorf("Param(%q) = %#v, want %#v", tc.param, v, tc.want)
			}
			if !reflect.DeepEqual(orig, paramRule()) {
				t.Error("Configure changed the catalog's rule")
			}
		})
	}
}

func TestParamsReachTheCheck(t *testing.T) {
	var ports []int
	var days int
	r := paramRule()
	r.Check = func(ctx *Context) { ports, days = ctx.Ints("ports"), ctx.Int("days") }
	configured, err := Configure(r, map[string]any{"ports": []any{int64(22)}})
	if err != nil {
		t.Fatal(err)
	}
	Run(graph.New(nil), []*Rule{configured})
	if !reflect.DeepEqual(ports, []int{22}) || days != 7 {
		t.Fatalf("check saw ports %v days %d, want [22] 7", ports, days)
	}
	ctx := &Context{rule: r}
	if ctx.Param("none") != nil || ctx.Ints("days") != nil || ctx.Int("ports") != 0 {
		t.Fatal("undeclared or mistyped parameters must read as zero values")
	}
}
