package rules

import (
	"slices"
	"testing"
)

func TestParseSeverities(t *testing.T) {
	tests := []struct {
		spec    string
		want    []Severity
		wantErr string
	}{
		{spec: "critical,high", want: []Severity{Critical, High}},
		{spec: "HIGH,CRITICAL", want: []Severity{Critical, High}},
		{spec: " low , high,low,", want: []Severity{High, Low}},
		{spec: "medium", want: []Severity{Medium}},
		{spec: "medium+", want: []Severity{Critical, High, Medium}},
		{spec: "Critical+", want: []Severity{Critical}},
		{spec: "low+", want: []Severity{Critical, High, Medium, Low}},
		{spec: "high,severe", wantErr: `unknown severity "severe" (want critical, high, medium or low)`},
		{spec: "high,low+", wantErr: `unknown severity "high,low" (want critical, high, medium or low)`},
		{spec: " , ", wantErr: `no severity in " , " (want a list such as critical,high or a minimum such as high+)`},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseSeverities(tc.spec)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
