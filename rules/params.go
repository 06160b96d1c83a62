package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Param is a setting of a rule that configuration may change, such as the ports
// AWS-EC2-034 lets through (`rules: {AWS-EC2-034: {allowed-ports: [80, 443, 8443]}}` in
// .iacscan.yaml). Value holds the default; its Go type (int, []int, string, []string or
// bool) is the type a configured value must have.
type Param struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Value       any    `json:"default"`
}

// Param returns the value of the running rule's parameter name, or nil when the rule
// declares no such parameter.
func (c *Context) Param(name string) any {
	for _, p := range c.rule.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return nil
}

// Ints returns an []int parameter (nil when undeclared or of another type).
func (c *Context) Ints(name string) []int {
	v, _ := c.Param(name).([]int)
	return v
}

// Int returns an int parameter (0 when undeclared or of another type).
func (c *Context) Int(name string) int {
	v, _ := c.Param(name).(int)
	return v
}

// Configure returns a copy of r whose parameters take the given values, converted to the
// type of each default: configuration values arrive as decoded YAML (int64, float64,
// string, bool, []any). r itself is shared by every scan and never changes. A name r does
// not declare or a value of the wrong type is an error.
func Configure(r *Rule, values map[string]any) (*Rule, error) {
	c := *r
	c.Params = slices.Clone(r.Params)
	for name, v := range values {
		i := slices.IndexFunc(c.Params, func(p Param) bool { return p.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("rule %s has no parameter %q%s", r.ID, name, paramList(r.Params))
		}
		conv, err := convertParam(c.Params[i].Value, v)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", r.ID, name, err)
		}
		c.Params[i].Value = conv
	}
	return &c, nil
}

func paramList(ps []Param) string {
	if len(ps) == 0 {
		return " (it has none)"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return " (it has " + strings.Join(names, ", ") + ")"
}

// convertParam converts v to the type of def.
func convertParam(def, v any) (any, error) {
	switch def.(type) {
	case int:
		return toInt(v)
	case bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %s", describe(v))
	case string:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("want a string, got %s", describe(v))
	case []int:
		return convertList(v, toInt)
	case []string:
		return convertList(v, func(x any) (string, error) {
			if s, ok := x.(string); ok {
				return s, nil
			}
			return "", fmt.Errorf("want a string, got %s", describe(x))
		})
	}
	return nil, fmt.Errorf("parameter of unsupported type %T", def)
}

func convertList[T any](v any, conv func(any) (T, error)) ([]T, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %s", describe(v))
	}
	out := make([]T, 0, len(items))
	for i, it := range items {
		x, err := conv(it)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i+1, err)
		}
		out = append(out, x)
	}
	return out, nil
}

func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		if n >= math.MinInt && n <= math.MaxInt {
			return int(n), nil
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("want an integer, got %s", describe(v))
}

func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprint(v)
}
