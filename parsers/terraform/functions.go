package terraform

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// maxRange bounds range(): a configuration never needs more elements, and a crafted one
// must not make the scanner allocate gigabytes, or loop over them nested.
const maxRange = 1 << 10

// stdFunctions are the pure functions of Terraform: go-cty's standard library under
// Terraform's names where Terraform uses it, go-cty-funcs (Terraform's own functions as
// HashiCorp publishes them for Packer: coalesce, cidr*, base64encode, urlencode), and
// Terraform's own where neither has them (functions_terraform.go).
var stdFunctions = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
	"chunklist": stdlib.ChunklistFunc, "coalesce": collection.CoalesceFunc,
	"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
	"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc,
	"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
	"floor": stdlib.FloorFunc, "format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc,
	"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc, "join": stdlib.JoinFunc,
	"jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc,
	"length": lengthFunc, "log": stdlib.LogFunc, "lookup": lookupFunc,
	"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc, "min": stdlib.MinFunc,
	"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "regex": stdlib.RegexFunc,
	"regexall": stdlib.RegexAllFunc, "replace": replaceFunc, "reverse": stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
	"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc, "signum": stdlib.SignumFunc,
	"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
	"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
	"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
	"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,
	"values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
	"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
	"tobool": stdlib.MakeToFunc(cty.Bool),
	"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tomap":  stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"try":    tryfunc.TryFunc, "can": tryfunc.CanFunc,
	"range": limitedRange, "base64encode": encoding.Base64EncodeFunc, "base64decode": base64Decode,
	"urlencode":  encoding.URLEncodeFunc,
	"startswith": stringPredicate(strings.HasPrefix), "endswith": stringPredicate(strings.HasSuffix),
	"strcontains": stringPredicate(strings.Contains),
	"cidrsubnet":  cidr.SubnetFunc, "cidrhost": cidr.HostFunc, "cidrsubnets": cidr.SubnetsFunc,
	// more of Terraform's own (functions_terraform.go, functions_yaml.go)
	"cidrnetmask": cidrNetmask, "one": oneFunc, "alltrue": allTrueFunc,
	"anytrue": anyTrueFunc, "sum": sumFunc, "index": indexFunc, "transpose": transposeFunc,
	"sensitive": unmarked, "nonsensitive": unmarked, "yamldecode": yamlDecode,
	"basename": pathFunc(path.Base), "dirname": pathFunc(path.Dir),
}

// functionsFor returns Terraform's function table for one root module: the pure functions
// plus file, templatefile, fileexists and fileset, which read only under the scan root
// (none without one). Impure functions (timestamp, uuid) are absent, so calls to them
// stay Unknown.
//
// Every function is guarded by the root module's meter, templatefile's templates' too.
func functionsFor(files *fileReader, m *meter) map[string]function.Function {
	std := m.guardedStd()
	out := make(map[string]function.Function, len(std)+4)
	for name, f := range std {
		out[name] = f
	}
	out["file"] = m.guard("file", files.fileFunc())
	out["templatefile"] = m.guard("templatefile", files.templateFunc(std))
	out["fileexists"] = m.guard("fileexists", files.existsFunc())
	out["fileset"] = m.guard("fileset", files.setFunc())
	return out
}

var limitedRange = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "params", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		n := make([]float64, len(args))
		for i, a := range args {
			if err := gocty.FromCtyValue(a, &n[i]); err != nil {
				return cty.NilVal, err
			}
		}
		if span := rangeSpan(n); span > maxRange {
			return cty.NilVal, fmt.Errorf("range of %.0f elements is too long", span)
		}
		return stdlib.RangeFunc.Call(args)
	},
})

// rangeSpan estimates how many elements range(args) makes.
func rangeSpan(n []float64) float64 {
	switch len(n) {
	case 1:
		return n[0]
	case 2:
		return n[1] - n[0]
	case 3:
		if n[2] == 0 {
			return 0
		}
		return (n[1] - n[0]) / n[2]
	}
	return 0
}

// base64Decode is Terraform's; go-cty-funcs' logs invalid UTF-8 to the standard logger,
// which would reach stderr at scan time.
var base64Decode = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil || !utf8.Valid(b) {
			return cty.NilVal, fmt.Errorf("invalid base64 UTF-8 data")
		}
		return cty.StringVal(string(b)), nil
	},
})

func stringPredicate(pred func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "sub", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(pred(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// fileReader reads the files file(), templatefile(), fileexists() and fileset() name,
// relative to the root module's directory and only under the scan root: fs.FS refuses
// paths that lead out of it (an os.Root's also symbolic links that do).
type fileReader struct {
	root fs.FS  // nil: no file may be read
	dir  string // the root module's directory, relative to the scan root
}

// resolve returns the path under the scan root of the file Terraform reads as name, from
// the root module's directory. An absolute path, a home directory (~) and a path that
// leads out of the root are refused: they name files outside the scan.
func (r *fileReader) resolve(name string) (string, error) {
	if r.root == nil {
		return "", fmt.Errorf("no file may be read")
	}
	p := path.Join(r.dir, name)
	if path.IsAbs(name) || strings.HasPrefix(name, "~") || !fs.ValidPath(p) {
		return "", fmt.Errorf("%s is outside the scanned directory", name)
	}
	return p, nil
}

func (r *fileReader) read(name string) (string, error) {
	p, err := r.resolve(name)
	if err != nil {
		return "", err
	}
	b, err := fs.ReadFile(r.root, p)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s is not UTF-8 text", name)
	}
	return string(b), nil
}

func (r *fileReader) fileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := r.read(args[0].AsString())
			return cty.StringVal(s), err
		},
	})
}

// templateFunc renders a template file with the pure functions (a template may not call
// templatefile, which could recurse without end).
func (r *fileReader) templateFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			src, err := r.read(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			vars := args[1]
			if !vars.Type().IsObjectType() && !vars.Type().IsMapType() || !vars.IsWhollyKnown() || vars.IsNull() {
				return cty.NilVal, fmt.Errorf("template variables must be a known map")
			}
			expr, diags := hclsyntax.ParseTemplate([]byte(src), args[0].AsString(), hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars.AsValueMap(), Functions: funcs})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			return out, nil
		},
	})
}
