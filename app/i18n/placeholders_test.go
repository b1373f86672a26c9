package i18n

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
)

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// names are the placeholders of s, sorted, each once.
func names(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// formatFields are the values each format is given (i18n.go): a language writes the ones it
// wants, so their placeholders may differ from English's.
var formatFields = map[string][]string{
	"fmt.time":       {"h", "HH", "mm", "ampm"},
	"fmt.date":       {"DD", "MM", "YYYY", "D"},
	"fmt.date_long":  {"D", "month", "YYYY"},
	"fmt.month_year": {"month", "YYYY"},
	"fmt.money":      {"sign", "amount"},
	"fmt.date_time":  {"date", "time"},
}

// Every key of every shipped language renders whole with its values: no language has a
// placeholder the English lacks or lacks one it has, and once the values are given nothing of
// a placeholder is left (a stray brace, a misspelt name).
func TestEveryKeyRendersWithItsValues(t *testing.T) {
	c := shipped(t)
	en := c.Lang("en")
	n := 0
	for _, key := range c.Keys() {
		want := names(en.T(key))
		fields, isFormat := formatFields[key]
		if isFormat {
			want = fields
		}
		var pairs []string
		for _, p := range want {
			pairs = append(pairs, p, "«"+p+"»")
		}
		for _, code := range c.Languages() {
			l := c.Lang(code)
			got := names(l.T(key))
			switch {
			case isFormat:
				for _, p := range got {
					if !slices.Contains(fields, p) {
						t.Errorf("%s: %s has {%s}, which the format is not given", code, key, p)
					}
				}
			case !slices.Equal(got, want):
				t.Errorf("%s: %s has placeholders %v, English %v", code, key, got, want)
			}
			s := l.T(key, pairs...)
			if strings.ContainsAny(s, "{}") {
				t.Errorf("%s: %s renders as %q", code, key, s)
			}
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("rendered only %d texts", n)
	}
}

// A problem's message is given its values too: the new PIN's length was shown as "{n}".
func TestProblemFillsItsPlaceholders(t *testing.T) {
	c := shipped(t)
	for _, code := range c.Languages() {
		got := c.Lang(code).Problem(domain.ErrPINLength, "n", "6")
		if strings.ContainsAny(got, "{}") || !strings.Contains(got, "6") {
			t.Errorf("%s: %q", code, got)
		}
	}
}
