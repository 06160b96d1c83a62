package graph

import "testing"

func TestScalarConversions(t *testing.T) {
	tests := []struct {
		name    string
		v       *Value
		str     string
		strOK   bool
		n       int
		nOK     bool
		isTrue  bool
		isFalse bool
	}{
		{"number", &Value{Type: Number, Num: 22, Str: "22"}, "22", true, 22, true, false, false},
		{"numeric string (CFN)", &Value{Type: String, Str: "3389"}, "3389", true, 3389, true, false, false},
		{"negative number", &Value{Type: Number, Num: -1}, "-1", true, -1, true, false, false},
		{"fraction is not an int", &Value{Type: Number, Num: 1.5, Str: "1.5"}, "1.5", true, 0, false, false, false},
		{"bool", &Value{Type: Bool, Bool: true}, "true", true, 0, false, true, false},
		{"string true", &Value{Type: String, Str: "True"}, "True", true, 0, false, true, false},
		{"string false", &Value{Type: String, Str: "false"}, "false", true, 0, false, false, true},
		{"unknown", &Value{Type: Unknown}, "", false, 0, false, false, false},
		{"nil", nil, "", false, 0, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := tc.v.AsString()
			if s != tc.str || ok != tc.strOK {
				t.Errorf("AsString = %q, %v", s, ok)
			}
			n, ok := tc.v.AsInt()
			if n != tc.n || ok != tc.nOK {
				t.Errorf("AsInt = %d, %v", n, ok)
			}
			if tc.v.IsTrue() != tc.isTrue || tc.v.IsFalse() != tc.isFalse {
				t.Errorf("IsTrue/IsFalse = %v/%v", tc.v.IsTrue(), tc.v.IsFalse())
			}
		})
	}
}

func TestElementsFlattensBlocksAndLists(t *testing.T) {
	r := testGroup()
	if got := len(r.Body.Elements("ingress")); got != 2 {
		t.Fatalf("Elements(ingress) = %d, want 2 blocks", got)
	}
	cfn := &Value{Type: Map, Attrs: []*Attribute{{Name: "SecurityGroupIngress", Value: &Value{Type: List, Items: []*Value{{Type: Map}, {Type: Map}, {Type: Map}}}}}}
	if got := len(cfn.Elements("ingress", "SecurityGroupIngress")); got != 3 {
		t.Fatalf("Elements(SecurityGroupIngress) = %d, want 3 items", got)
	}
	second := r.Body.Elements("ingress")[1]
	if got := second.Lookup("cidr_blocks").Strings(); len(got) != 2 || got[1].Str != "0.0.0.0/0" {
		t.Fatalf("Strings() = %v", got)
	}
	if r.Body.Get("nope", "name").Value.Str != "web" {
		t.Fatal("Get with aliases")
	}
	if r.Body.Lookup("ingress", "missing") != nil {
		t.Fatal("Lookup of a missing path must be nil")
	}
}
