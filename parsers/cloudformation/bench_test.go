package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/parsers/document"
	"github.com/iacscan/iacscan/source"
)

// benchResources is the size of the generated benchmark template.
const benchResources = 200

// benchTemplateYAML generates a template of n resources in the shapes real templates have:
// security groups with ingress lists, buckets with nested encryption settings, intrinsics.
func benchTemplateYAML(n int) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Cidr:\n    Type: String\n    Default: 0.0.0.0/0\nResources:\n")
	for i := range n / 2 {
		fmt.Fprintf(&b, `  SG%d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: "group %d"
      VpcId: !ImportValue shared-vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref Cidr
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
      Tags:
        - Key: Name
          Value: !Sub "sg-${AWS::StackName}-%d"
  Bucket%d:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [logs, !Ref "AWS::AccountId", "%d"]]
      AccessControl: Private
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
      LoggingConfiguration:
        DestinationBucketName: !Ref SG%d
        LogFilePrefix: |
          logs/
`, i, i, i, i, i, i)
	}
	return []byte(b.String())
}

// benchTemplateJSON is the same template as JSON, indented as CloudFormation's designer
// does, with short-form intrinsics in their long form.
func benchTemplateJSON(tb testing.TB, n int) []byte {
	tb.Helper()
	doc, diags := document.ParseYAML(source.NewFile("bench.yaml", benchTemplateYAML(n)))
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	var compact, out bytes.Buffer
	writeJSON(&compact, doc)
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// writeJSON writes n as compact JSON, keeping key order and turning `!Fn arg` into
// {"Fn::Fn": arg}.
func writeJSON(b *bytes.Buffer, n *document.Node) {
	if name, arg, ok := intrinsic(n); ok && arg != n {
		key, _ := json.Marshal(name)
		fmt.Fprintf(b, "{%s:", key)
		writeJSON(b, arg)
		b.WriteByte('}')
		return
	}
	switch n.Kind {
	case document.Mapping:
		b.WriteByte('{')
		for i, p := range n.Pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(p.Key.Value)
			b.Write(key)
			b.WriteByte(':')
			writeJSON(b, p.Value)
		}
		b.WriteByte('}')
	case document.Sequence:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, it)
		}
		b.WriteByte(']')
	default:
		v, _ := json.Marshal(n.Value)
		b.Write(v)
	}
}

func benchmarkParse(b *testing.B, name string, src []byte, format graph.Format) {
	f := source.NewFile(name, src)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rs, diags := Parse(f, format)
		if len(rs) != benchResources || len(diags) != 0 {
			b.Fatalf("got %d resources, diagnostics %v", len(rs), diags)
		}
	}
}

func BenchmarkParseYAML(b *testing.B) {
	benchmarkParse(b, "bench.yaml", benchTemplateYAML(benchResources), graph.CloudFormationYAML)
}

func BenchmarkParseJSON(b *testing.B) {
	benchmarkParse(b, "bench.json", benchTemplateJSON(b, benchResources), graph.CloudFormationJSON)
}
