package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

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
			for _, l := range r.k.prof.Languages {
				r.k.setLanguage(l)
				for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
					r.k.show(scr)
					check(size + " " + role + " " + l + " " + scr)
				}
			}
			r.k.quickExit()
			check(size + " neutral")
			for _, l := range r.k.prof.Languages {
				r.k.setLanguage(l)
				r.k.show(scrWelcome)
				check(size + " welcome " + l)
			}
			r.k.setLanguage("en")
		}
	}
	r.k.setLarge(false)
}

// On a 1280×800 kiosk the Sign in button shows whole on the welcome screen, without scrolling,
// in every language and text size, with and without the demo's sample sign-ins beside it.
func TestSignInButtonInView(t *testing.T) {
	for _, demo := range []bool{false, true} {
		o := Options{}
		if demo {
			o = demoOptions()
		}
		r := newRigWith(t, shared(t), o)
		r.w.Resize(fyne.NewSize(1280, 800))
		for _, large := range []bool{false, true} {
			r.k.setLarge(large)
			for _, l := range r.k.prof.Languages {
				r.k.setLanguage(l)
				r.k.show(scrWelcome)
				submit := r.k.live.submit
				view := scrollAround(r.c, submit, container.ScrollVerticalOnly)
				if view == nil {
					t.Fatalf("demo %v, large %v, %s: the Sign in button is in no scroll", demo, large, l)
				}
				if gap := room(submit, view); gap < 0 {
					t.Errorf("demo %v, large %v, %s: Sign in ends %.0f px past the screen's body", demo, large, l, -gap)
				}
			}
		}
		r.k.setLarge(false)
	}
}

// Sign out stays in sight below the menu on every screen, in large text too.
func TestSignOutInView(t *testing.T) {
	r := newRig(t, shared(t))
	r.w.Resize(fyne.NewSize(1280, 800))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range r.k.prof.Languages {
			r.k.setLanguage(l)
			for _, scr := range []string{scrHome, scrPayments, scrMessages, scrHelp} {
				r.k.show(scr)
				out := button(r.c, r.tr("ui.sign_out"))
				if out == nil {
					t.Fatalf("large %v, %s, %s: no Sign out", large, l, scr)
				}
				if scrollAround(r.c, out, container.ScrollVerticalOnly) != nil {
					t.Errorf("large %v, %s, %s: Sign out scrolls with the menu", large, l, scr)
				}
				if gap := room(out, r.c.Content()); gap < 0 {
					t.Errorf("large %v, %s, %s: Sign out ends %.0f px below the screen", large, l, scr, -gap)
				}
			}
		}
	}
}
