package ui

import "testing"

// Every screen fits a 1280-pixel-wide kiosk screen in every language.
func TestScreensFitTheKiosk(t *testing.T) {
	r := newRig(t, shared(t))
	check := func(what string) {
		if w := r.c.Content().MinSize().Width; w > 1280 {
			t.Errorf("%s needs %v px", what, w)
		}
	}
	for _, role := range []string{"noncustodial", "custodial"} {
		s := r.s[role]
		r.signIn(t, s.Participant, s.PIN)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
				r.k.show(scr)
				check(role + " " + l + " " + scr)
			}
		}
		r.k.quickExit()
		check("neutral")
		r.k.show(scrWelcome)
		check("welcome")
		r.k.setLanguage("en")
	}
}
