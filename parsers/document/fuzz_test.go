package document

import (
	"testing"

	"github.com/iacscan/iacscan/source"
)

var yamlSeeds = []string{
	stylesYAML, crlfYAML, anchorsYAML, flowYAML,
	"", "a:\n  b: c\n d: e\n", "- [a, {b: c}]\n- !Ref X\n- &x |\n  text\n- *x\n",
	"k: >+\n\n  folded\n\n\n", "\xEF\xBB\xBFa: b", "a: 1\rb: 2\r", "? complex\n: value\n",
	"a: \"multi\n  line \\\n  escaped\"\n", "<<: {x: 1}\ny: 2\n",
}

var jsonSeeds = []string{
	json2, json4, jsonMin, jsonCRLF,
	"", "[]", "{}", `{"a": [1, 2.5e-3, true, false, null, "\u00e9\/"]}`, `{"a" 1}`, "[[[[]]]]",
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range yamlSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := source.NewFile("fuzz.yaml", src)
		root, diags := ParseYAML(file)
		checkTree(t, file, root)
		checkDiagnostics(t, file, diags)
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := source.NewFile("fuzz.json", src)
		root, diags := ParseJSON(file)
		checkTree(t, file, root)
		checkDiagnostics(t, file, diags)
	})
}

// checkTree asserts that every node of the tree has a range inside the file that agrees
// with f.PosAt. Nodes shared through aliases and merge keys are checked once.
func checkTree(t *testing.T, f *source.File, root *Node) {
	t.Helper()
	seen := map[*Node]bool{}
	var visit func(n *Node)
	visit = func(n *Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		checkRange(t, f, n.Range)
		if n.Alias != nil {
			return // the children are the anchored node's, checked there
		}
		for _, p := range n.Pairs {
			visit(p.Key)
			visit(p.Value)
		}
		for _, it := range n.Items {
			visit(it)
		}
	}
	visit(root)
}

func checkDiagnostics(t *testing.T, f *source.File, diags source.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Subject == nil {
			t.Fatalf("diagnostic without a range: %v", d)
		}
		checkRange(t, f, *d.Subject)
	}
}

func checkRange(t *testing.T, f *source.File, r source.Range) {
	t.Helper()
	if r.Path != f.Path || r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(f.Src) {
		t.Fatalf("range %+v outside the %d-byte file", r, len(f.Src))
	}
	if r.Start != f.PosAt(r.Start.Byte) || r.End != f.PosAt(r.End.Byte) {
		t.Fatalf("range %+v disagrees with PosAt", r)
	}
}

// FuzzJSONDecodersAgree holds the jsontext decoder ParseJSON tries first to encoding/json's:
// whatever jsontext accepts, encoding/json accepts too, with the same tree and warnings.
func FuzzJSONDecodersAgree(f *testing.F) {
	for _, s := range append(jsonSeeds, jsonAgreeSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkDecodersAgree(t, src)
	})
}
