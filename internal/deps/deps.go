// Package deps pins the project's libraries in go.mod while the packages that use them are
// being written. Delete it once every library is imported by real code.
package deps

import (
	_ "github.com/hashicorp/hcl/v2"
	_ "github.com/hashicorp/hcl/v2/hclsyntax"
	_ "github.com/hashicorp/hcl/v2/hclwrite"
	_ "github.com/hashicorp/hcl/v2/json"
	_ "github.com/owenrumney/go-sarif/v2/sarif"
	_ "github.com/spf13/cobra"
	_ "github.com/zclconf/go-cty/cty"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/tools/txtar"
)
