package domain

import (
	"strings"
	"unicode"
)

// Digits people type at a kiosk are not always ASCII: the on-screen keypad sends 0-9, but a
// keyboard set to another script sends full-width digits (０-９), Arabic-Indic (٠-٩),
// Eastern Arabic-Indic (۰-۹), Devanagari (०-९) and the like. They mean the same numbers, and
// an ID or a PIN is compared as ASCII everywhere (the blind index, the Argon2id verifier), so
// they are turned into ASCII here, in one place, before anything else sees them.

// NormaliseDigit returns the ASCII digit r stands for, and true, when r is a decimal digit of
// any script (Unicode category Nd); otherwise r and false.
func NormaliseDigit(r rune) (rune, bool) {
	if r >= '0' && r <= '9' {
		return r, true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return r, false
	}
	// Unicode keeps every script's decimal digits as runs of ten code points, zero first, and
	// the Nd table's ranges are made of whole runs: the digit's value is its offset in the run.
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10, true
		}
	}
	return r, false
}

// NormaliseDigits turns every decimal digit of s, of any script, into its ASCII digit and
// leaves every other character as it is.
func NormaliseDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune { d, _ := NormaliseDigit(r); return d }, s)
}

// IsSeparator reports whether r is one of the characters people put between the groups of an
// ID or an SSN (a space, a dash, a dot or a slash, in any of their Unicode forms): skipped in
// an ID, never an error.
func IsSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '.' || r == '/' || r == '\u2212'
}
