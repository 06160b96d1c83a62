package serverless

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/source"
)

// benchFunctions is the number of functions of the generated benchmark file.
const benchFunctions = 200

// benchServerless generates a serverless.yml of n functions whose settings come through
// variables: options with fallbacks, self references with nested variables, sls:stage.
func benchServerless(n int) []byte {
	var b strings.Builder
	b.WriteString(`service: bench
custom:
  stage: ${opt:stage, self:provider.stage, 'dev'}
  memory: {dev: 256, prod: 1024}
  timeout: 30
provider:
  name: aws
  stage: dev
  environment:
    STAGE: ${sls:stage}
functions:
`)
	for i := range n {
		fmt.Fprintf(&b, `  fn%d:
    handler: src/fn%d.handler
    name: ${self:service}-${self:custom.stage}-fn%d
    memorySize: ${self:custom.memory.${self:custom.stage}}
    timeout: ${self:custom.timeout}
    environment:
      TABLE: ${ssm:/bench/table, 'fallback'}
`, i, i, i)
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	src := benchServerless(benchFunctions)
	f := source.NewFile("serverless.yml", src)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rs, diags := Parse(f)
		if len(rs) != benchFunctions+1 || len(diags) != 0 {
			b.Fatalf("got %d resources, diagnostics %v", len(rs), diags)
		}
	}
}
