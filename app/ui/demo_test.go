package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// demoOptions are the kiosk's options in demo mode, with the samples the tests know.
func demoOptions() Options {
	return Options{
		Demo: []DemoLogin{
			{Login: "5427313184", PIN: "403379", Role: "custodial", FamilyViolence: true},
			{Login: "1112372461", PIN: "723860", Role: "noncustodial"},
			{Login: "8654988162", PIN: "163999", Role: "both", Temporary: true},
		},
		DemoStaff: []DemoLogin{{Login: "S1001", PIN: "demo-pass", Role: "supervisor"}},
	}
}

// TestDemoBannerSpeaksTheLanguage checks that the demo banner says what each sample shows in the
// kiosk's language, and never in English words the other languages would not use.
func TestDemoBannerSpeaksTheLanguage(t *testing.T) {
	r := newRigWith(t, shared(t), demoOptions())
	want := map[string][]string{
		"en": {"5427313184 · PIN 403379 · receives, family violence",
			"1112372461 · PIN 723860 · pays",
			"8654988162 · PIN 163999 · pays and receives, temporary PIN",
			"S1001 · password demo-pass · supervisor"},
		"es": {"5427313184 · PIN 403379 · recibe, violencia familiar",
			"1112372461 · PIN 723860 · paga",
			"8654988162 · PIN 163999 · paga y recibe, PIN temporal",
			"S1001 · contraseña demo-pass · supervisor"},
		"fr": {"5427313184 · NIP 403379 · reçoit, violence familiale",
			"1112372461 · NIP 723860 · verse",
			"8654988162 · NIP 163999 · verse et reçoit, NIP temporaire",
			"S1001 · mot de passe demo-pass · superviseur"},
	}
	for _, l := range []string{"en", "es", "fr"} {
		r.k.setLanguage(l)
		shown := texts(r.c)
		for _, w := range want[l] {
			if !slices.Contains(shown, w) {
				t.Errorf("%s: %q is not on the welcome screen", l, w)
			}
		}
		if l == "en" {
			continue
		}
		for _, s := range shown {
			for _, english := range []string{"receives", "pays", "temporary", "family violence", "password"} {
				if strings.Contains(s, english) {
					t.Errorf("%s: English %q in %q", l, english, s)
				}
			}
		}
	}
	// Touching a sample fills the fields with its sign-in.
	r.k.setLanguage("en")
	var sample *widget.Button
	walk(r.c, func(o fyne.CanvasObject, _ bool) {
		if st, ok := o.(*fyne.Container); ok && len(st.Objects) == 2 {
			b, isButton := st.Objects[0].(*widget.Button)
			l, isLabel := st.Objects[1].(*widget.Label)
			if isButton && isLabel && strings.HasPrefix(l.Text, "1112372461 · ") {
				sample = b
			}
		}
	})
	if sample == nil {
		t.Fatal("no sample to touch for 1112372461")
	}
	test.Tap(sample)
	if st := r.k.signin; st.id != "1112372461" || st.pin != "723860" || !st.onPIN {
		t.Fatalf("after touching the sample: id %q, pin %q, on the PIN %v", st.id, st.pin, st.onPIN)
	}
	r.k.signin = signinState{}
	r.k.render()

	// The banner's long lines fit beside the keypad in every language, in large text too.
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			if w := r.c.Content().MinSize().Width; w > 1280 {
				t.Errorf("large=%v %s: the demo welcome screen needs %v px", large, l, w)
			}
		}
	}
	r.k.setLarge(false)
	r.k.setLanguage("en")
}
