package terraform

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/graph"
)

// TestProviders: AWS provider blocks become resources of kind provider.aws, addressed as
// Terraform names them, with their arguments evaluated; other providers are not read.
func TestProviders(t *testing.T) {
	const archive = `
-- main.tf --
variable "region" {
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "google" {
  region = "europe-west1"
}

module "child" {
  source = "./child"
}
-- child/main.tf --
provider "aws" {
  region = "ap-south-1"
}
-- json.tf.json --
{"provider": {"aws": [{"alias": "west", "region": "us-west-2"}]}}
`
	rs, diags := loadArchive(t, archive, Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diagnostics(diags))
	}
	var got []string
	for _, r := range rs {
		if r.Kind != graph.AWSProvider {
			continue
		}
		region, _ := r.Body.Get("region").Value.AsString()
		got = append(got, r.ID.Path+" "+r.ID.Address+" "+region+" "+span(r.Header))
	}
	want := []string{
		"json.tf.json provider.aws.west us-west-2 1:15#14-1:20#19",
		"main.tf provider.aws eu-west-1 5:1#47-5:15#61",
		"main.tf provider.aws.us us-east-1 9:1#89-9:15#103",
		"child/main.tf module.child.provider.aws ap-south-1 1:1#0-1:15#14",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("providers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
