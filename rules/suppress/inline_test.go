package suppress

import (
	"strings"
	"testing"
)

// TestPrefixesEndAsSearched keeps mayHoldDirective's first searches right as prefixes are
// added: each prefix must end in one of the two words it searches for.
func TestPrefixesEndAsSearched(t *testing.T) {
	for _, p := range prefixes {
		if !strings.HasSuffix(p.text, "ignore:") && !strings.HasSuffix(p.text, "skip=") {
			t.Errorf("prefix %q ends in neither ignore: nor skip=: mayHoldDirective would miss it", p.text)
		}
		if !mayHoldDirective([]byte("# " + p.text + "X")) {
			t.Errorf("mayHoldDirective misses %q", p.text)
		}
	}
}
