package terraform

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// The functions here are Terraform's own (internal/lang/funcs), where Terraform does not
// use go-cty's standard library or has no function there.

// lookupFunc is Terraform's, whose default is optional: without one, a missing key is an
// error.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowUnknown: true},
		{Name: "key", Type: cty.String, AllowUnknown: true},
	},
	VarParam: &function.Parameter{
		Name: "default", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, fmt.Errorf("lookup() takes two or three arguments, got %d", len(args))
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			if !args[1].IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if key := args[1].AsString(); ty.HasAttribute(key) {
				return ty.AttributeType(key), nil
			} else if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, fmt.Errorf("the given object has no attribute %q", args[1].AsString())
		case ty.IsMapType():
			if len(args) == 3 {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, errors.New("the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		}
		return cty.NilType, errors.New("lookup() requires a map as the first argument")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, key := args[0], args[1]
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		k := key.AsString()
		if m.Type().IsObjectType() {
			if m.Type().HasAttribute(k) {
				return m.GetAttr(k), nil
			}
		} else if m.HasIndex(key) == cty.True {
			return m.Index(key), nil
		}
		if len(args) == 3 {
			return convert.Convert(args[2], retType)
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find key %s", k)
	},
})

// lengthFunc is Terraform's, which also counts the characters of a string and the
// attributes of an object.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); ty == cty.String || ty.IsObjectType() {
			return cty.Number, nil
		}
		return stdlib.LengthFunc.ReturnType([]cty.Type{args[0].Type()})
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch v := args[0]; {
		case v.Type() == cty.String:
			return stdlib.Strlen(v)
		case v.Type().IsObjectType():
			return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))), nil
		default:
			return stdlib.Length(v)
		}
	},
})

// maxReplaced bounds what replace() makes: a short string whose every position is
// replaced by a long one would otherwise take gigabytes.
const maxReplaced = 1 << 20

// replaceFunc is Terraform's: a substring between slashes is a regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, sub, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.NilVal, err
			}
			// An expanded $1 is at most the whole string.
			if err := checkReplaced(str, len(re.FindAllStringIndex(str, -1)), len(repl)*(1+len(str))); err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		if err := checkReplaced(str, strings.Count(str, sub), len(repl)); err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(strings.ReplaceAll(str, sub, repl)), nil
	},
})

// checkReplaced fails when n replacements of up to size bytes each in str may exceed
// maxReplaced.
func checkReplaced(str string, n, size int) error {
	if float64(len(str))+float64(n)*float64(size) > maxReplaced {
		return fmt.Errorf("replace() would make a string longer than %d bytes", maxReplaced)
	}
	return nil
}

// oneFunc returns the only element of a list, set or tuple, null when it has none.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 0:
			return cty.DynamicPseudoType, nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 1:
			return ty.TupleElementTypes()[0], nil
		}
		return cty.NilType, errOne
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.Length().IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			it := v.ElementIterator() // a set has no index
			it.Next()
			_, el := it.Element()
			return el, nil
		}
		return cty.NilVal, errOne
	},
})

var errOne = errors.New("must be a list, set, or tuple value with either zero or one elements")

// allTrueFunc is true when every element is true (and for none), false when any is false
// or null.
var allTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				return cty.UnknownVal(cty.Bool), nil
			case v.IsNull() || v.False():
				return cty.False, nil
			}
		}
		return cty.True, nil
	},
})

// anyTrueFunc is true when any element is true, unknown when one is not known and none is
// true, else false.
var anyTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		unknown := false
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				unknown = true
			case !v.IsNull() && v.True():
				return cty.True, nil
			}
		}
		if unknown {
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.False, nil
	},
})

// sumFunc adds the numbers (or strings that convert to numbers) of a non-empty list, set or
// tuple.
var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ty := args[0].Type()
		if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilVal, fmt.Errorf("argument must be list, set, or tuple. Received %s", ty.FriendlyName())
		}
		if args[0].LengthInt() == 0 {
			return cty.NilVal, errors.New("cannot sum an empty list")
		}
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		var total cty.Value
		for _, v := range args[0].AsValueSlice() {
			n, err := convert.Convert(v, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, errors.New("argument must be list, set, or tuple of number values")
			}
			if total == cty.NilVal {
				total = n
				continue
			}
			if a, b := total.AsBigFloat(), n.AsBigFloat(); a.IsInf() && b.IsInf() && a.Sign() != b.Sign() {
				return cty.NilVal, errors.New("can't compute sum of opposing infinities")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

// indexFunc is Terraform's: the position of value in a list or tuple (not go-cty's index,
// which reads an element).
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilVal, errors.New("argument must be a list or tuple")
		}
		if args[0].LengthInt() == 0 {
			return cty.NilVal, errors.New("cannot search an empty list")
		}
		for it := args[0].ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq := v.Equals(args[1])
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// transposeFunc swaps the keys and values of a map of lists of strings; each new list is
// sorted.
var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		keys := map[string][]string{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("input must be a map of lists of strings")
			}
			for _, v := range list.AsValueSlice() {
				if v.IsNull() {
					return cty.NilVal, errors.New("input must be a map of lists of strings")
				}
				keys[v.AsString()] = append(keys[v.AsString()], k.AsString())
			}
		}
		if len(keys) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		out := make(map[string]cty.Value, len(keys))
		for k, vs := range keys {
			slices.Sort(vs)
			list := make([]cty.Value, len(vs))
			for i, v := range vs {
				list[i] = cty.StringVal(v)
			}
			out[k] = cty.ListVal(list)
		}
		return cty.MapVal(out), nil
	},
})

// unmarked is sensitive() and nonsensitive(): iacscan judges the value either way, and
// a marked value would stay Unknown.
var unmarked = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, _ := args[0].UnmarkDeep()
		return v, nil
	},
})

// pathFunc is basename() or dirname(): Terraform's filepath.Base and filepath.Dir, which
// on the systems it runs plans on are path.Base and path.Dir.
func pathFunc(fn func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(fn(args[0].AsString())), nil
		},
	})
}

// cidrNetmask is go-cty-funcs' cidrnetmask, which Terraform has since made refuse IPv6
// prefixes: they have no dotted netmask.
var cidrNetmask = function.New(&function.Spec{
	Params: cidr.NetmaskFunc.Params(),
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if _, network, err := net.ParseCIDR(args[0].AsString()); err == nil && network.IP.To4() == nil {
			return cty.NilVal, fmt.Errorf("IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		return cidr.NetmaskFunc.Call(args)
	},
})
