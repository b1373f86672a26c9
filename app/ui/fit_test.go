package ui

import "testing"

// Every screen fits a 1280-pixel-wide kiosk screen in every language, in ordinary and in large
// text: what does not fit scrolls sideways, and on the welcome screen it pushed Quick Exit off
// the screen.
func TestScreensFitTheKiosk(t *testing.T) {
	r := newRig(t, shared(t))
	check := func(what string) {
		if w := r.c.Content().MinSize().Width; w > 1280 {
			t.Errorf("%s needs %v px", what, w)
		}
	}
	for _, large := range []bool{false, true} {
		size := "ordinary text"
		if large {
			size = "large text"
		}
		for _, role := range []string{"noncustodial", "custodial"} {
			s := r.s[role]
			r.k.setLarge(false)
			r.signIn(t, s.Participant, s.PIN)
			r.k.setLarge(large)
			for _, l := range []string{"en", "es", "fr"} {
				r.k.setLanguage(l)
				for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
					r.k.show(scr)
					check(size + " " + role + " " + l + " " + scr)
				}
			}
			r.k.quickExit()
			check(size + " neutral")
			for _, l := range []string{"en", "es", "fr"} {
				r.k.setLanguage(l)
				r.k.show(scrWelcome)
				check(size + " welcome " + l)
			}
			r.k.setLanguage("en")
		}
	}
	r.k.setLarge(false)
}
