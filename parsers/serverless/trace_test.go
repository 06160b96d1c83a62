package serverless

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/iacscan/iacscan/graph"
)

// traceOf renders a trace as "line:col-line:col What" steps joined by " → ", with the path
// of a step in another file than serverless.yml.
func traceOf(trace []graph.Step) string {
	steps := make([]string, len(trace))
	for i, s := range trace {
		r := s.Range
		steps[i] = fmt.Sprintf("%d:%d-%d:%d %s", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, s.What)
		if r.Path != "serverless.yml" {
			steps[i] = r.Path + "@" + steps[i]
		}
	}
	return strings.Join(steps, " → ")
}

func TestTrace(t *testing.T) {
	files := fstest.MapFS{
		"ports.json": {Data: []byte("{\n  \"ssh\": 22\n}\n")},
		"rules.yml":  {Data: []byte("ingress:\n  - 0.0.0.0/0\n")},
	}
	variants := map[string]Options{
		"defaults": {Files: files, Env: lookup(nil)},
		"options":  {Files: files, Opts: map[string]string{"stage": "prod"}, Env: lookup(map[string]string{"AWS_REGION": "eu-west-1"})},
	}
	const cidr = "3:9-3:18 self:custom.cidr"
	tests := []struct {
		variant, name, address, path string
		want                         string
	}{
		{"defaults", "chained self variables, one step each", "provider", "environment.CIDR",
			cidr + " → 4:9-4:28 self:custom.open → 5:12-5:31 self:custom.chained"},
		{"defaults", "option fallback", "provider", "environment.STAGE", "6:23-6:28 default of opt:stage → 6:10-6:29 self:custom.stage"},
		{"options", "option given", "provider", "environment.STAGE", "6:12-6:21 opt:stage from --sls-opt → 6:10-6:29 self:custom.stage"},
		{"defaults", "env fallback", "provider", "environment.REGION", "17:31-17:42 default of env:AWS_REGION"},
		{"options", "env set", "provider", "environment.REGION", "17:15-17:29 env:AWS_REGION from the environment"},
		{"defaults", "JSON file through self", "provider", "environment.PORT",
			"ports.json@2:10-2:12 file(./ports.json):ssh → 7:10-7:35 self:custom.ports"},
		{"defaults", "into a YAML file through self", "provider", "environment.RULE",
			"rules.yml@1:1-2:14 file(./rules.yml) → rules.yml@2:5-2:14 self:custom.rules.ingress.0"},
		{"defaults", "variables in a string", "provider", "environment.NAME",
			"1:10-1:14 self:service → 20:40-20:45 default of opt:stage → 20:11-20:46 string interpolation"},
		{"options", "variables in a string, option given", "provider", "environment.NAME",
			"1:10-1:14 self:service → 20:29-20:38 opt:stage from --sls-opt → 20:11-20:46 string interpolation"},
		{"defaults", "sls:stage from provider.stage", "provider", "environment.SLS", "13:10-13:13 self:provider.stage → 21:12-21:21 sls:stage"},
		{"options", "sls:stage from the option", "provider", "environment.SLS", "21:10-21:22 opt:stage from --sls-opt → 21:12-21:21 sls:stage"},
		{"defaults", "alias of a mapping", "provider", "tags", "9:9-10:30 anchor &base"},
		{"defaults", "variable in an aliased mapping", "provider", "tags.Cidr", cidr + " → 9:9-10:30 anchor &base"},
		{"defaults", "variable in a resource", "Group", "SecurityGroupIngress[0].CidrIp", cidr + " → 4:9-4:28 self:custom.open"},
		{"defaults", "file in a resource", "Group", "SecurityGroupIngress[0].FromPort", "ports.json@2:10-2:12 file(./ports.json):ssh"},
		{"defaults", "variable in a Sub", "Group", "SecurityGroupIngress[1].CidrIp", cidr},
		{"defaults", "FindInMap keyed by a fallback", "Group", "SecurityGroupIngress[1].ToPort",
			"32:59-32:64 default of opt:stage → 35:17-35:19 Mappings Ports.dev.To"},
		{"options", "FindInMap keyed by an option", "Group", "SecurityGroupIngress[1].ToPort",
			"32:48-32:57 opt:stage from --sls-opt → 36:18-36:21 Mappings Ports.prod.To"},
	}
	src, err := os.ReadFile("testdata/trace.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.variant+"/"+tc.name, func(t *testing.T) {
			v := parsedValue(t, "serverless.yml", src, variants[tc.variant], tc.address, tc.path)
			if got := traceOf(v.Trace); got != tc.want {
				t.Errorf("trace\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
