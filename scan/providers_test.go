package scan

import "testing"

// TestProvidersAreNotCounted: provider blocks are in the graph for the rules that read
// them, but the resources a scan reports having are the infrastructure's only.
func TestProvidersAreNotCounted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`})
	if res := run(t, dir, Options{}); res.Stats.Resources != 1 {
		t.Errorf("%d resources, want 1", res.Stats.Resources)
	}
}
