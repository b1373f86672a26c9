package domain

import (
	"testing"
	"unicode"
)

// Digits a keyboard sends in other scripts are the same numbers as the keypad's.
func TestDigitsOfEveryScriptBecomeASCII(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"123-45 6789", "123456789"},
		{"０１２３４５６７８９", "0123456789"}, // full-width
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"}, // Arabic-Indic
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"}, // Eastern Arabic-Indic
		{"०१२३४५६७८९", "0123456789"}, // Devanagari
		{"𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "0123456789"}, // mathematical bold
		{"𝟬𝟭𝟮", "012"},               // mathematical sans-serif bold, the run after another
		{"١٢٣-٤٥ ٦٧٨٩", "123456789"},
		{"12a3", "123"},
		{"²³½Ⅻ", ""}, // superscripts, fractions and numerals are not decimal digits
	} {
		if got := Digits(tc.in); got != tc.want {
			t.Errorf("Digits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := NormaliseDigits("PIN ٤٥٦"); got != "PIN 456" {
		t.Errorf("NormaliseDigits keeps the rest as it is: %q", got)
	}
	if d, ok := NormaliseDigit('x'); ok || d != 'x' {
		t.Errorf("x is a digit: %q %v", d, ok)
	}
	// Every decimal digit Unicode knows maps to the digit its name says: each run of the table
	// is whole, zero first.
	n := 0
	for _, tab := range [][]unicode.Range32{r16to32(unicode.Nd.R16), unicode.Nd.R32} {
		for _, rg := range tab {
			if rg.Stride != 1 || (rg.Hi-rg.Lo+1)%10 != 0 {
				t.Fatalf("Nd range %U-%U (stride %d) is not made of runs of ten", rg.Lo, rg.Hi, rg.Stride)
			}
			for r := rune(rg.Lo); r <= rune(rg.Hi); r++ {
				d, ok := NormaliseDigit(r)
				if !ok || d != '0'+(r-rune(rg.Lo))%10 {
					t.Fatalf("%U gives %q %v", r, d, ok)
				}
				n++
			}
		}
	}
	if n < 600 {
		t.Fatalf("only %d digits checked", n)
	}
}

func r16to32(rs []unicode.Range16) []unicode.Range32 {
	out := make([]unicode.Range32, len(rs))
	for i, r := range rs {
		out[i] = unicode.Range32{Lo: uint32(r.Lo), Hi: uint32(r.Hi), Stride: uint32(r.Stride)}
	}
	return out
}

func TestSeparators(t *testing.T) {
	for _, r := range " -‐–—.\u00a0/" {
		if !IsSeparator(r) {
			t.Errorf("%U is no separator", r)
		}
	}
	for _, r := range "a#٣5" {
		if IsSeparator(r) {
			t.Errorf("%U is a separator", r)
		}
	}
}
