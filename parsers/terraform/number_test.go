package terraform

import (
	"math/big"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestNumber: number writes every value exactly as big.Float.Text('f', -1) does, and its
// float64 is big.Float.Float64's, on the fast integer path and off it.
func TestNumber(t *testing.T) {
	for _, text := range []string{
		"0", "1", "-7", "443", "65535", "9007199254740993", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "1e30", "0.1", "0.5", "-2.25", "3.0", "1e-7", "123456789012345678901234567890",
	} {
		t.Run(text, func(t *testing.T) {
			v, err := cty.ParseNumberVal(text)
			if err != nil {
				t.Fatal(err)
			}
			checkNumber(t, v.AsBigFloat())
		})
	}
	t.Run("negative zero", func(t *testing.T) { checkNumber(t, new(big.Float).Neg(new(big.Float))) })
	t.Run("quotient", func(t *testing.T) { checkNumber(t, cty.NumberIntVal(10).Divide(cty.NumberIntVal(4)).AsBigFloat()) })
	t.Run("product", func(t *testing.T) {
		checkNumber(t, cty.NumberIntVal(1<<40).Multiply(cty.NumberIntVal(1<<30)).AsBigFloat())
	})
}

func checkNumber(t *testing.T, bf *big.Float) {
	t.Helper()
	wantF, _ := bf.Float64()
	wantS := bf.Text('f', -1)
	gotF, gotS := number(bf)
	if gotS != wantS || gotF != wantF {
		t.Errorf("number(%s) = %v, %q; want %v, %q", wantS, gotF, gotS, wantF, wantS)
	}
}
