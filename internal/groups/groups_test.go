package groups

import (
	"reflect"
	"testing"
)

func TestBy(t *testing.T) {
	tests := []struct {
		in   []string
		want [][]string
	}{
		{nil, nil},
		{[]string{"a1"}, [][]string{{"a1"}}},
		{[]string{"b1", "a1", "b2", "c1", "a2"}, [][]string{{"b1", "b2"}, {"a1", "a2"}, {"c1"}}},
	}
	for _, tt := range tests {
		got := By(tt.in, func(s string) byte { return s[0] })
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("By(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
