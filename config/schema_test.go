package config

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// TestSchemaAgainstLibrary: the built-in interpretation of schema.json finds exactly
// what a general JSON Schema validator finds, with the same words, in documents that
// break each keyword the schema uses.
func TestSchemaAgainstLibrary(t *testing.T) {
	lib := librarySchema(t)
	for _, src := range []string{
		"rules: {}\n",
		"{}\n",
		"- rules\n",
		"rules: 3\n",
		"rules: {enable: [a, '', 3], disable: x, AWS-EC2-034: {allowed-ports: [80, 1.5, {a: 1}], on: true, x: {y: 1}}}\n",
		"rules: {AWS-S3-001: [1]}\n",
		"severity: {AWS-S3-001: urgent, AWS-S3-002: high, AWS-S3-003: 3}\n",
		"severity: []\n",
		"profile: strict\n",
		"profile: baseline\n",
		"fail-on: severe\n",
		"fail-on: 2\n",
		"fail-on: null\n",
		"exclude-paths: vendor\n",
		"exclude-paths: ['', ok, 7, null]\n",
		"exclude-tags: {a: 1, b: x, c: true, d: [1], e: null, f: 1.5}\n",
		"fix: {disable: [''], disabled: []}\n",
		"fix: []\n",
		"exclude-path: [a]\nfailon: high\nrules: {enable: [x]}\n",
		"rules:\n  AWS-EC2-034:\n    allowed-ports: {a: 1}\n",
	} {
		t.Run(src, func(t *testing.T) {
			doc, err := decode("c.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			sch, err := compiled()
			if err != nil {
				t.Fatal(err)
			}
			var found []violation
			sch.validate(sch, doc.value, nil, &found)
			got := render(found)
			want := libraryViolations(lib, doc.value)
			if !slices.Equal(got, want) {
				t.Errorf("violations\n%s\nwant (library)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestSchemaKeywords: a keyword the built-in validator does not interpret is refused,
// rather than ignored.
func TestSchemaKeywords(t *testing.T) {
	for _, src := range []string{
		`{"type": "object", "pattern": "x"}`,
		`{"type": "strings"}`,
		`{"additionalProperties": {"maxLength": 3}}`,
	} {
		if err := strictJSON([]byte(src), &schema{}); err == nil {
			t.Errorf("%s: loaded, want an error", src)
		}
	}
	s := &schema{Properties: map[string]*schema{"a": {Ref: "#/$defs/nope"}}}
	if err := s.checkRefs(s); err == nil {
		t.Error("an unresolvable $ref loaded")
	}
}

func render(vs []violation) []string {
	var out []string
	for _, v := range vs {
		msg := v.msg
		if v.unknown != nil {
			msg = "unknown " + strings.Join(v.unknown, ",")
		}
		out = append(out, strings.Join(v.at, ".")+": "+msg)
	}
	slices.Sort(out)
	return out
}

func librarySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://example.com/schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://example.com/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func libraryViolations(s *jsonschema.Schema, v any) []string {
	verr, ok := s.Validate(v).(*jsonschema.ValidationError)
	if !ok {
		return nil
	}
	p := message.NewPrinter(language.English)
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		msg := e.ErrorKind.LocalizedString(p)
		if k, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
			props := slices.Sorted(slices.Values(k.Properties))
			msg = "unknown " + strings.Join(props, ",")
		}
		out = append(out, strings.Join(e.InstanceLocation, ".")+": "+msg)
	}
	walk(verr)
	slices.Sort(out)
	return out
}
