package terraform

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/source"
)

// LocalModuleSources returns the local sources ("./x", "../x", as written) of the module
// calls in a configuration file (.tf or .tf.json), in order. They are what ties directories
// together in LoadModules: a directory another one calls is evaluated as part of that
// caller's root module, never as a root of its own. Callers that split a scan into
// independent parts (scan's partitioned path) rely on this being a superset of the calls
// LoadModules follows: every module block of the file is read, even one after a syntax
// error, whose file LoadModules may read only in part. Other files have none.
func LocalModuleSources(f *source.File) []string {
	switch {
	case strings.HasSuffix(f.Path, ".tf"):
		// The native syntax has no escapes in identifiers: a module block is spelled so.
		if !bytes.Contains(f.Src, []byte("module")) || tooDeep(f) != nil {
			return nil
		}
		file, _ := hclsyntax.ParseConfig(f.Src, f.Path, hcl.InitialPos)
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			return nil
		}
		var out []string
		for _, b := range body.Blocks {
			if a, ok := b.Body.Attributes["source"]; ok && b.Type == "module" {
				out = appendLocal(out, a.Expr)
			}
		}
		return out
	case strings.HasSuffix(f.Path, ".tf.json"):
		if tooDeep(f) != nil {
			return nil
		}
		file, _ := hcljson.Parse(f.Src, f.Path)
		if file == nil {
			return nil
		}
		content, _, _ := file.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "module", LabelNames: []string{"name"}}}})
		var out []string
		for _, b := range content.Blocks {
			attrs, _ := b.Body.JustAttributes()
			if a, ok := attrs["source"]; ok {
				out = appendLocal(out, a.Expr)
			}
		}
		return out
	}
	return nil
}

// appendLocal appends the module source e gives when it is a local path, read as
// LoadModules reads it: a string known without any variable.
func appendLocal(out []string, e hcl.Expression) []string {
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return out
	}
	if src := v.AsString(); strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		out = append(out, src)
	}
	return out
}
