package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ParseOverride reads one `Key=Value` parameter override, as given to `--cfn-param` and
// to `aws cloudformation deploy --parameter-overrides`.
func ParseOverride(s string) (key, value string, err error) {
	key, value, ok := strings.Cut(s, "=")
	if key = strings.TrimSpace(key); !ok || key == "" {
		return "", "", fmt.Errorf("parameter override %q is not Key=Value", s)
	}
	return key, value, nil
}

// ParseOverrides reads a parameter overrides file in any of the shapes the AWS CLI takes:
// the JSON list `[{"ParameterKey": "K", "ParameterValue": "V"}]` of `create-stack
// --parameters`, the JSON object `{"Parameters": {"K": "V"}}` of a CodePipeline template
// configuration, or `K=V` entries separated by spaces or newlines (quotes keep spaces in a
// value; lines starting with # are comments) as `deploy --parameter-overrides` takes them.
func ParseOverrides(data []byte) (map[string]string, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(trimmed, []byte("[")):
		return jsonList(trimmed)
	case bytes.HasPrefix(trimmed, []byte("{")):
		return jsonObject(trimmed)
	}
	return keyValues(string(data))
}

func jsonList(data []byte) (map[string]string, error) {
	var list []struct {
		Key              *string `json:"ParameterKey"`
		Value            *string `json:"ParameterValue"`
		UsePreviousValue bool
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("parameter overrides: %w", err)
	}
	out := make(map[string]string, len(list))
	for i, p := range list {
		switch {
		case p.Key == nil:
			return nil, fmt.Errorf("parameter overrides: entry %d has no ParameterKey", i+1)
		case p.UsePreviousValue:
			continue // the deployed stack's value, which the scan cannot know
		case p.Value == nil:
			return nil, fmt.Errorf("parameter overrides: %s has no ParameterValue", *p.Key)
		}
		out[*p.Key] = *p.Value
	}
	return out, nil
}

func jsonObject(data []byte) (map[string]string, error) {
	var config struct {
		Parameters map[string]string
	}
	if err := json.Unmarshal(data, &config); err != nil {
		return nil, fmt.Errorf("parameter overrides: %w", err)
	}
	if config.Parameters == nil {
		return nil, errors.New(`parameter overrides: no "Parameters" object`)
	}
	return config.Parameters, nil
}

func keyValues(text string) (map[string]string, error) {
	out := map[string]string{}
	for line := range strings.Lines(text) {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		words, err := fields(line)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			k, v, err := ParseOverride(w)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
	}
	return out, nil
}

// fields splits a line at spaces outside single or double quotes, removing the quotes.
func fields(line string) ([]string, error) {
	var (
		out   []string
		word  strings.Builder
		quote rune
		in    bool // inside a word
	)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if in {
				out = append(out, word.String())
				word.Reset()
				in = false
			}
		default:
			word.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("parameter overrides: unterminated quote in %q", strings.TrimSpace(line))
	}
	if in {
		out = append(out, word.String())
	}
	return out, nil
}
