// Package namefold folds names for the staff's search by name: lower case, accents removed,
// words split, so that "nun jo" finds "José Núñez". Apart from app/domain, which stays on the
// standard library, because the folding needs Unicode decomposition (golang.org/x/text).
package namefold

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold is a name folded for search: lower case, accents removed, runs of anything but
// letters and digits made one space. "José Núñez-Lefèvre" → "jose nunez lefevre".
func Fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// Matches reports whether every word of a folded query starts a word of a folded name:
// "nun jo" finds "jose nunez".
func Matches(foldedName, foldedQuery string) bool {
	q := strings.Fields(foldedQuery)
	if len(q) == 0 {
		return false
	}
	words := strings.Fields(foldedName)
	for _, w := range q {
		if !slices.ContainsFunc(words, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}
