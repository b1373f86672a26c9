package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// The screen draws Chinese and Korean in the fonts their printed documents use, in both weights,
// and goes back to Fyne's Noto Sans for the languages written in Latin letters.
func TestScreenFontFollowsTheLanguage(t *testing.T) {
	r := newRig(t, shared(t))
	font := func(bold bool) string {
		return fyne.CurrentApp().Settings().Theme().Font(fyne.TextStyle{Bold: bold}).Name()
	}
	latin, latinBold := font(false), font(true)
	t.Cleanup(func() { r.k.setLanguage("en") })
	for _, tc := range []struct{ lang, regular, bold string }{
		{"zh-Hant", "bsmi00lp.ttf", "bsmi00lp.ttf"},
		{"ko", "NanumGothic.ttf", "NanumGothicBold.ttf"},
		{"zh-Hans", "gbsn00lp.ttf", "gbsn00lp.ttf"},
		{"vi", latin, latinBold},
		{"tl", latin, latinBold},
		{"ko", "NanumGothic.ttf", "NanumGothicBold.ttf"},
		{"en", latin, latinBold},
	} {
		r.k.setLanguage(tc.lang)
		if got, gotBold := font(false), font(true); got != tc.regular || gotBold != tc.bold {
			t.Errorf("%s: screen fonts %s, %s; want %s, %s", tc.lang, got, gotBold, tc.regular, tc.bold)
		}
		mustHave(t, r.c, r.k.lang.T("ui.welcome.title"))
	}
	if latin == "bsmi00lp.ttf" || latin == "" {
		t.Fatalf("the Latin font is %q", latin)
	}
}
