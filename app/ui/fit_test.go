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

// On a 1280×800 kiosk the Sign in button shows whole on the welcome screen, without scrolling,
// in every language and text size, with and without the demo's sample sign-ins beside it.
func TestSignInButtonInView(t *testing.T) {
	for _, demo := range []bool{false, true} {
		o := Options{}
		if demo {
			o.Demo = []DemoLogin{
				{Login: "5427313184", PIN: "403379", Role: "custodial", FamilyViolence: true},
				{Login: "1112372461", PIN: "723860", Role: "noncustodial"},
				{Login: "8654988162", PIN: "163999", Role: "both", Temporary: true},
			}
			o.DemoStaff = []DemoLogin{{Login: "S1001", PIN: "demo-pass", Role: "supervisor"}}
		}
		r := newRigWith(t, shared(t), o)
		r.w.Resize(fyne.NewSize(1280, 800))
		for _, large := range []bool{false, true} {
			r.k.setLarge(large)
			for _, l := range []string{"en", "es", "fr"} {
				r.k.setLanguage(l)
				r.k.show(scrWelcome)
				submit := r.k.live.submit
				var view *container.Scroll
				walk(r.c, func(o fyne.CanvasObject, _ bool) {
					if s, ok := o.(*container.Scroll); ok && view == nil {
						walkObject(s.Content, func(in fyne.CanvasObject) {
							if in == submit {
								view = s
							}
						})
					}
				})
				if view == nil {
					t.Fatalf("demo %v, large %v, %s: the Sign in button is in no scroll", demo, large, l)
				}
				d := fyne.CurrentApp().Driver()
				bottom := d.AbsolutePositionForObject(submit).Y + submit.Size().Height
				if edge := d.AbsolutePositionForObject(view).Y + view.Size().Height; bottom > edge {
					t.Errorf("demo %v, large %v, %s: Sign in ends at %.0f px, the screen's body at %.0f", demo, large, l, bottom, edge)
				}
			}
		}
		r.k.setLarge(false)
	}
}
