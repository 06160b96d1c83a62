package scan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/rules/builtin"
)

// TestApps scans two small real applications with every rule: a SAM app (functions,
// API, table, layer, state machine, Globals) and the synthesised output of a CDK app.
// The SAM resources scan without a diagnostic beside the plain resources' findings; the
// CDK findings name their constructs.
func TestApps(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"sam-orders", []string{
			"template.yaml:46 AWS-S3-011 bucket has no server access logging",
			"template.yaml:61 AWS-S3-011 bucket has no server access logging",
			"template.yaml:61 AWS-S3-026 bucket has no public access block",
			"template.yaml:64 AWS-S3-001 bucket ACL \"PublicRead\" grants READ to everyone (AllUsers)",
			"template.yaml:81 AWS-EC2-002 security group rule allows SSH (tcp/22) from 0.0.0.0/0",
			"template.yaml:116 AWS-LAMBDA-003 function is not traced with X-Ray: TracingConfig.Mode is PassThrough",
		}},
		{"cdk-orders", []string{
			"cdk.out/OrdersStack.template.json:3 AWS-VPC-001 VPC Vpc8378EB38 has no flow log (construct OrdersStack/Vpc)",
			"cdk.out/OrdersStack.template.json:56 AWS-S3-011 bucket has no server access logging (construct OrdersStack/Uploads)",
			"cdk.out/OrdersStack.template.json:56 AWS-S3-012 bucket versioning is not enabled (construct OrdersStack/Uploads)",
			"cdk.out/OrdersStack.template.json:56 AWS-S3-016 bucket has no default server-side encryption configuration (construct OrdersStack/Uploads)",
			"cdk.out/OrdersStack.template.json:59 AWS-S3-001 bucket ACL \"PublicRead\" grants READ to everyone (AllUsers); ineffective: IgnorePublicAcls is true (construct OrdersStack/Uploads)",
			"cdk.out/OrdersStack.template.json:67 AWS-S3-026 public access block does not set BlockPublicPolicy, RestrictPublicBuckets (default false) (construct OrdersStack/Uploads)",
			"cdk.out/OrdersStack.template.json:78 AWS-S3-011 bucket has no server access logging (construct OrdersStack/Archive)",
			"cdk.out/OrdersStack.template.json:119 AWS-EC2-002 security group rule allows SSH (tcp/22) from 0.0.0.0/0 (construct OrdersStack/AdminSG)",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", "apps", tc.dir)
			res := run(t, dir, Options{Rules: builtin.All()})
			if len(res.Diagnostics) > 0 {
				t.Errorf("diagnostics: %v", res.Diagnostics)
			}
			if got := lines(dir, res.Findings); got != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
}
