package config

import (
	"errors"
	"testing"
)

// FuzzParse checks that any file yields a configuration or positioned errors, never a
// panic or another kind of error.
func FuzzParse(f *testing.F) {
	f.Add([]byte("rules:\n  enable: [AWS-EC2-033]\n  AWS-EC2-034: {allowed-ports: [80]}\nseverity: {'AWS-*': low}\n"))
	f.Add([]byte("exclude-tags: {a: 1}\nfix: {disable: [x]}\nfail-on: high\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := Parse("c.yaml", src, catalog())
		var errs Errors
		if err != nil && !errors.As(err, &errs) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if err == nil && cfg == nil {
			t.Fatal("no configuration and no error")
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("error without a position: %+v", e)
			}
		}
	})
}
