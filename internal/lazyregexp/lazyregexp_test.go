package lazyregexp

import (
	"slices"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`a(b+)`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if !r.MatchString("xabb") || r.Match([]byte("ac")) || r.FindString("abbb") != "abbb" {
		t.Error("wrong matches")
	}
	if got := r.FindStringSubmatch("abb"); !slices.Equal(got, []string{"abb", "bb"}) {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if got := r.FindAllStringSubmatch("ab ab", -1); len(got) != 2 {
		t.Errorf("FindAllStringSubmatch = %q", got)
	}
	if r.String() != `a(b+)` {
		t.Errorf("String = %q", r.String())
	}
}
